#ifndef CONCBENCH_TRACE_H
#define CONCBENCH_TRACE_H

#include <jansson.h>
#include <stddef.h>

#include "rmodel/rmodel.h"

/* A results model's timelines as a Chrome trace-event document (Perfetto, chrome://tracing):
 * the cases of a workload (NULL: every case). New reference. */
json_t *trace_doc(const struct rm_file *f, const char *workload);
/* The same, written to path. 0, or -1 with a message in err. */
int trace_write(const struct rm_file *f, const char *workload, const char *path, char *err,
                size_t errlen);

#endif
