#ifndef CONCBENCH_REPRODUCE_LATENCY_H
#define CONCBENCH_REPRODUCE_LATENCY_H

#include <stddef.h>

#include "bench/config.h"

/* reproduce --latency PROFILE [--time-scale F]: io_bound a second time, as the workload
 * REPRO_IO_LATENCY_WORKLOAD, with the io_bound parameters already in cfg plus the profile
 * ("article" = results/published/latency_article.txt, else a file) and latency_scale=F (NULL =
 * 1). 0, or -1 with a message in err. */
int repro_add_latency_column(struct config *cfg, const char *profile, const char *time_scale,
                             char *err, size_t errlen);

#endif
