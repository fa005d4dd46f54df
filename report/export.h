#ifndef CONCBENCH_EXPORT_H
#define CONCBENCH_EXPORT_H

/* A results file in the formats of the trackers CI users already run:
 *   gab          github-action-benchmark, tool customSmallerIsBetter: an array of
 *                {name, unit, value, range, extra}; value the median wall seconds
 *   gab-speedup  the same for customBiggerIsBetter: value the speed-up over sequential
 *   bmf          Bencher Metric Format: {name: {measure: {value, lower_value, upper_value}}}
 *                with the measures latency (ns), speedup (x) and max-rss (KiB)
 * Names are the stable case keys (rmodel/case_key.h). Invalid cases are left out: each is listed
 * in `skipped` (one line each) for the caller to report. A new format is a file export_NAME.c
 * defining its struct exp_format and one row in the table of report/export.c. */

#include <jansson.h>
#include <stddef.h>

#include "rmodel/rmodel.h"

/* One export format: its --format name, what `export --help` says of it (lines joined by '\n',
 * at most 64 columns), and the document of a results file in it (a new reference; cases left
 * out are noted in skipped, one line each). The formats are the table exp_formats. */
struct exp_format {
    const char *name;
    const char *help;
    json_t *(*doc)(const struct rm_file *f, struct rm_strs *skipped);
};

extern const struct exp_format *const exp_formats[]; /* report/export.c; ends with NULL */

/* The format of that name, or NULL. */
const struct exp_format *exp_format_find(const char *name);
/* The names joined by sep, the last two by last: ("gab, gab-speedup or bmf" from ", ", " or "). */
void exp_format_names(char *buf, size_t len, const char *sep, const char *last);

/* Shared by the formats: 1 when the case goes in; else a line in skipped saying why. */
int exp_include(const struct rm_case *c, struct rm_strs *skipped);

#endif
