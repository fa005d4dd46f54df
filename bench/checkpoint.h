#ifndef CONCBENCH_CHECKPOINT_H
#define CONCBENCH_CHECKPOINT_H

#include "bench/bench.h"

/* Writes a run's results file as results come in: after every measured repetition and once at
 * the end, so a run stopped by Ctrl-C or a crash keeps everything that finished. The first
 * write error is reported on stderr once, not at every checkpoint. */
struct checkpoint {
    const char *path;
    int failed; /* some write failed */
    struct bench_observer observer;
};

void checkpoint_init(struct checkpoint *c, const char *path);

#endif
