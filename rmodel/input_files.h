#ifndef CONCBENCH_INPUT_FILES_H
#define CONCBENCH_INPUT_FILES_H

/* Loading the JSON files concbench reads, with a clear message for a file it refuses: any JSON
 * file (results files then go through the results model, rmodel/rmodel.h; hyperfine exports
 * through rmodel/hyperfine.h). */

#include <jansson.h>
#include <stddef.h>

/* The largest input file read unless CONCBENCH_MAX_INPUT_MB says otherwise, in MB. */
#define INPUT_MAX_MB_DEFAULT 1024
long long input_max_mb(void);

/* 0 when path is a regular, non-empty file within the size limit; else -1 with a message in
 * err (the limit and how to raise it, for a file too large). */
int input_check(const char *path, const char *what, char *err, size_t errlen);

/* Loads any JSON file; what names the kind of file expected ("results") in the messages. NULL
 * with a message in err when the file is missing, a folder, empty or not JSON. */
json_t *input_json_load(const char *path, const char *what, char *err, size_t errlen);

#endif
