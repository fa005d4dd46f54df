/* The Python variants draw the same delays as C: for a few seeds and distributions (one for
 * every request, and one per position), `concbench_py.py --print-delays` prints exactly the
 * delays latency_draw_ms gives, and the same digest as io_latency_digest. Runs Debian's
 * /usr/bin/python3 (CONCBENCH_PYTHON overrides it). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "common/latency.h"
#include "common/run_captured.h"
#include "common/source_tree.h"
#include "workloads/io_bound.h"

#define TASKS    200
#define REQUESTS 4

static const char *python(void)
{
    const char *p = getenv("CONCBENCH_PYTHON");
    return p != NULL ? p : "/usr/bin/python3";
}

/* The C plan for seed and the given distributions (1 = every position, else REQUESTS). */
static void c_plan(struct io_latency *l, long long seed, const char *const *dists, int n)
{
    const struct param_spec *specs = workload_io_bound.params;
    struct param_set set = {0};
    char kv[256], err[512];

    snprintf(kv, sizeof kv, "seed=%lld", seed);
    assert_int_equal(params_add(&set, specs, kv, err, sizeof err), 0);
    for (int k = 0; k < n; k++) {
        if (n == 1)
            snprintf(kv, sizeof kv, "latency=%s", dists[k]);
        else
            snprintf(kv, sizeof kv, "latency.%d=%s", k + 1, dists[k]);
        if (params_add(&set, specs, kv, err, sizeof err) != 0)
            fail_msg("%s: %s", kv, err);
    }
    if (io_latency_prepare(l, &set, specs, REQUESTS, 100, err, sizeof err) != 0)
        fail_msg("io_latency_prepare: %s", err);
    params_clear(&set);
}

/* Runs the script's --print-delays and returns its JSON. */
static json_t *python_delays(long long seed, const char *const *dists, int n)
{
    char script[4096], seed_s[32], tasks_s[16], req_s[16], *out = NULL, *err = NULL;
    char *argv[32] = {(char *)python(), script, "--print-delays", "--tasks", tasks_s,
                      "--requests",     req_s,  "--seed",         seed_s};
    int argc = 9;

    if (repro_find_file("scripts/python/concbench_py.py", script, sizeof script) != 0)
        fail_msg("scripts/python/concbench_py.py not found");
    snprintf(seed_s, sizeof seed_s, "%lld", seed);
    snprintf(tasks_s, sizeof tasks_s, "%d", TASKS);
    snprintf(req_s, sizeof req_s, "%d", REQUESTS);
    for (int k = 0; k < n; k++) {
        argv[argc++] = "--latency";
        argv[argc++] = (char *)dists[k];
    }
    argv[argc] = NULL;
    int rc = run_captured(argv, 60, &out, &err);
    if (rc != 0)
        fail_msg("%s --print-delays: exit status %d: %s", python(), rc, err ? err : "");
    json_error_t jerr;
    json_t *root = json_loads(out, 0, &jerr);
    if (root == NULL)
        fail_msg("--print-delays printed no JSON: %s (%s)", jerr.text, out);
    free(out);
    free(err);
    return root;
}

static void compare(long long seed, const char *const *dists, int n)
{
    struct io_latency plan;
    json_t *root = python_delays(seed, dists, n), *row;
    char digest[17];
    size_t i;

    c_plan(&plan, seed, dists, n);
    assert_int_equal(json_array_size(json_object_get(root, "delays")), TASKS);
    json_array_foreach(json_object_get(root, "delays"), i, row)
    {
        for (int k = 0; k < REQUESTS; k++) {
            long c = io_latency_ms(&plan, i, k);
            long py = (long)json_integer_value(json_array_get(row, (size_t)k));
            if (c != py)
                fail_msg("seed %lld, %s: task %zu request %d: C drew %ld ms, Python %ld ms", seed,
                         dists[n == 1 ? 0 : k], i, k + 1, c, py);
        }
    }
    snprintf(digest, sizeof digest, "%016llx", (unsigned long long)io_latency_digest(&plan, TASKS));
    assert_string_equal(json_string_value(json_object_get(root, "digest")), digest);
    io_latency_free(&plan);
    json_decref(root);
}

static void test_python_draws_what_c_draws(void **state)
{
    (void)state;
    if (access(python(), X_OK) != 0)
        skip(); /* no interpreter: scripts/install-deps.sh installs it */
    const char *each[][1] = {{"lognormal:median=120,sigma=0.6"},
                             {"normal:mean=300,sd=80"},
                             {"uniform:min=20,max=400"},
                             {"pareto:min=40,alpha=1.5,cap=5000"},
                             {"lognormal:median=3000,sigma=2.5,floor=50,cap=20000"}};
    const long long seeds[] = {0, 1, 42, 9007199254740991LL};
    for (size_t d = 0; d < sizeof each / sizeof each[0]; d++)
        for (size_t s = 0; s < sizeof seeds / sizeof seeds[0]; s++)
            compare(seeds[s], each[d], 1);

    const char *positions[REQUESTS] = {"lognormal:median=250,sigma=0.4", "fixed:ms=77",
                                       "pareto:min=100,alpha=2.2", "normal:mean=900,sd=300"};
    compare(7, positions, REQUESTS);
}

/* The published profile loads in C, its expected total and makespan over seeds 1..2000 (drawn
 * by C) are the article's 31.4 s and 4.37 s it was fitted to, within Monte Carlo error, and the
 * fitting script writes it again byte for byte. */
static void test_article_profile(void **state)
{
    (void)state;
    char path[4096], script[4096], out_path[] = "/tmp/concbench-fit-XXXXXX", kv[4200];
    char *out = NULL, *err = NULL;
    if (repro_find_file("results/published/latency_article.txt", path, sizeof path) != 0 ||
        repro_find_file("scripts/fit_article_latency.py", script, sizeof script) != 0)
        fail_msg("latency_article.txt or fit_article_latency.py not found");

    snprintf(kv, sizeof kv, "latency_profile=%s", path);
    struct io_latency plan;
    const struct param_spec *specs = workload_io_bound.params;
    struct param_set set = {0};
    char why[512];
    assert_int_equal(params_add(&set, specs, kv, why, sizeof why), 0);
    if (io_latency_prepare(&plan, &set, specs, REQUESTS, 100, why, sizeof why) != 0)
        fail_msg("%s", why);
    params_clear(&set);
    assert_string_equal(plan.profile, "article_003");
    double mk = 0, tot = 0;
    for (uint64_t seed = 1; seed <= 2000; seed++) {
        long long m, t;
        plan.seed = seed;
        io_latency_bounds(&plan, 10, &m, &t);
        mk += (double)m / 2000.0;
        tot += (double)t / 2000.0;
    }
    /* 5 standard errors: sd 2.27 s and 0.60 s over 2000 seeds. */
    if (fabs(tot - 31400) > 5 * 2270 / sqrt(2000) + 100 || fabs(mk - 4370) > 5 * 600 / sqrt(2000))
        fail_msg("expected total %.0f ms (31400), makespan %.0f ms (4370)", tot, mk);
    io_latency_free(&plan);

    if (access(python(), X_OK) != 0)
        skip();
    int fd = mkstemp(out_path);
    assert_true(fd >= 0);
    close(fd);
    char *argv[] = {(char *)python(), script, "--write", out_path, NULL};
    int rc = run_captured(argv, 300, &out, &err);
    if (rc != 0)
        fail_msg("fit_article_latency.py: exit status %d: %s", rc, err ? err : "");
    free(out);
    free(err);
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", path, out_path);
    rc = system(cmd);
    unlink(out_path);
    if (rc != 0)
        fail_msg("fit_article_latency.py wrote a profile that differs from %s", path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_article_profile),
        cmocka_unit_test(test_python_draws_what_c_draws),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
