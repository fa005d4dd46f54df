#ifndef CONCBENCH_EXPORT_H
#define CONCBENCH_EXPORT_H

/* A results file in the formats of the trackers CI users already run:
 *   gab          github-action-benchmark, tool customSmallerIsBetter: an array of
 *                {name, unit, value, range, extra}; value the median wall seconds
 *   gab-speedup  the same for customBiggerIsBetter: value the speed-up over sequential
 *   bmf          Bencher Metric Format: {name: {measure: {value, lower_value, upper_value}}}
 *                with the measures latency (ns), speedup (x) and max-rss (KiB)
 * Names are the stable case keys (rmodel/case_key.h). Invalid cases are left out: each is listed
 * in `skipped` (one line each) for the caller to report. */

#include <jansson.h>

#include "rmodel/rmodel.h"

enum exp_format { EXP_GAB, EXP_GAB_SPEEDUP, EXP_BMF };

/* "gab" ... -> format; -1 for another name. */
int exp_format_parse(const char *name);

/* The document of f in the format (new reference); cases left out are noted in skipped. */
json_t *exp_gab(const struct rm_file *f, int speedup, struct rm_strs *skipped);
json_t *exp_bmf(const struct rm_file *f, struct rm_strs *skipped);

/* Shared by both: 1 when the case goes in; else a line in skipped saying why. */
int exp_include(const struct rm_case *c, struct rm_strs *skipped);

#endif
