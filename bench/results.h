#ifndef CONCBENCH_RESULTS_H
#define CONCBENCH_RESULTS_H

#include <jansson.h>
#include <stddef.h>

#include "bench/bench.h"

/* The results JSON (schema in results/README.md). Bump on any incompatible change. */
#define RESULTS_SCHEMA_VERSION 1

json_t *results_json(const struct bench *b);

/* Writes the results atomically: a temporary file in the same folder, then rename, so a reader
 * (or a Ctrl-C) never sees half a file. Returns 0 or -1 with a message in err. */
int results_write(const struct bench *b, const char *path, char *err, size_t errlen);

/* Checks before any work that path can be written (its folder exists and accepts a file). */
int results_check_writable(const char *path, char *err, size_t errlen);

/* The context block: date, host, kernel, CPU, load, compiler, build, library versions, commit. */
json_t *context_json(void);

#endif
