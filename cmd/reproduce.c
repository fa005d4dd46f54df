/* `concbench reproduce`: the article's experiment in one command. N=10 tasks of cpu_bound
 * (7777**200000) and io_bound (4 GETs in a row against the embedded server) under all five
 * models, with the harness's repetitions, validation and JSON; optionally the Python reference
 * variants of scripts/python/ in the same run; then one table next to the article's published
 * seconds, and a reading of it computed from the numbers. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rmodel/article.h"
#include "bench/bench.h"
#include "bench/config.h"
#include "bench/python/python_cases.h"
#include "bench/python/reproduce_python.h"
#include "bench/results.h"
#include "rmodel/hyperfine.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "cmd/reproduce_latency.h"
#include "cmd/reproduce_opts.h"
#include "cmd/spawn_notes.h"
#include "cmd/run_options.h"
#include "bench/checkpoint.h"
#include "bench/progress.h"
#include "common/outfile.h"
#include "common/term_width.h"
#include "report/report_sections.h"
#include "server/server.h"

/* 1 when the comma-separated list holds item whole. */
static int list_has(const char *list, const char *item)
{
    size_t n = strlen(item);

    for (const char *p = list; (p = strstr(p, item)) != NULL; p += n)
        if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
            return 1;
    return 0;
}

/* Appends item to the list unless it is there; -1 when the list is full. */
static int list_add(char *list, size_t len, const char *item)
{
    size_t used = strlen(list);

    if (list_has(list, item))
        return 0;
    if (used + strlen(item) + 2 > len)
        return -1;
    snprintf(list + used, len - used, "%s%s", used ? "," : "", item);
    return 0;
}

/* A model of `article` or `all` that this build lacks is left out with a note that says what to
 * install (one named in -m is refused by config_parse_models, with the same words). */
static int add_if_built(char *list, size_t len, const char *spec, struct rm_strs *missing)
{
    char name[64], why[512];
    const char *why_missing;

    snprintf(name, sizeof(name), "%.*s", (int)strcspn(spec, ":"), spec);
    if (runner_find(name) != NULL)
        return list_add(list, len, spec);
    why_missing = runner_missing_why(name);
    snprintf(why, sizeof(why), "model %s is not in this build%s%s", spec, why_missing ? ": " : "",
             why_missing ? why_missing : "");
    rm_strs_note(missing, why, 64);
    return 0;
}

/* The models of the run as config_parse_models reads them: -m's list (default `article`) with
 * `article` (the five) and `all` (those and repro_newer) expanded, sequential first whatever it
 * says (every speed-up is against it), and with --gil each of the article's gil models again
 * with gil=on. 0, or -1 with a message. */
static int repro_model_list(const struct repro_opts *o, char *list, size_t len,
                            struct rm_strs *missing)
{
    char *copy = strdup(o->models != NULL ? o->models : "article"), *save = NULL, gil[96];
    int rc, items = 0;

    if (copy == NULL)
        abort();
    list[0] = '\0';
    rc = list_add(list, len, runner_baseline_name());
    for (char *item = strtok_r(copy, ",", &save); item != NULL && rc == 0;
         item = strtok_r(NULL, ",", &save), items++) {
        int article = strcmp(item, "article") == 0, all = strcmp(item, "all") == 0;
        for (int m = 0; (article || all) && m < REPRO_NMODELS && rc == 0; m++)
            rc = add_if_built(list, len, repro_models[m], missing);
        for (int m = 0; all && m < REPRO_NNEWER && rc == 0; m++)
            rc = add_if_built(list, len, repro_newer[m], missing);
        if (!article && !all)
            rc = list_add(list, len, item);
    }
    free(copy);
    if (items == 0) { /* -m "" or -m , */
        cli_error("reproduce", "-m: no model given (article, all, or models as run takes them)");
        return -1;
    }
    for (int m = 0; o->gil && rc == 0 && m < REPRO_NMODELS; m++) /* the models with a gil option */
        if (repro_gil_model(m) && list_has(list, repro_models[m])) {
            snprintf(gil, sizeof(gil), "%s:gil=on", repro_models[m]);
            rc = list_add(list, len, gil);
        }
    if (rc != 0)
        cli_error("reproduce", "-m: the list of models is too long");
    return rc;
}

/* The config of the article's experiment: the models asked for (the article's five by default)
 * and every workload this build has. */
static int repro_config(const struct repro_opts *o, struct config *cfg, struct rm_strs *missing)
{
    char list[1024], err[512], kv[128];
    int have_io = workload_find("io_bound") != NULL;

    memset(cfg, 0, sizeof(*cfg));
    cfg->tasks = o->tasks;
    cfg->reps = o->reps;
    cfg->warmup = o->warmup;
    cfg->timeout_s = o->timeout_s;
    cfg->timeline_max = 1000;
    cfg->json_path = o->json_path;
    cfg->quiet = 1;
    if (repro_model_list(o, list, sizeof(list), missing) != 0)
        return -1;
    if (config_parse_models(list, cfg, err, sizeof(err)) != 0 ||
        config_parse_workloads(have_io ? "cpu_bound,io_bound" : "cpu_bound", cfg, err,
                               sizeof(err)) != 0) {
        cli_error("reproduce", err);
        return -1;
    }
    if (!have_io)
        rm_strs_note(missing, "workload io_bound is not in this build", 64);
    {
        const struct {
            const char *key;
            long long value;
            int io;
        } params[] = {
            {"base", o->base, 0},           {"exponent", o->exponent, 0},
            {"target_ms", o->target_ms, 0}, {"requests", o->requests, 1},
            {"delay_ms", o->delay_ms, 1},   {"bytes", o->bytes, 1},
        };
        for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
            if (params[i].io && !have_io)
                continue;
            snprintf(kv, sizeof(kv), "%s=%lld", params[i].key, params[i].value);
            if (config_add_param(cfg, kv, err, sizeof(err)) != 0) {
                cli_error("reproduce", err);
                return -1;
            }
        }
    }
    for (int i = 0; i < o->nextra; i++)
        if (config_add_param(cfg, o->extra[i], err, sizeof(err)) != 0) {
            cli_error("reproduce", err);
            return -1;
        }
    if (o->latency != NULL && have_io &&
        repro_add_latency_column(cfg, o->latency, o->time_scale, err, sizeof(err)) != 0) {
        cli_error("reproduce", err);
        return -1;
    }
    return 0;
}

/* Everything one `reproduce` holds from its options to its output. */
struct repro_run {
    struct repro_opts o;
    struct config cfg;
    struct bench b;
    struct py_env py;
    struct py_rounds pr;
    struct py_sizes sizes;
    struct checkpoint checkpoint;
    struct progress progress;
    struct hf_export hf[REPRO_MAX_HF];
    int nhf;
    struct rm_published *published;
    struct rm_strs missing, skipped;
    char py_why[1024], url[256], base[64]; /* base: the Python server, for drawn delays */
    int py_ok;
    pid_t server_pid;
};

/* Everything that can be refused, checked before any work: 0, or the exit status. */
static int repro_inputs(struct repro_run *r)
{
    char err[1024];

    if (r->o.json_path != NULL && results_check_writable(r->o.json_path, err, sizeof(err)) != 0) {
        cli_error("reproduce", err);
        return 2;
    }
    for (; r->nhf < r->o.nhf; r->nhf++) {
        if (hf_load(r->o.hf_paths[r->nhf], &r->hf[r->nhf], err, sizeof(err)) != 0) {
            cli_error("reproduce", err);
            return 2;
        }
    }
    r->published = published_load(r->o.published_path, err, sizeof(err));
    if (r->published == NULL && r->o.published_path != NULL) {
        cli_error("reproduce", err);
        return 2;
    }
    if (r->published == NULL)
        fprintf(stderr, "concbench reproduce: %s; the table goes on without them\n", err);
    if (repro_config(&r->o, &r->cfg, &r->missing) != 0)
        return 2;
    for (int i = 0; i < r->missing.n; i++)
        fprintf(stderr, "concbench reproduce: %s; going on without it\n", r->missing.v[i]);
    return 0;
}

/* The Python variants: can they run, and their io_bound's own server (same delay and body; the C
 * workload's server lives inside its prepared instance). Spawned before any thread. */
static int repro_python_setup(struct repro_run *r)
{
    char err[1024];
    int port = 0;

    if (!r->o.with_python)
        return 0;
    r->py_ok = python_probe(r->o.python, &r->py, r->py_why, sizeof(r->py_why)) == 0;
    if (!r->py_ok && r->o.python_given) { /* asked for by name: a usage error, not a fallback */
        fprintf(stderr, "concbench reproduce: --python %s: %s\n", r->o.python, r->py_why);
        return -1;
    }
    if (!r->py_ok) {
        fprintf(stderr, "concbench reproduce: no Python variants: %s; going on with C only\n",
                r->py_why);
        return 0;
    }
    if (r->cfg.nwls < 2)
        return 0;
    if (server_spawn("127.0.0.1", 0, &r->server_pid, &port, err, sizeof(err)) != 0) {
        fprintf(stderr,
                "concbench reproduce: cannot start a server for the Python io_bound variants: "
                "%s; they are skipped\n",
                err);
        r->server_pid = 0;
        return 0;
    }
    snprintf(r->base, sizeof(r->base), "http://127.0.0.1:%d", port);
    snprintf(r->url, sizeof(r->url), "http://127.0.0.1:%d/delay/%lld/bytes/%lld", port,
             r->o.delay_ms, r->o.bytes);
    return 0;
}

/* The Python variants' progress on a terminal: which one runs, in which round. */
static void repro_python_progress(void *arg, const struct py_rounds *pr, int i, int round,
                                  int rounds, int measured)
{
    (void)arg;
    if (!isatty(2))
        return;
    if (i < 0) {
        fprintf(stderr, "\r\033[K");
        return;
    }
    fprintf(stderr, "\r\033[K[%d/%d] python:%-17s %-9s round %d/%d%s", i + 1, pr->nv,
            repro_python[pr->v[i].m], pr->cfg->wls[pr->v[i].w].wl->name, round + 1, rounds,
            measured ? "" : " (warmup)");
}

/* Each round runs every C case once, then every Python variant once. Returns 1 when some case
 * failed. */
static int repro_measure(struct repro_run *r)
{
    char err[1024];
    int failed;

    bench_init(&r->b, &r->cfg);
    if (bench_prepare(&r->b, err, sizeof(err)) != 0) {
        cli_error("reproduce", err);
        bench_release(&r->b);
        return -1;
    }
    if (r->py_ok) {
        r->sizes = (struct py_sizes){.tasks = r->o.tasks,
                                     .timeout_s = r->o.timeout_s,
                                     .base = r->o.base,
                                     .exponent = r->o.exponent,
                                     .requests = r->o.requests,
                                     .delay_ms = r->o.delay_ms,
                                     .bytes = r->o.bytes};
        int said = r->skipped.n;
        py_rounds_latency(&r->pr, &r->b, r->base);
        py_rounds_init(&r->pr, &r->py, &r->sizes, &r->cfg, r->url, &r->skipped);
        for (int i = said; i < r->skipped.n; i++)
            fprintf(stderr, "concbench reproduce: %s\n", r->skipped.v[i]);
        r->pr.on_variant = repro_python_progress;
        bench_observe(&r->b, &r->pr.observer);
    }
    if (r->o.json_path != NULL && !outfile_is_stdout(r->o.json_path)) { /* -: once, at the end */
        checkpoint_init(&r->checkpoint, r->o.json_path);
        bench_observe(&r->b, &r->checkpoint.observer);
    }
    /* after the Python variants' observer: a round's time, and so the ETA, includes them */
    progress_init(&r->progress);
    bench_observe(&r->b, &r->progress.observer);
    failed = bench_run(&r->b) != 0;
    if (r->b.error[0] != '\0')
        fprintf(stderr, "concbench reproduce: %s\n", r->b.error);
    if (r->b.interrupted)
        fprintf(stderr, "concbench: interrupted; finished repetitions are kept%s%s\n",
                r->o.json_path ? " in " : "", r->o.json_path ? r->o.json_path : "");
    bench_release(&r->b); /* the C io_bound's server is not needed any more */
    return failed;
}

/* One model: the C run, the Python cases after the C ones, and what the reproduction was made
 * against (the published figures move into it). */
static struct rm_file *repro_model(struct repro_run *r, int *failed)
{
    struct rm_file *f = r->b.results; /* r->b's: repro_free frees it */

    if (r->py_ok && py_rounds_finish(&r->pr, r->b.interrupted, f) != 0)
        *failed = 1;
    f->repro = calloc(1, sizeof(*f->repro));
    if (f->repro == NULL)
        abort();
    f->repro->experiment = rm_strdup("article_003");
    f->repro->published = r->published;
    r->published = NULL;
    f->repro->missing = r->missing;
    memset(&r->missing, 0, sizeof(r->missing));
    if (r->o.with_python)
        f->repro->python = py_facts(&r->py, r->o.python, r->py_ok, &r->skipped, r->py_why, r->url);
    return f;
}

static void repro_print(const struct repro_run *r, const struct rm_file *f)
{
    const char *out = r->o.json_path;
    FILE *to = outfile_is_stdout(out) ? stderr : stdout; /* -o -: stdout is the JSON's */
    const struct render_opts ro = {.published = f->repro->published,
                                   .width = r->o.wide ? 0 : term_width(fileno(to))};

    repro_table(f, &ro, to);
    repro_reading(f, &ro, to);
    hyperfine_table(f, r->hf, r->o.hf_paths, r->nhf, to);
    repro_notes(f, NULL, to);
    if (!r->b.interrupted)
        spawn_notes(f, to); /* where creating threads or processes is much of a case's time */
    if (out != NULL && to == stdout)
        printf("\nResults: %s (concbench report %s; concbench plot %s -o FILE.png)\n", out, out,
               out);
}

static void repro_free(struct repro_run *r)
{
    if (r->server_pid > 0)
        server_stop(r->server_pid);
    bench_free(&r->b);
    rm_published_free(r->published);
    py_env_free(&r->py);
    rm_strs_clear(&r->missing);
    rm_strs_clear(&r->skipped);
    for (int i = 0; i < r->nhf; i++)
        hf_free(&r->hf[i]);
    config_free(&r->cfg);
}

int cmd_reproduce(int argc, char **argv)
{
    struct repro_run r = {0};
    struct rm_file *f;
    char err[1024];
    int rc = repro_parse(argc, argv, &r.o), failed;

    if (rc != 0)
        return rc == 1 ? 0 : 2;
    rc = repro_inputs(&r);
    if (rc == 0 && repro_python_setup(&r) != 0)
        rc = 2;
    if (rc == 0) {
        failed = repro_measure(&r);
        rc = failed < 0 ? 2 : 0;
    }
    if (rc != 0) {
        repro_free(&r);
        return rc;
    }
    if (r.server_pid > 0)
        server_stop(r.server_pid);
    r.server_pid = 0;
    f = repro_model(&r, &failed);
    f->interrupted = r.b.interrupted;
    if (r.o.json_path != NULL && rm_write(f, r.o.json_path, err, sizeof(err)) != 0) {
        cli_error("reproduce", err);
        failed = 1;
    }
    if (!r.o.quiet)
        repro_print(&r, f);
    else /* -q drops the tables, never the errors and warnings */
        repro_notes(f, NULL, stderr);
    rc = failed || r.b.interrupted ? 1 : 0;
    repro_free(&r);
    return rc;
}
