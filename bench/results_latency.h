#ifndef CONCBENCH_RESULTS_LATENCY_H
#define CONCBENCH_RESULTS_LATENCY_H

#include <stdint.h>

#include "rmodel/rmodel.h"
#include "workloads/io_latency.h"
#include "workloads/workload.h"

/* What a run records of io_bound's drawn delays: the plan, kept from the prepared instance
 * (which is released before the results are written), with its digest and bounds computed once,
 * before anything is timed. */
struct bench_latency {
    struct io_latency plan;
    uint64_t digest;
    long long makespan_ms, total_ms;
};

/* A copy of instance's plan with its figures for `tasks` tasks, when wl is io_bound against a
 * server of ours; NULL otherwise (or when memory runs out: the results then lack it). */
struct bench_latency *bench_latency_keep(const struct workload *wl, const void *instance,
                                         long long tasks);
void bench_latency_free(struct bench_latency *l);

/* Fills out->latency and each timeline task's delays_ms (the first TASK_STEP_MARKS requests, as
 * its step marks). l may be NULL: nothing to fill. */
void bench_latency_fill(struct rm_case *out, const struct bench_latency *l);

#endif
