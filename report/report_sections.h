#ifndef CONCBENCH_REPORT_SECTIONS_H
#define CONCBENCH_REPORT_SECTIONS_H

/* The sections that `report` and `reproduce` print under a results document, each from the
 * results model alone, so a file written by `run`, by `reproduce` or by an older run reads the
 * same way. */

#include <stdio.h>

#include "report/render.h"
#include "rmodel/hyperfine.h"
#include "rmodel/rmodel.h"

/* The reproduction table: per model, C (and Python when present) median and speedup for
 * cpu_bound and io_bound, next to the article's seconds and speedups. When the workloads side by
 * side do not fit ro->width, each gets a table of its own, and seconds columns are left out (the
 * article's, Python's, C's) while that is still too wide; the title and legend are wrapped. */
void repro_table(const struct rm_file *f, const struct render_opts *ro, FILE *out);
/* The plain-language reading under it, computed from the measured speedups. */
void repro_reading(const struct rm_file *f, const struct render_opts *ro, FILE *out);
/* In-process (harness) median next to hyperfine's whole-process median, per model and workload. */
void hyperfine_table(const struct rm_file *f, const struct hf_export *hf, const char *const *names,
                     int nhf, FILE *out);
/* Every case's errors, and warnings grouped by text. */
void repro_notes(const struct rm_file *f, const struct render_opts *ro, FILE *out);

#endif
