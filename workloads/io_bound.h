#ifndef CONCBENCH_IO_BOUND_H
#define CONCBENCH_IO_BOUND_H

#include <stdint.h>

#include "server/server.h"
#include "workloads/io_latency.h"
#include "workloads/workload.h"

/* io_bound's delays, for the layers above (results, timeline, reports). instance is what
 * workload_io_bound.prepare made. */

#define IO_MAX_REQUESTS 1000

/* server_threads=0: one event loop per online CPU, at most this many (see io_bound.c). */
#define IO_SERVER_THREADS_AUTO_MAX  4
#define IO_SERVER_THREADS_AUTO_TEXT "one per online CPU, at most 4"

extern const struct workload workload_io_bound;

/* The delay plan, or NULL when the workload fetches url= as given (no delays of ours). */
const struct io_latency *io_bound_latency(const void *instance);

/* The delay that request `request` (from 0) of task `task` asks the server for, in ms; -1 when
 * the workload fetches url= as given. */
long io_bound_delay_ms(const void *instance, uint64_t task, int request);

/* What server_threads=0 gives on this machine. */
int io_bound_server_threads_auto(void);

/* The embedded server's record so far (every thread's slot summed; a snapshot while it runs) and
 * its thread count. Returns -1 when the workload has no embedded server (url=, server=). */
int io_bound_server_record(const void *instance, struct server_thread_stats *out, int *threads);

#endif
