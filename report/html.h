#ifndef CONCBENCH_HTML_H
#define CONCBENCH_HTML_H

#include <stddef.h>

#include "rmodel/rmodel.h"

/* `report FILE --html OUT`: one self-contained page (inline CSS and SVG, the results embedded as
 * JSON, no network): per workload the comparison table, bar charts of wall time and speed-up
 * with their 95% intervals, CPU and memory, and a timeline per model. A large file is summed
 * up: per workload its first per_workload cases (0: HTML_CASES_PER_WORKLOAD), with a note
 * saying how many were left out. 0, or -1 with err. */
/* What the page shows of a large file by default (--html-cases changes the first). */
#define HTML_CASES_PER_WORKLOAD 50
#define HTML_CASES_MAX          1000

int html_write(const struct rm_file *f, const char *source, int per_workload, const char *path,
               char *err, size_t errlen);

#endif
