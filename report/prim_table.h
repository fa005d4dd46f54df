#ifndef CONCBENCH_PRIM_TABLE_H
#define CONCBENCH_PRIM_TABLE_H

/* The table of `concbench primitives`: one row per measured primitive (median ns per operation,
 * half its 95% interval, operations per run) and, for a model's own path, its ratios to the raw
 * primitive it is compared with (analysis/prim_ratio.h). Rows can be printed as their cases are
 * measured (ptable_header, then ptable_row each), or all at once (ptable). */

#include <stdio.h>

#include "report/render.h"
#include "rmodel/rmodel.h"

void ptable_header(FILE *out);
/* c's row (nothing for a case that failed: its error is the caller's to say). */
void ptable_row(const struct rm_file *f, const struct rm_case *c, FILE *out);
/* The header and every case's row (ro's workload, when set, picks one primitive). */
void ptable(const struct rm_file *f, const struct render_opts *ro, FILE *out);

#endif
