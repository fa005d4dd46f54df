#ifndef CONCBENCH_REPRODUCE_MERGE_H
#define CONCBENCH_REPRODUCE_MERGE_H

/* One Python variant's repetitions, each printed as a case of its own by a fresh interpreter,
 * folded into one case of the results schema: samples in round order, statistics over all of
 * them as bench/stats.c computes them, validation, errors and warnings accumulated, checksum
 * and timeline from the last repetition. */

#include <jansson.h>
#include <stddef.h>

#include "bench/bench.h"

struct py_merge {
    json_t *last;               /* the last repetition's case; NULL until one */
    json_t *samples[FIG_COUNT]; /* every figure's samples, in round order */
    long long reps, checked, failures, errors;
    int ok;
    json_t *messages, *warnings;
};

void py_merge_init(struct py_merge *g);
/* Folds in one measured repetition's case (the reference is taken). */
void py_merge_case(struct py_merge *g, json_t *c);
/* Counts a repetition, measured or not, that gave no case, keeping why. */
void py_merge_error(struct py_merge *g, const char *why);
/* The merged case, built on a copy of the last repetition's case, or on empty (the case's
 * naming fields) when none came; takes the reference to empty. New reference. */
json_t *py_merge_finish(const struct py_merge *g, json_t *empty);
void py_merge_free(struct py_merge *g);

/* Appends text to a JSON array of strings unless it is there already or the array holds max;
 * 1 when appended. */
int json_note(json_t *list, const char *text, size_t max);

#endif
