#ifndef CONCBENCH_SWEEP_OPTS_H
#define CONCBENCH_SWEEP_OPTS_H

/* The options of `concbench sweep` (cmd/sweep_opts.c); the command is cmd/sweep.c. */

#include <stdio.h>

#include "bench/sweep.h"

struct sweep_opts {
    struct sweep_cfg cfg; /* what the sweep runs (cfg.base.json_path: -o, cfg.base.quiet: -q) */
    const char *models, *workloads, *tasks_list;
    const char *params[PARAMS_MAX];
    int nparams;
    int workers; /* -j as given; -1 = the workload's default */
};

/* Parses argv (argv[0] = "sweep"): 0, 1 after --help, or 2 after a message on stderr. */
int sweep_parse(int argc, char **argv, struct sweep_opts *o);
void sweep_usage(FILE *out);

#endif
