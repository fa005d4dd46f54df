#ifndef CONCBENCH_CASE_KEY_H
#define CONCBENCH_CASE_KEY_H

/* What identifies a case across runs: its implementation, workload, label, tasks, workers and
 * parameters. Two files' cases with the same key measured the same thing, so compare pairs by it,
 * the exporters name benchmarks by it and the history stores it. */

#include <stddef.h>

#include "rmodel/rmodel.h"

/* The size of a key buffer: every key fits, with its terminating NUL. */
#define CK_KEY_MAX 512

/* "cpu_bound/pthreads/n=10/w=0/base=7777,exponent=200000" (parameters sorted by name, a list's
 * values joined by '+'; "python/" first for a Python case). Stable across runs and versions.
 * Never cut: a key longer than len - 1 bytes keeps its start (cut on a UTF-8 character boundary)
 * and ends in '#' and the FNV-1a 64 of the whole key in 16 hex digits, so two long keys that
 * differ anywhere stay different. len is at least 32. */
void ck_key(const struct rm_case *c, char *buf, size_t len);

/* Two cases of f with one key (they measured the same thing, and every reader pairing or storing
 * cases by key would lose or mix one): 1 with their indexes in *first < *second, else 0. */
int ck_duplicate(const struct rm_file *f, int *first, int *second);

/* A short name for tables: "cpu_bound pthreads" (with " -j W" for a pool). */
void ck_short(const struct rm_case *c, char *buf, size_t len);

#endif
