/* `concbench primitives`: what each model's building blocks cost on this machine (spawn a
 * no-op task, switch between two tasks, arm and fire a timer), next to the raw calls, in one
 * run; a table and, with -o, a results file (one case per primitive, workload
 * "primitive:<name>", wall_s = seconds per operation). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/results.h"
#include "rmodel/rmodel.h"
#include "rmodel/stats.h"
#include "cmd/commands.h"
#include "runners/primitives/primitives.h"

#define PRIM_MAX_RUNS 100
#define PRIM_MAX      64 /* entries of prims[] this command can select from */

static const char prim_usage[] =
    "Usage: concbench primitives [--runs N] [--target-ms MS] [--only NAME,...] [-o FILE] [-q]\n";

static void prim_help(void)
{
    fputs(prim_usage, stdout);
    fputs("\n"
          "Times the building blocks of the models one at a time, next to the raw calls\n"
          "they rest on: spawning and joining a task that does nothing, handing control\n"
          "from one task to another, arming the shortest timer and waiting for it. Each is\n"
          "calibrated to about --target-ms per run, then timed --runs times; the table shows\n"
          "the median ns per operation and half its 95% interval.\n"
          "\n"
          "pthreads_task and processes_task are the models' own spawn path: the pthreads\n"
          "and processes runners, unchanged, running tasks that do nothing (the noop\n"
          "workload), 10 per call as `run -n 10` does, records checked. Each is timed\n"
          "with the same shape without the runner (pthread_spawn10, fork_spawn10: ten\n"
          "created, then ten joined), which --only brings along, their runs alternating;\n"
          "its row shows the ratios of their medians, wall time and CPU time (user +\n"
          "system, children's too; steadier on a busy machine): what the runner adds per\n"
          "task. pthread_spawn and fork_spawn, one at a time, show what having ten alive\n"
          "at once costs on top. Every measurement runs in a fresh child process, as\n"
          "`run` starts every repetition (see the README, Spawn cost).\n"
          "\n"
          "Options:\n"
          "      --runs N        timed runs per primitive, 2..100 (default 5)\n"
          "      --target-ms MS  length of one run, 1..10000 (default 100)\n"
          "      --only LIST     comma-separated primitive names (default all, below)\n"
          "  -o, --json FILE     write the results file (one case per primitive:\n"
          "                      implementation \"c\", workload \"primitive:NAME\",\n"
          "                      wall_s = seconds per operation)\n"
          "  -q, --quiet         no table\n"
          "  -h, --help          this text\n"
          "\n"
          "Primitives (group, the model they belong to, what one operation is):\n",
          stdout);
    for (const struct prim *p = prims; p->name != NULL; p++)
        printf("  %-21s %-6s %-9s %s\n", p->name, p->group, p->model, p->what);
    fputs("\nA primitive this build does not have (green_yield_copy under a sanitizer) is skipped\n"
          "with a line on stderr.\n"
          "\nExit status: 0 every primitive measured or skipped, 1 some failed, 2 bad usage.\n",
          stdout);
}

static int prim_bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "concbench primitives: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%svalid primitives:", prim_usage);
    for (const struct prim *p = prims; p->name != NULL; p++)
        fprintf(stderr, " %s", p->name);
    fputc('\n', stderr);
    return 2;
}

static int prim_number(const char *s, long min, long max, int *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v < min || v > max)
        return -1;
    *out = (int)v;
    return 0;
}

/* Marks the primitives named in a comma-separated list; 0, or 2 after naming a bad one. */
static int prim_select(const char *list, char *chosen)
{
    char buf[512], *save = NULL;

    snprintf(buf, sizeof(buf), "%s", list);
    memset(chosen, 0, PRIM_MAX);
    for (char *name = strtok_r(buf, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
        const struct prim *p = prim_find(name);
        if (p == NULL)
            return prim_bad_usage("unknown primitive '%s' in --only", name);
        chosen[p - prims] = 1;
        if (p->vs != NULL) /* a model's own path is only read next to its raw primitive */
            chosen[prim_find(p->vs) - prims] = 1;
    }
    return 0;
}

struct prim_opts {
    int runs, target_ms, quiet;
    const char *json_path;
    char chosen[PRIM_MAX];
};

/* 0 to go on, 1 after --help, 2 on bad usage. */
static int prim_parse(int argc, char **argv, struct prim_opts *o)
{
    static const struct option longs[] = {
        {"runs", required_argument, NULL, 'r'},
        {"target-ms", required_argument, NULL, 't'},
        {"only", required_argument, NULL, 'O'},
        {"json", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    int c;

    *o = (struct prim_opts){.runs = 5, .target_ms = 100};
    memset(o->chosen, 1, sizeof(o->chosen));
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:qh", longs, NULL)) != -1) {
        if (c == 'h') {
            prim_help();
            return 1;
        } else if (c == 'r' && prim_number(optarg, 2, PRIM_MAX_RUNS, &o->runs) != 0) {
            return prim_bad_usage("--runs must be a whole number 2..100, not '%s'", optarg);
        } else if (c == 't' && prim_number(optarg, 1, 10000, &o->target_ms) != 0) {
            return prim_bad_usage("--target-ms must be a whole number 1..10000, not '%s'", optarg);
        } else if (c == 'O' && prim_select(optarg, o->chosen) != 0) {
            return 2;
        } else if (c == 'o') {
            o->json_path = optarg;
        } else if (c == 'q') {
            o->quiet = 1;
        } else if (c == '?' || c == ':') {
            return prim_bad_usage(c == ':' ? "option '%s' needs a value" : "unknown option '%s'",
                                  argv[optind - 1]);
        }
    }
    if (optind < argc)
        return prim_bad_usage("unexpected argument '%s'", argv[optind]);
    return 0;
}

static void prim_param(struct rm_params *ps, const char *key, const char *s, long long i)
{
    struct rm_param *p;

    ps->v = realloc(ps->v, (size_t)(ps->n + 1) * sizeof(*ps->v));
    if (ps->v == NULL)
        abort();
    p = &ps->v[ps->n++];
    memset(p, 0, sizeof(*p));
    p->key = rm_strdup(key);
    p->v = calloc(1, sizeof(*p->v));
    if (p->v == NULL)
        abort();
    p->n = 1;
    p->v[0].is_int = s == NULL;
    p->v[0].i = i;
    p->v[0].s = rm_strdup(s);
}

/* One figure of a case from one field of the samples, scaled (ns to s). */
static void prim_figure(struct rm_figure *fig, const struct prim_sample *s, int runs, size_t field,
                        double scale)
{
    double v[PRIM_MAX_RUNS];

    for (int i = 0; i < runs; i++)
        v[i] = *(const double *)((const char *)&s[i] + field) * scale;
    rm_figure_set(fig, v, runs);
}

/* One primitive's case: per operation, wall_s and CPU seconds, context switches; peak RSS of
 * the process. Or the error that stopped it. */
static void prim_case(struct rm_file *f, const struct prim *p, const struct prim_sample *s,
                      int runs, long long n, const char *error)
{
    struct rm_case *c = rm_case_add(f);
    char workload[96];
    int got = error == NULL ? runs : 0;

    if (c == NULL)
        abort();
    snprintf(workload, sizeof(workload), "primitive:%s", p->name);
    c->implementation = rm_strdup("c");
    c->model = rm_strdup(p->model);
    c->label = rm_strdup(p->name);
    c->workload = rm_strdup(workload);
    c->tasks = n;
    prim_param(&c->params, "group", p->group, 0);
    prim_param(&c->params, "operation", p->what, 0);
    prim_param(&c->params, "ops_per_run", NULL, n);
    if (p->vs != NULL)
        prim_param(&c->params, "compared_with", p->vs, 0);
    c->reps_done = got;
    prim_figure(&c->fig[RM_WALL], s, got, offsetof(struct prim_sample, wall_ns), 1e-9);
    prim_figure(&c->fig[RM_USER], s, got, offsetof(struct prim_sample, user_ns), 1e-9);
    prim_figure(&c->fig[RM_SYS], s, got, offsetof(struct prim_sample, sys_ns), 1e-9);
    prim_figure(&c->fig[RM_RSS], s, got, offsetof(struct prim_sample, max_rss_kib), 1);
    prim_figure(&c->fig[RM_CTXV], s, got, offsetof(struct prim_sample, ctx_voluntary), 1);
    prim_figure(&c->fig[RM_CTXI], s, got, offsetof(struct prim_sample, ctx_involuntary), 1);
    c->validation_ok = error == NULL;
    c->tasks_checked = got;
    if (error != NULL) {
        c->error_count = 1;
        rm_strs_note(&c->errors, error, 1);
    }
    rm_strs_note(&f->config.workloads, workload, 64);
    rm_strs_note(&f->config.models, p->name, 64);
}

static struct rm_file *prim_file(const struct prim_opts *o)
{
    struct rm_file *f = rm_new();
    json_t *ctx = context_json();
    char err[256];

    f->tool = rm_strdup("concbench " CONCBENCH_VERSION);
    if (ctx != NULL)
        rm_context_from_doc(ctx, &f->context, err, sizeof(err));
    json_decref(ctx);
    f->config.reps = o->runs;
    f->complete = 1;
    return f;
}

/* One primitive's runs, or why it has none. */
struct prim_result {
    const struct prim *p;
    struct prim_sample s[PRIM_MAX_RUNS];
    long long n;
    int rc;
    char err[256];
};

/* The chosen model row compared with raw primitive p (e.g. pthreads_task for pthread_spawn). */
static const struct prim *prim_partner(const struct prim_opts *o, const struct prim *p)
{
    for (const struct prim *q = prims; q->name != NULL; q++)
        if (o->chosen[q - prims] && q->vs != NULL && strcmp(q->vs, p->name) == 0)
            return q;
    return NULL;
}

/* r[0] alone, or r[0] and its model row r[1] with their runs alternating; when the pair fails,
 * each alone, so the one that works keeps its figures. */
static void prim_measure_results(const struct prim_opts *o, struct prim_result *r, int count)
{
    double target = o->target_ms / 1000.0;

    if (count == 2) {
        const struct prim *pair[2] = {r[0].p, r[1].p};
        struct prim_sample *s[2] = {r[0].s, r[1].s};
        long long n[2] = {0, 0};

        r[0].rc = r[1].rc =
            prim_measure_pair(pair, o->runs, target, n, s, r[0].err, sizeof(r[0].err));
        r[0].n = n[0];
        r[1].n = n[1];
        if (r[0].rc == 0)
            return;
    }
    for (int k = 0; k < count; k++)
        r[k].rc =
            prim_measure(r[k].p, o->runs, target, &r[k].n, r[k].s, r[k].err, sizeof(r[k].err));
}

/* Median ns per operation of r's runs: wall time, or CPU time (user + system, children's too). */
static struct stats prim_stats(const struct prim_result *r, int runs, int cpu)
{
    double ns[PRIM_MAX_RUNS];
    struct stats st;

    for (int i = 0; i < runs; i++)
        ns[i] = cpu ? r->s[i].user_ns + r->s[i].sys_ns : r->s[i].wall_ns;
    stats_compute(ns, runs, &st);
    return st;
}

/* Files r in f and prints its row, with its ratios to raw (wall and CPU) when raw measured;
 * 1 when measured, 0 when skipped, -1 when it failed. */
static int prim_report(const struct prim_opts *o, struct rm_file *f, const struct prim_result *r,
                       const struct prim_result *raw)
{
    struct stats st;

    if (r->rc == -ENOTSUP) { /* e.g. stack=copy under a sanitizer: nothing to measure here */
        fprintf(stderr, "concbench primitives: %s: skipped: %s\n", r->p->name, r->err);
        return 0;
    }
    prim_case(f, r->p, r->s, o->runs, r->n, r->rc != 0 ? r->err : NULL);
    if (r->rc != 0) {
        fprintf(stderr, "concbench primitives: %s: %s\n", r->p->name, r->err);
        return -1;
    }
    st = prim_stats(r, o->runs, 0);
    if (!o->quiet) {
        printf("%-21s %-6s %-9s %12.1f %10.1f %12lld", r->p->name, r->p->group, r->p->model,
               st.median, (st.ci95_hi - st.ci95_lo) / 2, r->n);
        if (raw != NULL && raw->rc == 0)
            printf("  %5.2fx wall, %5.2fx CPU of %s",
                   st.median / prim_stats(raw, o->runs, 0).median,
                   prim_stats(r, o->runs, 1).median / prim_stats(raw, o->runs, 1).median, r->p->vs);
        putchar('\n');
    }
    fflush(stdout);
    return 1;
}

/* Measures and reports every chosen primitive, a model row right after its raw one; 1 when one
 * failed. */
static int prim_run_all(const struct prim_opts *o, struct rm_file *f)
{
    static struct prim_result r[2];
    int failed = 0;

    for (const struct prim *p = prims; p->name != NULL; p++) {
        int count = 1;

        if (!o->chosen[p - prims] || (p->vs != NULL && o->chosen[prim_find(p->vs) - prims]))
            continue; /* not asked for, or measured with its raw primitive */
        memset(r, 0, sizeof(r));
        r[0].p = p;
        if ((r[1].p = prim_partner(o, p)) != NULL)
            count = 2;
        prim_measure_results(o, r, count);
        failed |= prim_report(o, f, &r[0], NULL) < 0;
        if (count == 2)
            failed |= prim_report(o, f, &r[1], &r[0]) < 0;
    }
    return failed;
}

int cmd_primitives(int argc, char **argv)
{
    struct prim_opts o;
    struct rm_file *f;
    char err[256];
    int rc = prim_parse(argc, argv, &o), failed;

    if (rc != 0)
        return rc == 1 ? 0 : 2;
    if (o.json_path != NULL && results_check_writable(o.json_path, err, sizeof(err)) != 0) {
        fprintf(stderr, "concbench primitives: %s\n", err);
        return 2;
    }
    f = prim_file(&o);
    if (!o.quiet)
        printf("%-21s %-6s %-9s %12s %10s %12s  %s\n", "primitive", "group", "model", "ns/op med",
               "±95%", "ops per run", "model / raw");
    failed = prim_run_all(&o, f);
    if (o.json_path != NULL && rm_write(f, o.json_path, err, sizeof(err)) != 0) {
        fprintf(stderr, "concbench primitives: %s\n", err);
        failed = 1;
    }
    rm_free(f);
    return failed;
}
