#include "harness/python_cases.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/article.h"
#include "harness/results.h"
#include "harness/results_cases.h"
#include "harness/results_file.h"
#include "harness/run_captured.h"
#include "harness/source_tree.h"

#define PYTHON_REL_PATH "scripts/python/concbench_py.py"

int python_probe(const char *python, struct py_env *py, char *why, size_t whylen)
{
    char *argv[] = {(char *)python, "-B", py->script, "--check", NULL};
    char *out = NULL, *err = NULL, line[512];
    json_error_t je;
    int rc;

    py->python = python;
    if (repro_find_file(PYTHON_REL_PATH, py->script, sizeof(py->script)) != 0) {
        snprintf(why, whylen,
                 "%s is not found (run from the source tree or set CONCBENCH_ROOT to it)",
                 PYTHON_REL_PATH);
        return -1;
    }
    if (access(python, X_OK) != 0) {
        snprintf(why, whylen,
                 "%s: %s (install Debian's python3, python3-gevent and python3-aiohttp: "
                 "scripts/install-deps.sh does)",
                 python, strerror(errno));
        return -1;
    }
    rc = run_captured(argv, 60, &out, &err);
    py->info = rc == 0 ? json_loads(out, JSON_DECODE_ANY, &je) : NULL;
    if (py->info == NULL || !json_is_object(py->info)) {
        last_line(err ? err : "", line, sizeof(line));
        snprintf(why, whylen, "%.200s cannot run %.300s (status %d%s%.300s)", python, py->script,
                 rc, line[0] ? ": " : "", line);
        json_decref(py->info);
        py->info = NULL;
        free(out);
        free(err);
        return -1;
    }
    {
        json_t *mods = json_object_get(py->info, "modules");
        py->have_gevent = json_is_string(json_object_get(mods, "gevent"));
        py->have_aiohttp = json_is_string(json_object_get(mods, "aiohttp"));
    }
    free(out);
    free(err);
    return 0;
}

static json_t *empty_figure(void)
{
    return json_pack("{s:f, s:f, s:f, s:f, s:f, s:[f,f], s:[]}", "median", 0.0, "mean", 0.0,
                     "stddev", 0.0, "min", 0.0, "max", 0.0, "ci95", 0.0, 0.0, "samples");
}

/* A Python case that produced no result: same shape, zero repetitions, the reason as error. */
static json_t *python_error_case(const struct py_sizes *s, int m, const char *workload,
                                 const char *why)
{
    static const char *const figs[] = {"wall_s",      "user_s",        "sys_s",
                                       "max_rss_kib", "ctx_voluntary", "ctx_involuntary"};
    char label[64];
    json_t *c;

    snprintf(label, sizeof(label), "python:%s", repro_python[m]);
    c = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:{}, s:{s:s}, s:i}", "implementation", "python",
                  "model", repro_models[m], "label", label, "workload", workload, "tasks", s->tasks,
                  "workers", 0, "params", "model_options", "python_model", repro_python[m],
                  "reps_done", 0);
    for (size_t i = 0; i < sizeof(figs) / sizeof(figs[0]); i++)
        json_object_set_new(c, figs[i], empty_figure());
    json_object_set_new(c, "speedup_vs_sequential", json_null());
    json_object_set_new(c, "validation",
                        json_pack("{s:b, s:s, s:i, s:i}", "ok", 0, "checksum", "0000000000000000",
                                  "tasks_checked", 0, "failures", 0));
    json_object_set_new(c, "errors", json_pack("{s:i, s:[s]}", "count", 1, "messages", why));
    json_object_set_new(c, "warnings", json_array());
    json_object_set_new(c, "timeline", json_array());
    json_object_set_new(c, "timeline_sampling",
                        json_pack("{s:i, s:i, s:i}", "every", 1, "kept", 0, "of", s->tasks));
    return c;
}

/* Runs one Python model on one workload; always returns a case (an error case on failure). */
static json_t *python_case(const struct py_sizes *s, const struct py_env *py, int m,
                           const char *workload, const char *url, int *interrupted)
{
    char a_tasks[32], a_reps[32], a_warm[32], a_base[32], a_exp[32], a_req[32], a_bytes[32],
        a_delay[32], a_timeout[32], a_run_timeout[32], why[1024], line[512];
    char *argv[40], *out = NULL, *err = NULL;
    int n = 0, rc, total = (s->warmup + s->reps) * s->timeout_s + 60;
    json_t *c = NULL;
    json_error_t je;

    snprintf(a_tasks, sizeof(a_tasks), "%d", s->tasks);
    snprintf(a_reps, sizeof(a_reps), "%d", s->reps);
    snprintf(a_warm, sizeof(a_warm), "%d", s->warmup);
    snprintf(a_base, sizeof(a_base), "%lld", s->base);
    snprintf(a_exp, sizeof(a_exp), "%lld", s->exponent);
    snprintf(a_req, sizeof(a_req), "%lld", s->requests);
    snprintf(a_bytes, sizeof(a_bytes), "%lld", s->bytes);
    snprintf(a_delay, sizeof(a_delay), "%lld", s->delay_ms);
    /* One request may take the server's delay plus a margin; one run what a C repetition may. */
    snprintf(a_timeout, sizeof(a_timeout), "%lld", s->delay_ms / 1000 + 30);
    snprintf(a_run_timeout, sizeof(a_run_timeout), "%d", s->timeout_s);
    argv[n++] = (char *)py->python;
    argv[n++] = "-B";
    argv[n++] = (char *)py->script;
    argv[n++] = "--model";
    argv[n++] = (char *)repro_python[m];
    argv[n++] = "--workload";
    argv[n++] = (char *)workload;
    argv[n++] = "--tasks";
    argv[n++] = a_tasks;
    argv[n++] = "--reps";
    argv[n++] = a_reps;
    argv[n++] = "--warmup";
    argv[n++] = a_warm;
    if (strcmp(workload, "cpu_bound") == 0) {
        argv[n++] = "--base";
        argv[n++] = a_base;
        argv[n++] = "--exponent";
        argv[n++] = a_exp;
    } else {
        argv[n++] = "--url";
        argv[n++] = (char *)url;
        argv[n++] = "--requests";
        argv[n++] = a_req;
        argv[n++] = "--bytes";
        argv[n++] = a_bytes;
        argv[n++] = "--delay-ms";
        argv[n++] = a_delay;
    }
    argv[n++] = "--timeout-s";
    argv[n++] = a_timeout;
    argv[n++] = "--run-timeout-s";
    argv[n++] = a_run_timeout;
    argv[n] = NULL;

    rc = run_captured(argv, total, &out, &err);
    last_line(err ? err : "", line, sizeof(line));
    if (rc == -2) {
        *interrupted = 1;
        snprintf(why, sizeof(why), "interrupted");
    } else if (rc == -1) {
        snprintf(why, sizeof(why), "the Python run took longer than %d s and was killed", total);
    } else if (rc != 0) {
        snprintf(why, sizeof(why), "the Python run exited with status %d%s%s", rc,
                 line[0] ? ": " : "", line);
    } else {
        c = json_loads(out, 0, &je);
        if (c != NULL) {
            json_t *doc =
                json_pack("{s:i, s:[O]}", "schema_version", RESULTS_SCHEMA_VERSION, "cases", c);
            char cerr[512];
            if (rfile_check(doc, "the Python output", cerr, sizeof(cerr)) != 0) {
                snprintf(why, sizeof(why), "%s", cerr);
                json_decref(c);
                c = NULL;
            }
            json_decref(doc);
        } else {
            snprintf(why, sizeof(why), "the Python run printed no JSON case (%s)", je.text);
        }
    }
    free(out);
    free(err);
    return c != NULL ? c : python_error_case(s, m, workload, why);
}

/* Why a Python model cannot run a workload here, or "" when it can. */
static void skip_reason(const struct py_env *py, const char *pm, const char *wl, const char *url,
                        char *why, size_t len)
{
    why[0] = '\0';
    if (strcmp(pm, "gevent") == 0 && !py->have_gevent)
        snprintf(why, len,
                 "python:gevent skipped: %s has no gevent (apt-get install python3-gevent)",
                 py->python);
    else if (strcmp(pm, "asyncio") == 0 && strcmp(wl, "io_bound") == 0 && !py->have_aiohttp)
        snprintf(why, len,
                 "python:asyncio io_bound skipped: %s has no aiohttp (apt-get install "
                 "python3-aiohttp)",
                 py->python);
    else if (strcmp(wl, "io_bound") == 0 && url[0] == '\0')
        snprintf(why, len, "python io_bound skipped: no server");
}

/* Keeps a skip reason once in skipped, said on stderr the first time. */
static void note_skip(json_t *skipped, const char *why)
{
    json_t *s;
    size_t k;

    json_array_foreach(skipped, k, s)
    {
        if (strcmp(json_string_value(s), why) == 0)
            return;
    }
    json_array_append_new(skipped, json_string(why));
    fprintf(stderr, "concbench reproduce: %s\n", why);
}

int python_run_cases(const struct py_env *py, const struct py_sizes *s, const struct config *cfg,
                     const char *url, json_t *cases, json_t *skipped, int *interrupted)
{
    int total = cfg->nwls * REPRO_NMODELS, done = 0, failed = 0;

    catch_stop_signals();
    for (int w = 0; w < cfg->nwls && !*interrupted; w++) {
        const char *wl = cfg->wls[w].wl->name;
        for (int m = 0; m < REPRO_NMODELS && !*interrupted; m++) {
            const char *pm = repro_python[m];
            char why[256];
            json_t *c;
            done++;
            skip_reason(py, pm, wl, url, why, sizeof(why));
            if (why[0] != '\0') {
                note_skip(skipped, why);
                continue;
            }
            if (isatty(2))
                fprintf(stderr, "\rpython %d/%d: %-16s %-10s", done, total, pm, wl);
            c = python_case(s, py, m, wl, url, interrupted);
            if (*interrupted) {
                json_decref(c);
                break;
            }
            if (!case_valid(c))
                failed = 1;
            json_array_append_new(cases, c);
        }
    }
    if (isatty(2))
        fprintf(stderr, "\r%60s\r", "");
    release_stop_signals();
    return failed;
}

void python_speedups(json_t *root)
{
    json_t *c;
    size_t i;

    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        const char *impl = json_string_value(json_object_get(c, "implementation"));
        double s;
        if (impl == NULL || strcmp(impl, "python") != 0)
            continue;
        s = case_speedup(root, c);
        json_object_set_new(c, "speedup_vs_sequential", s > 0 ? json_real(s) : json_null());
    }
}
