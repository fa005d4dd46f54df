#ifndef CONCBENCH_RESULTS_H
#define CONCBENCH_RESULTS_H

#include <jansson.h>
#include <stddef.h>

#include "bench/bench.h"
#include "rmodel/rmodel.h"

/* The run so far as a results model (rmodel/rmodel.h): context, config, and every case with its
 * samples, statistics, checks and timeline. The caller frees it with rm_free. */
struct rm_file *results_model(const struct bench *b);

/* Writes the run's results file atomically (rm_write). Returns 0 or -1 with a message in err. */
int results_write(const struct bench *b, const char *path, char *err, size_t errlen);

/* Checks before any work that path can be written (common/outfile.h: a new file or a writable
 * regular file; never a directory, device, FIFO, socket or symbolic link; "-" is stdout). */
int results_check_writable(const char *path, char *err, size_t errlen);

/* The context block: date, host, kernel, CPU, load, compiler, build, library versions, commit. */
json_t *context_json(void);

#endif
