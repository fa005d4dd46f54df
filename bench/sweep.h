#ifndef CONCBENCH_SWEEP_H
#define CONCBENCH_SWEEP_H

/* A sweep: every model over growing N, one measuring run (bench.c) per N, all in one results
 * file. A model stops at its first point that fails (a limit hit, a timeout) and its larger N
 * are left out; a point predicted to pass a limit (kernel.pid_max, memory) or a time bound is
 * left out before it runs, and a point's case runs no more repetitions once one failed or took
 * longer than its bound. Every point left out is in the file's "sweep" object with why. Like
 * the measuring core, the sweep never prints or writes: it tells its observer. */

#include "bench/bench.h"
#include "bench/config.h"
#include "rmodel/rmodel.h"

#define SWEEP_MAX_POINTS 16

/* Threads or processes kept for the rest of the machine when predicting kernel.pid_max. */
#define SWEEP_PID_MARGIN 2048
/* A point is left out when its predicted peak RSS passes this share of MemAvailable. */
#define SWEEP_MEMORY_SHARE 0.5

struct sweep_cfg {
    /* Models, workloads with their parameters, reps, warmup, timeout, timeline_max; tasks and
     * workers are set per point. */
    struct config base;
    int tasks[CONFIG_MAX_WORKLOADS][SWEEP_MAX_POINTS]; /* per workload, smallest first */
    int ntasks[CONFIG_MAX_WORKLOADS];
    int workers[CONFIG_MAX_WORKLOADS]; /* -j per workload (0 = one per task) */
    double max_seconds;                /* predicted wall per repetition above this: left out */
    double sequential_max_seconds;     /* the same for sequential */
};

struct sweep_observer {
    /* A point is about to run (b->cfg says which); the observer may bench_observe(b, ...). */
    void (*point_started)(void *arg, struct bench *b);
    /* A point ran or was left out: the file so far (complete = 0 until the last). */
    void (*point_done)(void *arg, const struct rm_file *f);
    void *arg;
};

/* Runs the sweep; *out gets the results file (rm_free it). Returns 0 when every point that ran
 * validated, 1 when one failed (limits included) or the sweep was interrupted. */
int sweep_run(const struct sweep_cfg *cfg, const struct sweep_observer *obs, struct rm_file **out);

/* Why a failed case failed, in one line: its first error that names a limit (with its value),
 * else its first case-level error, else its first error. */
void sweep_failure_reason(const struct rm_case *c, char *buf, size_t len);

#endif
