#ifndef CONCBENCH_CASE_KEY_H
#define CONCBENCH_CASE_KEY_H

/* What identifies a case across runs: its implementation, workload, label, tasks, workers and
 * parameters. Two files' cases with the same key measured the same thing, so compare pairs by it,
 * the exporters name benchmarks by it and the history stores it. */

#include <stddef.h>

#include "rmodel/rmodel.h"

/* "cpu_bound/pthreads/n=10/w=0/base=7777,exponent=200000" (parameters sorted by name, a list's
 * values joined by '+'; "python/" first for a Python case). Stable across runs and versions. */
void ck_key(const struct rm_case *c, char *buf, size_t len);

/* A short name for tables: "cpu_bound pthreads" (with " -j W" for a pool). */
void ck_short(const struct rm_case *c, char *buf, size_t len);

#endif
