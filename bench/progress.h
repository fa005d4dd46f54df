#ifndef CONCBENCH_PROGRESS_H
#define CONCBENCH_PROGRESS_H

#include "bench/bench.h"

/* A one-line progress report on stderr, redrawn in place as the measuring loop reports each
 * repetition, with the time left estimated from the rounds done so far (the mean round times the
 * rounds to go, less what the current round has taken); silent unless stderr is a terminal, so
 * logs and CI output stay clean. */
struct progress {
    int enabled;
    int cases, rounds;
    double start_s;
    double first_rep_s; /* when the first repetition started (after the N=0 baselines) */
    double round_end_s; /* when the last round finished */
    int rounds_done;
    struct bench_observer observer; /* what bench_observe takes */
};

/* Readies p and its observer. */
void progress_init(struct progress *p);

/* The time left, in seconds, after done of rounds rounds took took_s in all, since_s into the
 * next one; < 0 before a round is done (nothing to estimate from). */
double progress_eta_s(int done, int rounds, double took_s, double since_s);

#endif
