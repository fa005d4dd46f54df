#ifndef CONCBENCH_CONFIG_H
#define CONCBENCH_CONFIG_H

#include "harness/params.h"
#include "runners/runner.h"
#include "workloads/workload.h"

#define CONFIG_MAX_MODELS 32

/* One model as asked for on the command line, e.g. "evloop:compute=inline". */
struct model_spec {
    const struct runner *runner;
    struct param_set opts;
    char label[128];
};

/* Everything `concbench run` was asked to do, validated. */
struct config {
    struct model_spec models[CONFIG_MAX_MODELS];
    int nmodels;
    const struct workload *wl;
    struct param_set params;
    int tasks, reps, warmup, workers;
    int timeout_s;         /* per repetition */
    int timeline_max;      /* tasks kept in a case's timeline */
    const char *json_path; /* NULL = no JSON */
    int quiet;
};

/* Parses `run` options (argv[0] = "run"). Returns 0, 1 after --help, or 2 with a message on
 * stderr for bad usage. */
int config_parse_run(int argc, char **argv, struct config *cfg);
void config_free(struct config *cfg);

/* Parses a --models list into cfg. Returns 0 or -1 with a message in err. */
int config_parse_models(const char *list, struct config *cfg, char *err, size_t errlen);

#endif
