#ifndef CONCBENCH_COUNT_H
#define CONCBENCH_COUNT_H

/* run --count instructions: each single-thread case (its compute steps on one thread: sequential,
 * green, evloop:compute=inline) is run once more, alone, under valgrind's callgrind, which counts
 * the instructions of the timed region only (the repetition's child switches collection on and
 * off around it). A count is deterministic to well under 1%, unlike a time on a shared runner.
 * Hardware counters would be cheaper, but perf_event_open has none on virtual machines such as
 * this project's (count_hw_probe says why); valgrind needs no kernel support. */

#include <stddef.h>

#include "bench/config.h"
#include "rmodel/rmodel.h"

/* 1 when the model, with its options, runs all its tasks' work on one thread. */
int count_single_thread(const struct model_spec *m);

/* NULL when this build and machine can count, else why not (valgrind missing, a sanitizer
 * build, which valgrind cannot run). */
const char *count_unavailable(void);

/* Counts the case's instructions into rc->instructions, or adds a warning saying why not. */
void count_case(const struct config *cfg, const struct model_spec *m,
                const struct workload_spec *ws, struct rm_case *rc);

/* What perf_event_open says for a hardware instruction counter: 0 when it opens, else -1 with
 * why in buf ("ENOENT: no hardware counters (a virtual machine?)"). */
int count_hw_probe(char *buf, size_t len);

/* In the repetition's child, around the timed region: switches callgrind's collection on (1) or
 * off (0); nothing outside valgrind. */
void count_region(int on);

#endif
