#ifndef CONCBENCH_IO_LATENCY_H
#define CONCBENCH_IO_LATENCY_H

#include <stddef.h>
#include <stdint.h>

#include "common/latency.h"
#include "common/params.h"

/* The delays io_bound asks its server for: one distribution per request position, drawn from
 * a seed. The delay of task i, request k is a pure function of (plan, i, k), so nothing is
 * stored per task: the workload, the results writer and the tests compute it where needed. */

struct io_latency {
    uint64_t seed;
    int requests;
    struct latency_dist *dists; /* requests entries, one per position */
    char profile[64];           /* the profile file's name, "" when none was given */
    double scale;               /* latency_scale=, already applied to dists (1 = none) */
    int varied;                 /* 0: every delay is delay_ms (the fixed default) */
};

/* Reads latency=, latency.N=, latency_profile=, latency_scale= and seed= from params (specs:
 * io_bound's table). Position k gets latency.k if given, else the profile's k-th line, else
 * latency=, else fixed:ms=delay_ms; latency_scale= then scales every position. Returns 0, or -1
 * with a message in err (a position beyond requests, a profile whose line count is not requests, a
 * file that cannot be read). */
int io_latency_prepare(struct io_latency *l, const struct param_set *params,
                       const struct param_spec *specs, int requests, long delay_ms, char *err,
                       size_t errlen);
void io_latency_free(struct io_latency *l);

/* The delay of request `request` (from 0) of task `task`, in ms. */
long io_latency_ms(const struct io_latency *l, uint64_t task, int request);

/* FNV-1a over every drawn delay (tasks in order, requests in order, each as 8 little-endian
 * bytes): one number that says whether two runs waited the same delays. */
uint64_t io_latency_digest(const struct io_latency *l, uint64_t tasks);

/* The theoretical makespan of `tasks` tasks run all at once, max over tasks of the sum of their
 * delays, and the sum over every task (what a sequential run waits), both in ms. */
void io_latency_bounds(const struct io_latency *l, uint64_t tasks, long long *makespan_ms,
                       long long *total_ms);

#endif
