#ifndef CONCBENCH_IO_BOUND_H
#define CONCBENCH_IO_BOUND_H

#include <stdint.h>

#include "workloads/io_latency.h"
#include "workloads/workload.h"

/* io_bound's delays, for the layers above (results, timeline, reports). instance is what
 * workload_io_bound.prepare made. */

#define IO_MAX_REQUESTS 1000

extern const struct workload workload_io_bound;

/* The delay plan, or NULL when the workload fetches url= as given (no delays of ours). */
const struct io_latency *io_bound_latency(const void *instance);

/* The delay that request `request` (from 0) of task `task` asks the server for, in ms; -1 when
 * the workload fetches url= as given. */
long io_bound_delay_ms(const void *instance, uint64_t task, int request);

#endif
