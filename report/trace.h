#ifndef CONCBENCH_TRACE_H
#define CONCBENCH_TRACE_H

#include <stddef.h>

#include "rmodel/rmodel.h"

/* A results model's timelines as a Chrome trace-event document (Perfetto, chrome://tracing),
 * the cases of a workload (NULL: every case), written to path event by event. 0, or -1 with a
 * message in err. */
int trace_write(const struct rm_file *f, const char *workload, const char *path, char *err,
                size_t errlen);

#endif
