#ifndef CONCBENCH_RUN_OPTIONS_H
#define CONCBENCH_RUN_OPTIONS_H

/* The options of `run` (and the model and workload lists `reproduce` shares), parsed into a
 * struct config. */

#include <stddef.h>

#include "bench/config.h"

/* Parses `run` options (argv[0] = "run"). Returns 0, 1 after --help, or 2 with a message on
 * stderr for bad usage. */
int config_parse_run(int argc, char **argv, struct config *cfg);

/* Parses a --models / --workload list into cfg. Returns 0 or -1 with a message in err. */
int config_parse_models(const char *list, struct config *cfg, char *err, size_t errlen);
int config_parse_workloads(const char *list, struct config *cfg, char *err, size_t errlen);
/* More workers than tasks: caps the pools at the task count, says so on stderr (who: the
 * command), and keeps what was asked in cfg->workers_asked for the cases' warnings. */
void config_cap_workers(struct config *cfg, const char *who);
/* Gives a -p KEY=VALUE to every workload of cfg that has KEY; -1 with a message if none has. */
int config_add_param(struct config *cfg, const char *kv, char *err, size_t errlen);

#endif
