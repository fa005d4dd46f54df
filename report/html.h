#ifndef CONCBENCH_HTML_H
#define CONCBENCH_HTML_H

#include <stddef.h>

#include "rmodel/rmodel.h"

/* `report FILE --html OUT`: one self-contained page (inline CSS and SVG, the results embedded as
 * JSON, no network): per workload the comparison table, bar charts of wall time and speed-up
 * with their 95% intervals, CPU and memory, and a timeline per model. 0, or -1 with err. */
int html_write(const struct rm_file *f, const char *source, const char *path, char *err,
               size_t errlen);

#endif
