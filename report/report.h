#ifndef CONCBENCH_REPORT_H
#define CONCBENCH_REPORT_H

#include <stdio.h>

#include "bench/bench.h"

/* The human-readable table of a run, with each case's errors and warnings under it. */
void report_table(const struct bench *b, FILE *out);

#endif
