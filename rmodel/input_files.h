#ifndef CONCBENCH_INPUT_FILES_H
#define CONCBENCH_INPUT_FILES_H

/* Loading the JSON files concbench reads, each with a clear message for a file it refuses: any
 * JSON file (results files then go through the results model, rmodel/rmodel.h) and hyperfine
 * exports. */

#include <jansson.h>
#include <stddef.h>

/* Loads any JSON file; what names the kind of file expected ("results") in the messages. NULL
 * with a message in err when the file is missing, a folder, empty or not JSON. */
json_t *input_json_load(const char *path, const char *what, char *err, size_t errlen);

/* Loads a hyperfine --export-json file and checks its shape. NULL with a message otherwise. */
json_t *hyperfine_load(const char *path, char *err, size_t errlen);

#endif
