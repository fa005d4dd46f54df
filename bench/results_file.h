#ifndef CONCBENCH_RESULTS_FILE_H
#define CONCBENCH_RESULTS_FILE_H

/* Loading and checking the JSON files that report, reproduce and plot read: concbench results
 * files (whoever wrote them: `run`, `reproduce` or an older run of the same schema) and hyperfine
 * exports. Each says clearly what is wrong with a file it refuses. */

#include <jansson.h>
#include <stddef.h>

/* Loads any JSON file; what names the kind of file expected ("results") in the messages. NULL
 * with a message in err when the file is missing, a folder, empty or not JSON. */
json_t *json_file_load(const char *path, const char *what, char *err, size_t errlen);

/* Loads a results file and checks it is one this concbench reads (object, schema_version 1,
 * cases with their fields). NULL with a clear message in err when the file is missing, not
 * JSON, of another schema version or of another shape. */
json_t *rfile_load(const char *path, char *err, size_t errlen);
/* The same checks on a document already in memory. 0 or -1 with a message. */
int rfile_check(json_t *root, const char *name, char *err, size_t errlen);

/* Loads a hyperfine --export-json file and checks its shape. NULL with a message otherwise. */
json_t *hyperfine_load(const char *path, char *err, size_t errlen);

#endif
