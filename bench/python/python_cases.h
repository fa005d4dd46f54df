#ifndef CONCBENCH_PYTHON_CASES_H
#define CONCBENCH_PYTHON_CASES_H

/* The Python reference variants of `reproduce` (scripts/python/concbench_py.py): checking that
 * the interpreter can run them, and running one model once on one workload into a case of the
 * results schema, next to the C ones. */

#include <jansson.h>
#include <limits.h>
#include <stddef.h>

#include "rmodel/rmodel.h"

/* The interpreter, our script, and the optional modules the interpreter has. */
struct py_env {
    const char *python;
    char script[PATH_MAX];
    json_t *info; /* --check's answer */
    int have_gevent, have_aiohttp;
};

/* The experiment's sizes, the same as the C cases'. */
struct py_sizes {
    int tasks, timeout_s;
    long long base, exponent, requests, delay_ms, bytes;
};

/* io_bound with drawn delays (reproduce --latency): the server's base URL, the seed and the
 * distributions (common/latency.h's text form; one for every position, or one per position),
 * passed as --server, --seed and --latency: the script draws the delays C draws. */
#define PY_LATENCY_MAX 8
struct py_latency {
    char server[64];
    char seed[32];
    const char *dists[PY_LATENCY_MAX];
    int n;
};

/* Can python run our script, and which optional modules has it? Fills py; 0, or -1 with why. */
int python_probe(const char *python, struct py_env *py, char *why, size_t whylen);
/* Frees what python_probe kept; a zeroed py_env is fine. */
void py_env_free(struct py_env *py);

/* Why Python model m cannot run workload wl here (io_bound against url, "" = no server), or ""
 * in why when it can. */
void python_skip_reason(const struct py_env *py, int m, const char *wl, const char *url, char *why,
                        size_t len);

/* Runs Python model m once on workload wl (io_bound: against url, or with lat != NULL its drawn
 * delays), in a fresh interpreter (--reps 1 --warmup 0), while
 * catch_stop_signals is in force. Returns 0 with its case in out, or -1 with why (and
 * *interrupted set when SIGINT or SIGTERM stopped it). */
int python_run_once(const struct py_env *py, const struct py_sizes *s, int m, const char *wl,
                    const char *url, const struct py_latency *lat, struct rm_case *out,
                    int *interrupted, char *why, size_t whylen);

/* The fields that name Python model m's case on workload wl (implementation to model_options):
 * what a case whose every run failed starts from. */
void python_empty_case(const struct py_sizes *s, int m, const char *wl, struct rm_case *out);

#endif
