#ifndef CONCBENCH_PYTHON_CASES_H
#define CONCBENCH_PYTHON_CASES_H

/* The Python reference variants of `reproduce` (scripts/python/concbench_py.py): checking that
 * the interpreter can run them, and running each model on each workload into cases of the
 * results schema, next to the C ones. */

#include <jansson.h>
#include <limits.h>
#include <stddef.h>

#include "harness/config.h"

/* The interpreter, our script, and the optional modules the interpreter has. */
struct py_env {
    const char *python;
    char script[PATH_MAX];
    json_t *info; /* --check's answer */
    int have_gevent, have_aiohttp;
};

/* The experiment's sizes, the same as the C cases'. */
struct py_sizes {
    int tasks, reps, warmup, timeout_s;
    long long base, exponent, requests, delay_ms, bytes;
};

/* Can python run our script, and which optional modules has it? Fills py; 0, or -1 with why. */
int python_probe(const char *python, struct py_env *py, char *why, size_t whylen);

/* Runs every Python model on every workload of cfg (io_bound against url, "" = no server),
 * appending a case for each to cases (an error case on failure) and the reason for each skipped
 * one to skipped. SIGINT and SIGTERM stop it and set *interrupted. Returns 1 when some case
 * failed or did not validate, else 0. */
int python_run_cases(const struct py_env *py, const struct py_sizes *s, const struct config *cfg,
                     const char *url, json_t *cases, json_t *skipped, int *interrupted);

/* Sets speedup_vs_sequential of the Python cases of a results document, against the Python
 * sequential case of the same workload. */
void python_speedups(json_t *root);

#endif
