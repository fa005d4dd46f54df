#ifndef CONCBENCH_BENCH_PRIMITIVES_H
#define CONCBENCH_BENCH_PRIMITIVES_H

/* `concbench primitives` as a run: the chosen primitives of runners/primitives/ measured one
 * after another (a model's own path with its raw primitive, their runs alternating), each a case
 * of a results model: implementation "c", workload "primitive:NAME", label NAME, the figures per
 * operation (wall_s and CPU seconds, context switches; peak RSS of the process), params group,
 * operation, ops_per_run, compared_with (a model's path) and impl (where the build has a choice).
 * A primitive that failed is a case with its error; one this build lacks is skipped. Nothing here
 * prints: observers hear of every case as it is filed. */

#include <stddef.h>

#include "rmodel/rmodel.h"

#define PRIMRUN_MAX_RUNS 100
#define PRIMRUN_MAX      64 /* entries of prims[] a run can select from */

struct primrun_opts {
    int runs;                 /* timed runs per primitive, 2..PRIMRUN_MAX_RUNS */
    int target_ms;            /* length of one run */
    char chosen[PRIMRUN_MAX]; /* by index in prims[] */
};

/* runs 5, target 100 ms, every primitive chosen but those measured only when named (mpi_spawn). */
void primrun_defaults(struct primrun_opts *o);

/* Chooses the primitives of a comma-separated list alone (a model's path brings its raw
 * primitive along): 0, or -1 with the first unknown name in bad. */
int primrun_select(struct primrun_opts *o, const char *list, char *bad, size_t badlen);

struct primrun_observer {
    /* A case was filed in f: measured, or failed (validation not ok, its error in errors). */
    void (*filed)(void *arg, const struct rm_file *f, const struct rm_case *c);
    /* A primitive this build cannot measure (e.g. stack=copy under a sanitizer): not filed. */
    void (*skipped)(void *arg, const char *name, const char *why);
    void *arg;
};

/* Measures the chosen primitives in the table's order, a model's path right after its raw
 * primitive, into a new results model (context, config, cases; rm_free it). *failed is 1 when
 * one failed. obs may be NULL. */
struct rm_file *primrun(const struct primrun_opts *o, const struct primrun_observer *obs,
                        int *failed);

#endif
