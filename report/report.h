#ifndef CONCBENCH_REPORT_H
#define CONCBENCH_REPORT_H

#include <stdio.h>

#include "report/render.h"
#include "rmodel/rmodel.h"

/* The table of every case, workload by workload: median wall time and its 95% half-interval,
 * speed-up against sequential, CPU user/system seconds, peak RSS, context switches, validity;
 * a legend under it. `run` prints it from the run's model, `report` from a file's.
 * When every column does not fit ro->width, the model column narrows to its labels, then context
 * switches, system time, the interval, user time and peak RSS are left out in that order, and a
 * line under the table names them; titles and the legend are wrapped. */
void report_cases(const struct rm_file *f, const struct render_opts *ro, FILE *out);
void report_legend(const struct render_opts *ro, FILE *out);

#endif
