/* The `run` command line: every value is checked here, before any work, and a bad one gets a
 * message that says what is valid. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/run_options.h"
#include "cmd/workload_variant.h"
#include "common/article_sizes.h"
#include "common/cpulist.h"
#include "common/suggest.h"

#define MAX_TASKS   10000000
#define MAX_REPS    10000
#define MAX_WORKERS 100000

static void list_runner_names(char *buf, size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    for (int i = 0; runners[i] != NULL; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s, ", runners[i]->name);
    snprintf(buf + used, len - used, "all");
}

static void list_workload_names(char *buf, size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    for (int i = 0; workloads[i] != NULL; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", workloads[i]->name);
}

/* "; did you mean pthreads?" for a misspelt model name, "" when none is near. */
static const char *near_runner(const char *name, char *buf, size_t len)
{
    struct suggest s;

    suggest_init(&s, name);
    for (int i = 0; runners[i] != NULL; i++)
        suggest_offer(&s, runners[i]->name);
    return suggest_text(&s, "", buf, len);
}

static int add_model(struct config *cfg, const char *spec, char *err, size_t errlen)
{
    char name[64], *colon, copy[256];
    struct model_spec *m;
    char *save = NULL, *opt;

    if (cfg->nmodels >= CONFIG_MAX_MODELS) {
        snprintf(err, errlen, "too many models (at most %d)", CONFIG_MAX_MODELS);
        return -1;
    }
    if (strlen(spec) >= sizeof(copy)) {
        snprintf(err, errlen, "model '%.40s...' is too long", spec);
        return -1;
    }
    strcpy(copy, spec);
    colon = strchr(copy, ':');
    snprintf(name, sizeof(name), "%.*s", colon ? (int)(colon - copy) : (int)strlen(copy), copy);
    m = &cfg->models[cfg->nmodels];
    memset(m, 0, sizeof(*m));
    m->runner = runner_find(name);
    if (m->runner == NULL && runner_missing_why(name) != NULL) {
        snprintf(err, errlen, "model '%s' is not in this build: %s", name,
                 runner_missing_why(name));
        return -1;
    }
    if (m->runner == NULL) {
        char names[256], near[96];
        list_runner_names(names, sizeof(names));
        snprintf(err, errlen, "unknown model '%s' (valid: %s)%s", name, names,
                 near_runner(name, near, sizeof(near)));
        return -1;
    }
    for (opt = colon ? strtok_r(colon + 1, ":", &save) : NULL; opt != NULL;
         opt = strtok_r(NULL, ":", &save)) {
        char why[384];
        if (params_add(&m->opts, m->runner->options, opt, why, sizeof(why)) != 0) {
            snprintf(err, errlen, "model %s: %s (see `concbench list`)", name, why);
            params_clear(&m->opts);
            return -1;
        }
    }
    snprintf(m->label, sizeof(m->label), "%s", spec);
    for (int i = 0; i < cfg->nmodels; i++) {
        if (strcmp(cfg->models[i].label, m->label) == 0) { /* two identical cases, one label */
            snprintf(err, errlen, "model '%s' is given twice: each model (with its options) once",
                     spec);
            params_clear(&m->opts);
            return -1;
        }
    }
    cfg->nmodels++;
    return 0;
}

int config_parse_models(const char *list, struct config *cfg, char *err, size_t errlen)
{
    char *copy = strdup(list), *save = NULL;
    int rc = 0;

    for (int i = 0; i < cfg->nmodels; i++)
        params_clear(&cfg->models[i].opts);
    cfg->nmodels = 0;
    if (copy == NULL)
        return -1;
    for (char *item = strtok_r(copy, ",", &save); item != NULL && rc == 0;
         item = strtok_r(NULL, ",", &save)) {
        if (strcmp(item, "all") == 0) {
            for (int i = 0; runners[i] != NULL && rc == 0; i++)
                if (!runners[i]->launched) /* mpi: seconds of mpirun, only when named */
                    rc = add_model(cfg, runners[i]->name, err, errlen);
        } else {
            rc = add_model(cfg, item, err, errlen);
        }
    }
    if (rc == 0 && cfg->nmodels == 0) {
        char names[256];
        list_runner_names(names, sizeof(names));
        snprintf(err, errlen, "no model given (valid: %s)", names);
        rc = -1;
    }
    free(copy);
    return rc;
}

void config_cap_workers(struct config *cfg, const char *who)
{
    if (cfg->workers <= cfg->tasks)
        return;
    /* more workers than tasks would only start idle threads or processes (-n 2 -j 100000 forked
     * 100,000 of them) */
    fprintf(stderr, "%s: warning: --workers %d is more than the %d tasks: pools of %d\n", who,
            cfg->workers, cfg->tasks, cfg->tasks);
    cfg->workers_asked = cfg->workers;
    cfg->workers = cfg->tasks;
}

/* 1 when wl is in the list already without parameters of its own. */
static int workload_given(const struct config *cfg, const struct workload *wl)
{
    for (int i = 0; i < cfg->nwls; i++)
        if (cfg->wls[i].wl == wl && cfg->wls[i].name == NULL)
            return 1;
    return 0;
}

int config_parse_workloads(const char *list, struct config *cfg, char *err, size_t errlen)
{
    char *copy = strdup(list), *save = NULL;
    int rc = 0;

    for (int i = 0; i < cfg->nwls; i++)
        params_clear(&cfg->wls[i].params);
    cfg->nwls = 0;
    if (copy == NULL)
        return -1;
    for (char *item = strtok_r(copy, ",", &save); item != NULL && rc == 0;
         item = strtok_r(NULL, ",", &save)) {
        const struct workload *wl = workload_find(item);
        char names[256], near[96];
        if (strchr(item, ':') != NULL) {
            rc = wl_variant_add(cfg, item, err, errlen);
        } else if (wl == NULL) {
            list_workload_names(names, sizeof(names));
            snprintf(err, errlen, "unknown workload '%s' (valid: %s)%s", item, names,
                     wl_near_workload(item, near, sizeof(near)));
            rc = -1;
        } else if (workload_given(cfg, wl)) { /* two identical cases per model, one key */
            snprintf(err, errlen,
                     "workload '%s' is given twice: each workload (with its parameters) once",
                     item);
            rc = -1;
        } else if (cfg->nwls >= CONFIG_MAX_WORKLOADS) {
            snprintf(err, errlen, "too many workloads (at most %d)", CONFIG_MAX_WORKLOADS);
            rc = -1;
        } else {
            memset(&cfg->wls[cfg->nwls], 0, sizeof(cfg->wls[0]));
            cfg->wls[cfg->nwls++].wl = wl;
        }
    }
    if (rc == 0 && cfg->nwls == 0) {
        char names[256];
        list_workload_names(names, sizeof(names));
        snprintf(err, errlen, "no workload given (valid: %s)", names);
        rc = -1;
    }
    free(copy);
    return rc;
}

int config_add_param(struct config *cfg, const char *kv, char *err, size_t errlen)
{
    const char *eq = strchr(kv, '=');
    int taken = 0;

    for (int i = 0; i < cfg->nwls; i++) {
        const struct workload *wl = cfg->wls[i].wl;
        char key[64];
        snprintf(key, sizeof(key), "%.*s", eq ? (int)(eq - kv) : (int)strlen(kv), kv);
        /* With several workloads a key belongs to those that know it; with one, its own message
         * (unknown key, bad value) is the most useful. */
        if (cfg->nwls > 1 && params_find_spec(wl->params, key) == NULL)
            continue;
        if (wl_variant_sets(&cfg->wls[i], key)) { /* the variant's own value stays */
            taken++;
            continue;
        }
        if (params_add(&cfg->wls[i].params, wl->params, kv, err, errlen) != 0) {
            char why[512];
            snprintf(why, sizeof(why), "workload %s: %s", wl->name, err);
            snprintf(err, errlen, "%s", why);
            return -1;
        }
        taken++;
    }
    if (taken == 0) {
        snprintf(err, errlen,
                 "'%s': no workload of this run has that parameter (see `concbench "
                 "list`)",
                 kv);
        return -1;
    }
    return 0;
}

/* Breaks a ", "-separated list into lines of at most width columns, each further line indented
 * by indent spaces (in place; buf has room for len bytes). */
static void wrap_list(char *buf, size_t len, int width, int indent)
{
    char copy[512], *save = NULL;
    size_t used = 0;
    int col = 0;

    snprintf(copy, sizeof(copy), "%s", buf);
    buf[0] = '\0';
    for (char *item = strtok_r(copy, " ", &save); item != NULL && used < len;
         item = strtok_r(NULL, " ", &save)) {
        int n = (int)strlen(item);
        if (col > 0 && col + 1 + n > width) {
            used += (size_t)snprintf(buf + used, len - used, "\n%*s", indent, "");
            col = 0;
        } else if (col > 0) {
            used += (size_t)snprintf(buf + used, len - used, " ");
            col++;
        }
        if (used < len)
            used += (size_t)snprintf(buf + used, len - used, "%s", item);
        col += n;
    }
}

/* What run measures, examples and the exit status: the end of run --help. */
static void run_usage_notes(FILE *out)
{
    fprintf(out, "How it measures: each repetition runs in a fresh child process; rounds\n"
                 "interleave the models so machine drift spreads over all of them. The timed\n"
                 "region is what a user of the model pays: creating, running and joining the N\n"
                 "tasks. Every task's result is checked against one computed before timing.\n"
                 "\n"
                 "Examples:\n"
                 "  concbench run                                   # the article's cpu_bound\n"
                 "  concbench run -w sleep -n 3 -p ms=2000 -p ms=1000 -p ms=3000\n"
                 "  concbench run -w sleep -m green,evloop -n 100000 -r 3\n"
                 "  concbench run -m sequential,evloop,evloop:compute=inline -o results.json\n"
                 "\n"
                 "Exit status: 0 all cases valid; 1 a case failed or gave wrong results;\n"
                 "2 bad usage.\n");
}

static void run_usage(FILE *out)
{
    char models[512], wls[256];

    list_runner_names(models, sizeof(models));
    wrap_list(models, sizeof(models), 80 - 25, 25); /* the options' text column */
    list_workload_names(wls, sizeof(wls));
    fprintf(out,
            "Usage: concbench run [options]\n"
            "\n"
            "Runs N tasks of one workload under each execution model, several times, and\n"
            "reports wall time, CPU time, peak memory and context switches per model.\n"
            "\n"
            "Options:\n"
            "  -m, --models LIST      comma-separated models (default all), from\n"
            "                         %s\n"
            "                         a model may carry options: evloop:compute=inline,\n"
            "                         green:stack_kib=32 (see `concbench list`); all\n"
            "                         leaves out models started through a launcher\n"
            "                         (mpi: seconds of mpirun), which run when named\n"
            "  -w, --workload LIST    comma-separated (default cpu_bound), from\n"
            "                         %s;\n"
            "                         a workload may carry parameters of its own, e.g.\n"
            "                         io_bound,io_bound:client=raw (both, side by side)\n"
            "  -n, --tasks N          tasks per run (default 10, at most %d)\n"
            "  -r, --reps N           measured repetitions per model (default 5)\n"
            "      --warmup N         unmeasured repetitions first (default 1)\n"
            "  -j, --workers N        pool size; 0 = one thread/process/coroutine per task\n"
            "                         (default 0, as in the article)\n"
            "  -p, --param KEY=VALUE  workload parameter, repeatable (see `concbench list`):\n"
            "                         cpu_bound base=7777 exponent=200000; sleep ms=100\n"
            "  -o, --json FILE        write results as JSON (rewritten after every\n"
            "                         repetition, atomically; - = stdout, once at the end,\n"
            "                         the table then goes to stderr; never replaces a\n"
            "                         directory, device, FIFO, symbolic link or read-only\n"
            "                         file)\n"
            "      --count instructions\n"
            "                         after the rounds, run each single-thread case\n"
            "                         (sequential, green, evloop:compute=inline) once more\n"
            "                         under valgrind's callgrind and record the instructions\n"
            "                         of its timed region (deterministic to under 1%%: the\n"
            "                         metric for a noisy runner; compare --metric\n"
            "                         instructions); needs valgrind, not in ASan/TSan builds\n"
            "      --timeout SEC      kill a repetition that runs longer (default 600)\n"
            "      --timeline N       tasks kept in each case's timeline (default 1000)\n"
            "  -q, --quiet            no table (errors and warnings still go to stderr)\n"
            "      --wide             every column of the table, however narrow the terminal\n"
            "                         (else, when $COLUMNS or the terminal is narrower than\n"
            "                         the table, the least needed columns are left out)\n"
            "      --cancel-after MS  cancel what still waits MS ms after the start\n"
            "                         (asyncio.wait with a timeout, then cancel()): sleep's\n"
            "                         and the script workload's waits are cancellation points\n"
            "                         in every model (cpu_bound and io_bound have none: a\n"
            "                         warning says so); cancelled tasks are counted, not\n"
            "                         failures\n"
            "      --gantt            the task timelines as text after the table, one panel\n"
            "                         per model (concbench report FILE --timeline draws them\n"
            "                         again; --ascii there)\n"
            "      --trace FILE       the task timelines as a Chrome trace-event file for\n"
            "                         https://ui.perfetto.dev (see concbench trace --help)\n"
            "      --cpus LIST        pin the harness and every task to these CPUs (0, 0-1,\n"
            "                         0,2-3; recorded in config.cpus); with fewer CPUs than a\n"
            "                         parallel model could use, its speed-up is capped (a\n"
            "                         warning says so)\n"
            "  -h, --help             this text\n"
            "\n",
            models, wls, MAX_TASKS);
    run_usage_notes(out);
}

static const struct option run_longopts[] = {
    {"models", required_argument, NULL, 'm'},
    {"workload", required_argument, NULL, 'w'},
    {"tasks", required_argument, NULL, 'n'},
    {"reps", required_argument, NULL, 'r'},
    {"warmup", required_argument, NULL, 'W'},
    {"workers", required_argument, NULL, 'j'},
    {"param", required_argument, NULL, 'p'},
    {"json", required_argument, NULL, 'o'},
    {"timeout", required_argument, NULL, 'T'},
    {"timeline", required_argument, NULL, 'L'},
    {"quiet", no_argument, NULL, 'q'},
    {"wide", no_argument, NULL, 'V'},
    {"gantt", no_argument, NULL, 'G'},
    {"count", required_argument, NULL, 'I'},
    {"trace", required_argument, NULL, 'R'},
    {"cancel-after", required_argument, NULL, 'X'},
    {"cpus", required_argument, NULL, 'C'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* The model and workload lists and the -p parameters, checked against each other; 0 or 2. */
static int run_lists(struct config *cfg, const char *models, const char *wls,
                     const char *const *params, int nparams)
{
    char err[512];

    if (config_parse_models(models, cfg, err, sizeof(err)) != 0) {
        cli_error("run", err);
        return 2;
    }
    config_cap_workers(cfg, "concbench run");
    if (config_parse_workloads(wls, cfg, err, sizeof(err)) != 0) {
        cli_error("run", err);
        return 2;
    }
    /* Parameters are checked against the workloads chosen, wherever -w stood. */
    for (int i = 0; i < nparams; i++) {
        if (config_add_param(cfg, params[i], err, sizeof(err)) != 0) {
            cli_error("run", err);
            return 2;
        }
    }
    return 0;
}

int config_parse_run(int argc, char **argv, struct config *cfg)
{
    const char *models = "all", *wls = "cpu_bound", *params[PARAMS_MAX];
    int nparams = 0, c;
    struct cli cli;
    char err[512];

    const struct cli_number numbers[] = {
        {'n', "--tasks", 1, MAX_TASKS, NULL, &cfg->tasks},
        {'r', "--reps", 1, MAX_REPS, NULL, &cfg->reps},
        {'W', "--warmup", 0, MAX_REPS, NULL, &cfg->warmup},
        {'X', "--cancel-after", 1, 86400000, NULL, &cfg->cancel_after_ms},
        {'j', "--workers", 0, MAX_WORKERS, NULL, &cfg->workers},
        {'T', "--timeout", 1, 86400, NULL, &cfg->timeout_s},
        {'L', "--timeline", 0, MAX_TASKS, NULL, &cfg->timeline_max},
        {0, NULL, 0, 0, NULL, NULL},
    };

    *cfg = (struct config){
        .tasks = ARTICLE_TASKS, .reps = 5, .warmup = 1, .timeout_s = 600, .timeline_max = 1000};
    cli_init(&cli, "run", argc, argv, "m:w:n:r:j:p:o:qh", run_longopts);
    while ((c = cli_next(&cli)) != -1) {
        int number = cli_number_option(&cli, numbers, c);
        if (number != 0) {
            if (number == CLI_USAGE)
                return 2;
            continue;
        }
        switch (c) {
        case 'm':
            models = optarg;
            break;
        case 'w':
            wls = optarg;
            break;
        case 'p':
            if (cli_append(&cli, "-p", params, &nparams, PARAMS_MAX) == CLI_USAGE)
                return 2;
            break;
        case 'o':
            cfg->json_path = optarg;
            break;
        case 'q':
            cfg->quiet = 1;
            break;
        case 'V':
            cfg->wide = 1;
            break;
        case 'C':
            cfg->cpus = optarg;
            if ((cfg->ncpus = cpulist_count(optarg, err, sizeof(err))) < 0) {
                cli_error("run", err);
                return 2;
            }
            break;
        case 'G':
            cfg->gantt = 1;
            break;
        case 'I':
            if (strcmp(optarg, "instructions") != 0) {
                fprintf(stderr, "concbench run: --count '%s': expected instructions\n", optarg);
                return 2;
            }
            cfg->count_instructions = 1;
            break;
        case 'R':
            cfg->trace_path = optarg;
            break;
        case 'h':
            run_usage(stdout);
            return 1;
        default: /* CLI_USAGE: said */
            return 2;
        }
    }
    if (cli_operands(&cli, 0, 0, "") == CLI_USAGE)
        return 2;
    return run_lists(cfg, models, wls, params, nparams);
}
