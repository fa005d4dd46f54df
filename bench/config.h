#ifndef CONCBENCH_CONFIG_H
#define CONCBENCH_CONFIG_H

#include "common/params.h"
#include "runners/runner.h"
#include "workloads/workload.h"

#define CONFIG_MAX_MODELS    32
#define CONFIG_MAX_WORKLOADS 8

/* One model as asked for on the command line, e.g. "evloop:compute=inline". */
struct model_spec {
    const struct runner *runner;
    struct param_set opts;
    char label[128];
};

/* One workload with the parameters given for it. */
struct workload_spec {
    const struct workload *wl;
    struct param_set params;
    /* What results call it when one workload runs twice with other parameters (reproduce's
     * "io_bound:article"); NULL = wl->name. A static string. */
    const char *name;
};

/* What results call a workload spec: its name, else its workload's. */
const char *workload_spec_name(const struct workload_spec *ws);

/* Everything `concbench run` was asked to do, validated. A case is one model on one workload. */
struct config {
    struct model_spec models[CONFIG_MAX_MODELS];
    int nmodels;
    struct workload_spec wls[CONFIG_MAX_WORKLOADS];
    int nwls;
    int tasks, reps, warmup, workers;
    int workers_asked; /* -j as given, when more than the tasks (workers is then capped), else 0 */
    int timeout_s;     /* per repetition */
    int timeline_max;  /* tasks kept in a case's timeline */
    const char *json_path; /* NULL = no JSON */
    const char *cpus;      /* --cpus as given; NULL = not pinned */
    int ncpus;             /* how many CPUs --cpus names */
    int quiet;
    int wide;            /* run --wide: every column of the table, whatever the terminal's width */
    int cancel_after_ms; /* run --cancel-after: waits still under way then are cancelled */
    int gantt;           /* run --gantt: the timelines as text after the table */
    int count_instructions; /* run --count instructions (bench/count.h) */
    const char *trace_path; /* run --trace FILE: a Chrome trace-event file; NULL = none */
};

void config_free(struct config *cfg);

/* When --cpus leaves a model fewer CPUs than it could use in parallel here (min(tasks, workers,
 * online CPUs)), a warning for it into buf: its speed-up is capped by the pinning, not by the
 * model. 1 when there is one. */
int config_pin_warning(const struct config *cfg, const struct model_spec *m, char *buf, size_t len);

#endif
