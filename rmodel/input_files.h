#ifndef CONCBENCH_INPUT_FILES_H
#define CONCBENCH_INPUT_FILES_H

/* Loading the JSON files concbench reads, with a clear message for a file it refuses: any JSON
 * file (results files then go through the results model, rmodel/rmodel.h; hyperfine exports
 * through rmodel/hyperfine.h). */

#include <jansson.h>
#include <stddef.h>

/* Loads any JSON file; what names the kind of file expected ("results") in the messages. NULL
 * with a message in err when the file is missing, a folder, empty or not JSON. */
json_t *input_json_load(const char *path, const char *what, char *err, size_t errlen);

#endif
