#ifndef CONCBENCH_SWEEP_TABLE_H
#define CONCBENCH_SWEEP_TABLE_H

#include <stdio.h>

#include "report/render.h"
#include "rmodel/rmodel.h"

/* A sweep file's table (nothing for another file): per workload, a block per N with a row per
 * model (wall, efficiency, CPU per task, RSS per task, or why the point was left out), then
 * where each model stopped and why. `sweep` prints it after the run, `report` from a file. */
void sweep_table(const struct rm_file *f, const struct render_opts *ro, FILE *out);
void sweep_legend(FILE *out);

#endif
