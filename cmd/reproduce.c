/* `concbench reproduce`: the article's experiment in one command. N=10 tasks of cpu_bound
 * (7777**200000) and io_bound (4 GETs in a row against the embedded server) under all five
 * models, with the harness's repetitions, validation and JSON; optionally the Python reference
 * variants of scripts/python/ in the same run; then one table next to the article's published
 * seconds, and a reading of it computed from the numbers. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench/article.h"
#include "bench/bench.h"
#include "cmd/commands.h"
#include "bench/config.h"
#include "cmd/run_options.h"
#include "bench/python_cases.h"
#include "report/checkpoint.h"
#include "report/report_sections.h"
#include "cmd/reproduce_opts.h"
#include "bench/reproduce_python.h"
#include "bench/results.h"
#include "bench/results_file.h"
#include "server/server.h"

/* The config of the article's experiment: every model and workload this build has. */
static int repro_config(const struct repro_opts *o, struct config *cfg, json_t *missing)
{
    char list[256] = "", err[512], kv[128];
    size_t used = 0;
    int have_io = workload_find("io_bound") != NULL;

    memset(cfg, 0, sizeof(*cfg));
    cfg->tasks = o->tasks;
    cfg->reps = o->reps;
    cfg->warmup = o->warmup;
    cfg->timeout_s = o->timeout_s;
    cfg->timeline_max = 1000;
    cfg->json_path = o->json_path;
    cfg->quiet = 1;
    for (int m = 0; m < REPRO_NMODELS; m++) {
        if (runner_find(repro_models[m]) == NULL) {
            char why[128];
            snprintf(why, sizeof(why), "model %s is not in this build", repro_models[m]);
            json_array_append_new(missing, json_string(why));
            continue;
        }
        used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", used ? "," : "",
                                 repro_models[m]);
    }
    if (config_parse_models(list, cfg, err, sizeof(err)) != 0 ||
        config_parse_workloads(have_io ? "cpu_bound,io_bound" : "cpu_bound", cfg, err,
                               sizeof(err)) != 0) {
        fprintf(stderr, "concbench reproduce: %s\n", err);
        return -1;
    }
    if (!have_io)
        json_array_append_new(missing, json_string("workload io_bound is not in this build"));
    {
        const struct {
            const char *key;
            long long value;
            int io;
        } params[] = {
            {"base", o->base, 0},         {"exponent", o->exponent, 0},
            {"requests", o->requests, 1}, {"delay_ms", o->delay_ms, 1},
            {"bytes", o->bytes, 1},
        };
        for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
            if (params[i].io && !have_io)
                continue;
            snprintf(kv, sizeof(kv), "%s=%lld", params[i].key, params[i].value);
            if (config_add_param(cfg, kv, err, sizeof(err)) != 0) {
                fprintf(stderr, "concbench reproduce: %s\n", err);
                return -1;
            }
        }
    }
    for (int i = 0; i < o->nextra; i++)
        if (config_add_param(cfg, o->extra[i], err, sizeof(err)) != 0) {
            fprintf(stderr, "concbench reproduce: %s\n", err);
            return -1;
        }
    return 0;
}

static int write_atomic(json_t *root, const char *path)
{
    char tmp[PATH_MAX + 8];

    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    if (json_dump_file(root, tmp, JSON_INDENT(2) | JSON_REAL_PRECISION(9)) != 0 ||
        rename(tmp, path) != 0) {
        fprintf(stderr, "concbench reproduce: cannot write results to %s: %s\n", path,
                strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

int cmd_reproduce(int argc, char **argv)
{
    struct repro_opts o;
    struct config cfg;
    struct bench b = {0};
    struct py_env py = {0};
    struct py_rounds pr = {0};
    struct checkpoint checkpoint;
    struct py_sizes sizes;
    json_t *hf[REPRO_MAX_HF], *published = NULL, *missing = json_array(), *py_cases = json_array();
    json_t *skipped = json_array(), *root = NULL, *repro;
    char err[1024], py_why[1024] = "", url[256] = "";
    int rc = repro_parse(argc, argv, &o), nhf = 0, py_ok = 0, interrupted = 0, failed = 0;
    pid_t server_pid = 0;
    int server_port = 0;

    memset(&cfg, 0, sizeof(cfg));
    if (rc != 0) {
        json_decref(missing);
        json_decref(py_cases);
        json_decref(skipped);
        return rc == 1 ? 0 : 2;
    }
    /* Everything that can be refused is checked before any work. */
    if (o.json_path != NULL && results_check_writable(o.json_path, err, sizeof(err)) != 0) {
        fprintf(stderr, "concbench reproduce: %s\n", err);
        rc = 2;
        goto out;
    }
    for (; nhf < o.nhf; nhf++) {
        hf[nhf] = hyperfine_load(o.hf_paths[nhf], err, sizeof(err));
        if (hf[nhf] == NULL) {
            fprintf(stderr, "concbench reproduce: %s\n", err);
            rc = 2;
            goto out;
        }
    }
    published = published_load(o.published_path, err, sizeof(err));
    if (published == NULL) {
        if (o.published_path != NULL) {
            fprintf(stderr, "concbench reproduce: %s\n", err);
            rc = 2;
            goto out;
        }
        fprintf(stderr, "concbench reproduce: %s; the table goes on without them\n", err);
    }
    if (repro_config(&o, &cfg, missing) != 0) {
        rc = 2;
        goto out;
    }
    {
        json_t *m;
        size_t i;
        json_array_foreach(missing, i, m)
            fprintf(stderr, "concbench reproduce: %s; going on without it\n", json_string_value(m));
    }
    if (o.with_python) {
        py_ok = python_probe(o.python, &py, py_why, sizeof(py_why)) == 0;
        if (!py_ok)
            fprintf(stderr, "concbench reproduce: no Python variants: %s; going on with C only\n",
                    py_why);
    }
    /* The Python io_bound variants get a server of their own (same delay and body): the C
     * workload's server lives inside its prepared instance. Spawned before any thread. */
    if (py_ok && cfg.nwls > 1) {
        if (server_spawn("127.0.0.1", 0, &server_pid, &server_port, err, sizeof(err)) != 0) {
            fprintf(stderr,
                    "concbench reproduce: cannot start a server for the Python io_bound "
                    "variants: %s; they are skipped\n",
                    err);
            server_pid = 0;
        } else {
            snprintf(url, sizeof(url), "http://127.0.0.1:%d/delay/%lld/bytes/%lld", server_port,
                     o.delay_ms, o.bytes);
        }
    }

    b.cfg = &cfg;
    b.context = context_json();
    if (bench_prepare(&b, err, sizeof(err)) != 0) {
        fprintf(stderr, "concbench reproduce: %s\n", err);
        bench_release(&b);
        rc = 2;
        goto out;
    }
    /* Each round runs every C case once, then every Python variant once. */
    if (py_ok) {
        sizes = (struct py_sizes){
            .tasks = o.tasks,
            .timeout_s = o.timeout_s,
            .base = o.base,
            .exponent = o.exponent,
            .requests = o.requests,
            .delay_ms = o.delay_ms,
            .bytes = o.bytes,
        };
        py_rounds_init(&pr, &py, &sizes, &cfg, url, skipped);
        bench_observe(&b, &pr.observer);
    }
    if (o.json_path != NULL) {
        checkpoint_init(&checkpoint, o.json_path);
        bench_observe(&b, &checkpoint.observer);
    }
    failed = bench_run(&b) != 0;
    if (b.error[0] != '\0')
        fprintf(stderr, "concbench reproduce: %s\n", b.error);
    if (b.interrupted)
        fprintf(stderr, "concbench: interrupted; finished repetitions are kept%s%s\n",
                o.json_path ? " in " : "", o.json_path ? o.json_path : "");
    interrupted = b.interrupted;
    bench_release(&b); /* the C io_bound's server is not needed any more */
    if (py_ok && py_rounds_finish(&pr, interrupted, py_cases) != 0)
        failed = 1;
    if (server_pid > 0)
        server_stop(server_pid);
    server_pid = 0;

    /* One document: the C run as results_json writes it, the Python cases after the C ones, and
     * what the reproduction was made against. */
    root = results_json(&b);
    json_array_extend(json_object_get(root, "cases"), py_cases);
    python_speedups(root);
    if (interrupted)
        json_object_set_new(root, "interrupted", json_true());
    repro = json_pack("{s:s, s:o, s:O}", "experiment", "article_003", "published",
                      published ? json_incref(published) : json_null(), "missing", missing);
    if (o.with_python) {
        json_t *pj =
            json_pack("{s:s, s:b, s:O}", "interpreter", o.python, "ran", py_ok, "skipped", skipped);
        if (!py_ok)
            json_object_set_new(pj, "reason", json_string(py_why));
        if (py.info != NULL) {
            json_object_set(pj, "version", json_object_get(py.info, "python"));
            json_object_set(pj, "modules", json_object_get(py.info, "modules"));
        }
        if (url[0] != '\0')
            json_object_set_new(pj, "server", json_string(url));
        json_object_set_new(pj, "note",
                            json_string("Python cases interleaved with the C rounds: after "
                                        "each round of the C cases (warmup rounds too), every "
                                        "variant runs once in a fresh interpreter process, "
                                        "against a server of their own with the same delay and "
                                        "body size as the C io_bound's"));
        json_object_set_new(repro, "python", pj);
    }
    json_object_set_new(root, "reproduction", repro);
    if (o.json_path != NULL && write_atomic(root, o.json_path) != 0)
        failed = 1;

    if (!o.quiet) {
        repro_table(root, published, stdout);
        repro_reading(root, published, stdout);
        hyperfine_table(root, hf, o.hf_paths, nhf, stdout);
        repro_notes(root, stdout);
        if (o.json_path != NULL)
            printf("\nResults: %s (concbench report %s; concbench plot %s -o FILE.png)\n",
                   o.json_path, o.json_path, o.json_path);
    }
    rc = failed || interrupted ? 1 : 0;
    bench_free(&b);
out:
    if (server_pid > 0)
        server_stop(server_pid);
    json_decref(b.context);
    json_decref(root);
    json_decref(published);
    json_decref(py.info);
    json_decref(missing);
    json_decref(py_cases);
    json_decref(skipped);
    for (int i = 0; i < nhf; i++)
        json_decref(hf[i]);
    config_free(&cfg);
    return rc;
}
