#ifndef CONCBENCH_REPRODUCE_MERGE_H
#define CONCBENCH_REPRODUCE_MERGE_H

/* One Python variant's repetitions, each printed as a case of its own by a fresh interpreter,
 * folded into one case of the results model: samples in round order, statistics over all of
 * them as rmodel/stats.c computes them, validation, errors and warnings accumulated, checksum
 * and timeline from the last repetition. */

#include "bench/bench.h"
#include "rmodel/rmodel.h"

struct py_samples {
    double *v;
    int n;
};

struct py_merge {
    struct rm_case last; /* the last repetition's case, when have_last */
    int have_last;
    struct py_samples samples[RM_NFIGS]; /* every figure's samples, in round order */
    long long reps, checked, failures, errors;
    int ok;
    struct rm_strs messages, warnings;
};

void py_merge_init(struct py_merge *g);
/* Folds in one measured repetition's case, taking what it owns (c is left empty). */
void py_merge_case(struct py_merge *g, struct rm_case *c);
/* Counts a repetition, measured or not, that gave no case, keeping why. */
void py_merge_error(struct py_merge *g, const char *why);
/* The merged case into out: the last repetition's case, or empty (the case's naming fields,
 * taken over) when none came. */
void py_merge_finish(struct py_merge *g, struct rm_case *empty, struct rm_case *out);
void py_merge_free(struct py_merge *g);

#endif
