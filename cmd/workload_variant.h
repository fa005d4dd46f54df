#ifndef CONCBENCH_WORKLOAD_VARIANT_H
#define CONCBENCH_WORKLOAD_VARIANT_H

/* A workload with parameters of its own in the workload list, e.g. `-w
 * io_bound,io_bound:client=raw`: the same workload twice in one run, interleaved in its rounds,
 * each variant a table and cases of its own (named as written). Its own parameters win over -p for
 * that variant. */

#include <stddef.h>

#include "bench/config.h"

/* Adds item ("name:key=value[:key=value...]") as cfg's next workload. 0 or -1 with a message. */
int wl_variant_add(struct config *cfg, const char *item, char *err, size_t errlen);

/* "; did you mean sleep?" for a misspelt workload name into buf, "" when none is near. */
const char *wl_near_workload(const char *name, char *buf, size_t len);

/* 1 when ws is a variant whose own parameters set key (so -p key=... leaves it alone). */
int wl_variant_sets(const struct workload_spec *ws, const char *key);

#endif
