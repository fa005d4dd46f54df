#include "bench/python/python_cases.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rmodel/article.h"
#include "bench/results.h"
#include "rmodel/input_files.h"
#include "common/run_captured.h"
#include "common/source_tree.h"

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

void py_env_free(struct py_env *py)
{
    json_decref(py->info);
    py->info = NULL;
}

void python_empty_case(const struct py_sizes *s, int m, const char *wl, struct rm_case *out)
{
    char label[64];

    snprintf(label, sizeof(label), "python:%s", repro_python[m]);
    rm_case_init(out);
    out->implementation = rm_strdup("python");
    out->model = rm_strdup(repro_models[m]);
    out->label = rm_strdup(label);
    out->workload = rm_strdup(wl);
    out->tasks = s->tasks;
    out->model_options.v = calloc(1, sizeof(*out->model_options.v));
    out->model_options.v[0].key = rm_strdup("python_model");
    out->model_options.v[0].v = calloc(1, sizeof(*out->model_options.v[0].v));
    out->model_options.v[0].v[0].s = rm_strdup(repro_python[m]);
    out->model_options.v[0].n = 1;
    out->model_options.n = 1;
}

/* The script's command line for one repetition of model m on workload wl. */
struct py_argv {
    char *argv[40 + 2 * PY_LATENCY_MAX];
    char tasks[32], base[32], exp[32], req[32], bytes[32], delay[32], timeout[32], run_timeout[32];
};

/* --server, --seed and --latency for drawn delays; returns the next free slot. */
static int latency_argv(struct py_argv *a, int n, const struct py_latency *lat)
{
    a->argv[n++] = "--server";
    a->argv[n++] = (char *)lat->server;
    a->argv[n++] = "--seed";
    a->argv[n++] = (char *)lat->seed;
    for (int k = 0; k < lat->n; k++) {
        a->argv[n++] = "--latency";
        a->argv[n++] = (char *)lat->dists[k];
    }
    return n;
}

static void python_argv(struct py_argv *a, const struct py_env *py, const struct py_sizes *s, int m,
                        const char *wl, const char *url, const struct py_latency *lat)
{
    int n = 0;

    snprintf(a->tasks, sizeof(a->tasks), "%d", s->tasks);
    snprintf(a->base, sizeof(a->base), "%lld", s->base);
    snprintf(a->exp, sizeof(a->exp), "%lld", s->exponent);
    snprintf(a->req, sizeof(a->req), "%lld", s->requests);
    snprintf(a->bytes, sizeof(a->bytes), "%lld", s->bytes);
    snprintf(a->delay, sizeof(a->delay), "%lld", s->delay_ms);
    /* One request may take the server's delay plus a margin; one run what a C repetition may. */
    snprintf(a->timeout, sizeof(a->timeout), "%lld", s->delay_ms / 1000 + 30);
    snprintf(a->run_timeout, sizeof(a->run_timeout), "%d", s->timeout_s);
    a->argv[n++] = (char *)py->python;
    a->argv[n++] = "-B";
    a->argv[n++] = (char *)py->script;
    a->argv[n++] = "--model";
    a->argv[n++] = (char *)repro_python[m];
    a->argv[n++] = "--workload";
    a->argv[n++] = (char *)wl;
    a->argv[n++] = "--tasks";
    a->argv[n++] = a->tasks;
    a->argv[n++] = "--reps"; /* one repetition per interpreter: the rounds repeat */
    a->argv[n++] = "1";
    a->argv[n++] = "--warmup";
    a->argv[n++] = "0";
    if (strcmp(wl, "cpu_bound") == 0) {
        a->argv[n++] = "--base";
        a->argv[n++] = a->base;
        a->argv[n++] = "--exponent";
        a->argv[n++] = a->exp;
    } else {
        if (lat != NULL) {
            n = latency_argv(a, n, lat);
        } else {
            a->argv[n++] = "--url";
            a->argv[n++] = (char *)url;
        }
        a->argv[n++] = "--requests";
        a->argv[n++] = a->req;
        a->argv[n++] = "--bytes";
        a->argv[n++] = a->bytes;
        a->argv[n++] = "--delay-ms";
        a->argv[n++] = a->delay;
    }
    a->argv[n++] = "--timeout-s";
    a->argv[n++] = a->timeout;
    a->argv[n++] = "--run-timeout-s";
    a->argv[n++] = a->run_timeout;
    a->argv[n] = NULL;
}

/* The case the script printed, loaded through the results model; 0, or -1 with why. */
static int python_parse_case(const char *out, struct rm_case *c, char *why, size_t whylen)
{
    json_error_t je;
    json_t *doc = json_loads(out, 0, &je);
    int rc;

    if (doc == NULL) {
        snprintf(why, whylen, "the Python run printed no JSON case (%s)", je.text);
        return -1;
    }
    rc = rm_case_from_doc(doc, "the Python output", c, why, whylen);
    json_decref(doc);
    if (rc != 0)
        rm_case_clear(c);
    return rc;
}

int python_run_once(const struct py_env *py, const struct py_sizes *s, int m, const char *wl,
                    const char *url, const struct py_latency *lat, struct rm_case *c,
                    int *interrupted, char *why, size_t whylen)
{
    struct py_argv a;
    char *out = NULL, *err = NULL, line[512];
    int rc, total = s->timeout_s + 60, ok = -1; /* the run, plus the interpreter's start */

    python_argv(&a, py, s, m, wl, url, lat);
    rc = run_captured(a.argv, total, &out, &err);
    last_line(err ? err : "", line, sizeof(line));
    if (rc == -2) {
        *interrupted = 1;
        snprintf(why, whylen, "interrupted");
    } else if (rc == -1) {
        snprintf(why, whylen, "the Python run took longer than %d s and was killed", total);
    } else if (rc != 0) {
        snprintf(why, whylen, "the Python run exited with status %d%s%s", rc, line[0] ? ": " : "",
                 line);
    } else {
        ok = python_parse_case(out, c, why, whylen);
    }
    free(out);
    free(err);
    return ok;
}

void python_skip_reason(const struct py_env *py, int m, const char *wl, const char *url, char *why,
                        size_t len)
{
    const char *pm = repro_python[m];

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
