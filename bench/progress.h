#ifndef CONCBENCH_PROGRESS_H
#define CONCBENCH_PROGRESS_H

#include "bench/bench.h"

/* A one-line progress report on stderr, redrawn in place as the measuring loop reports each
 * repetition; silent unless stderr is a terminal, so logs and CI output stay clean. */
struct progress {
    int enabled;
    int cases, rounds;
    double start_s;
    struct bench_observer observer; /* what bench_observe takes */
};

/* Readies p and its observer. */
void progress_init(struct progress *p);

#endif
