/* The `sweep` command line: models, workloads and parameters as `run` reads them, the N of each
 * workload, and the time bounds; every value checked before any work. */
#include "cmd/sweep_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "cmd/run_options.h"

#define SWEEP_MAX_TASKS 1000000

/* The N of a workload when --tasks-list is not given: decades as far as the workload is
 * worth measuring on one machine (io_bound: each task holds a connection). */
static const char *sweep_default_list(const char *workload)
{
    if (strcmp(workload, "sleep") == 0)
        return "10,100,1000,10000,100000,1000000";
    if (strcmp(workload, "io_bound") == 0)
        return "10,100,1000,10000";
    return "10,100,1000";
}

/* "10,100,1000" into n[]: whole numbers 1..SWEEP_MAX_TASKS, growing; 0 or -1 with err. */
static int sweep_parse_list(const char *list, int *n, int *count, char *err, size_t len)
{
    char copy[512], *save = NULL;
    long long v;

    *count = 0;
    if (strlen(list) >= sizeof(copy)) {
        snprintf(err, len, "--tasks-list is too long");
        return -1;
    }
    /* strtok would skip an empty item: "10,,20" and ",10" are typing slips, not lists */
    if (list[0] == ',' || list[0] == '\0' || list[strlen(list) - 1] == ',' ||
        strstr(list, ",,") != NULL) {
        snprintf(err, len, "--tasks-list '%s': an empty value (expected N,N,... like 10,100)",
                 list);
        return -1;
    }
    strcpy(copy, list);
    for (char *item = strtok_r(copy, ",", &save); item != NULL; item = strtok_r(NULL, ",", &save)) {
        if (*count >= SWEEP_MAX_POINTS) {
            snprintf(err, len, "--tasks-list: at most %d values", SWEEP_MAX_POINTS);
            return -1;
        }
        if (parse_ll(item, 1, SWEEP_MAX_TASKS, &v) != 0) {
            char expected[96];
            parse_ll_expected(item, 1, SWEEP_MAX_TASKS, expected, sizeof(expected));
            snprintf(err, len, "--tasks-list '%s': %s", item, expected);
            return -1;
        }
        if (*count > 0 && v <= n[*count - 1]) {
            snprintf(err, len, "--tasks-list: %lld after %d: give N smallest first, each once", v,
                     n[*count - 1]);
            return -1;
        }
        n[(*count)++] = (int)v;
    }
    if (*count == 0) {
        snprintf(err, len, "--tasks-list is empty: give N like 10,100,1000");
        return -1;
    }
    return 0;
}

/* Per workload: its N, and its pool (-j as given; cpu_bound: one worker per CPU by default). */
static int sweep_plans(struct sweep_opts *o, char *err, size_t len)
{
    struct sweep_cfg *cfg = &o->cfg;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);

    for (int w = 0; w < cfg->base.nwls; w++) {
        const char *name = cfg->base.wls[w].wl->name;
        const char *list = o->tasks_list ? o->tasks_list : sweep_default_list(name);
        if (sweep_parse_list(list, cfg->tasks[w], &cfg->ntasks[w], err, len) != 0)
            return -1;
        cfg->workers[w] = o->workers >= 0                  ? o->workers
                          : strcmp(name, "cpu_bound") == 0 ? (int)(cpus > 0 ? cpus : 1)
                                                           : 0;
    }
    return 0;
}

static int sweep_seconds(const char *flag, const char *text, double *out)
{
    if (parse_double(text, 0.001, 86400, out) == 0)
        return 0;
    fprintf(stderr, "concbench sweep: %s '%s': expected seconds from 0.001 to 86400\n", flag, text);
    return CLI_USAGE;
}

static const struct option sweep_longopts[] = {
    {"models", required_argument, NULL, 'm'},
    {"workload", required_argument, NULL, 'w'},
    {"tasks-list", required_argument, NULL, 'N'},
    {"reps", required_argument, NULL, 'r'},
    {"warmup", required_argument, NULL, 'W'},
    {"workers", required_argument, NULL, 'j'},
    {"param", required_argument, NULL, 'p'},
    {"json", required_argument, NULL, 'o'},
    {"max-seconds", required_argument, NULL, 'S'},
    {"sequential-max-seconds", required_argument, NULL, 's'},
    {"timeout", required_argument, NULL, 'T'},
    {"timeline", required_argument, NULL, 'L'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* One option that is not a number; 0, 1 after --help, or 2. */
static int sweep_option(struct cli *cli, int c, struct sweep_opts *o)
{
    switch (c) {
    case 'm':
        o->models = optarg;
        return 0;
    case 'w':
        o->workloads = optarg;
        return 0;
    case 'N':
        o->tasks_list = optarg;
        return 0;
    case 'p':
        return cli_append(cli, "-p", o->params, &o->nparams, PARAMS_MAX) == CLI_USAGE ? 2 : 0;
    case 'o':
        o->cfg.base.json_path = optarg;
        return 0;
    case 'S':
        return sweep_seconds("--max-seconds", optarg, &o->cfg.max_seconds) ? 2 : 0;
    case 's':
        return sweep_seconds("--sequential-max-seconds", optarg, &o->cfg.sequential_max_seconds)
                   ? 2
                   : 0;
    case 'q':
        o->cfg.base.quiet = 1;
        return 0;
    case 'h':
        sweep_usage(stdout);
        return 1;
    default: /* CLI_USAGE: said */
        return 2;
    }
}

/* The lists, checked against each other; 0 or 2. */
static int sweep_lists(struct sweep_opts *o)
{
    struct config *cfg = &o->cfg.base;
    char err[512];

    if (config_parse_models(o->models, cfg, err, sizeof(err)) != 0 ||
        config_parse_workloads(o->workloads, cfg, err, sizeof(err)) != 0) {
        cli_error("sweep", err);
        return 2;
    }
    for (int i = 0; i < o->nparams; i++)
        if (config_add_param(cfg, o->params[i], err, sizeof(err)) != 0) {
            cli_error("sweep", err);
            return 2;
        }
    if (sweep_plans(o, err, sizeof(err)) != 0) {
        fprintf(stderr, "concbench sweep: %s (see concbench sweep --help)\n", err);
        return 2;
    }
    return 0;
}

int sweep_parse(int argc, char **argv, struct sweep_opts *o)
{
    struct cli cli;
    int c, rc;
    const struct cli_number numbers[] = {
        {'r', "--reps", 1, 10000, NULL, &o->cfg.base.reps},
        {'W', "--warmup", 0, 10000, NULL, &o->cfg.base.warmup},
        {'j', "--workers", 0, 100000, NULL, &o->workers},
        {'T', "--timeout", 1, 86400, NULL, &o->cfg.base.timeout_s},
        {'L', "--timeline", 0, SWEEP_MAX_TASKS, NULL, &o->cfg.base.timeline_max},
        {0, NULL, 0, 0, NULL, NULL},
    };

    memset(o, 0, sizeof(*o));
    o->models = "all,green:sched=mn"; /* a variant, not a model of its own: named here */
    o->workloads = "sleep";
    o->workers = -1;
    o->cfg.base = (struct config){.reps = 3, .warmup = 1, .timeout_s = 300, .timeline_max = 0};
    o->cfg.max_seconds = 60;
    o->cfg.sequential_max_seconds = 10;
    cli_init(&cli, "sweep", argc, argv, "m:w:r:j:p:o:qh", sweep_longopts);
    while ((c = cli_next(&cli)) != -1) {
        rc = cli_number_option(&cli, numbers, c);
        if (rc == 0)
            rc = sweep_option(&cli, c, o);
        else
            rc = rc == CLI_USAGE ? 2 : 0;
        if (rc != 0)
            return rc;
    }
    if (cli_operands(&cli, 0, 0, "") == CLI_USAGE)
        return 2;
    return sweep_lists(o);
}
