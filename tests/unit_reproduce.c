/* End to end: `concbench reproduce` with tiny sizes writes every C case of the article's
 * experiment, validated, and a table with the article's columns; with --with-python (when
 * Debian's python3 has gevent and aiohttp) the Python cases join the same JSON in the same
 * schema; without a usable Python the run says so and goes on. Speeds are never asserted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

static const char *const models[] = {"sequential", "pthreads", "processes", "green", "evloop"};
static const char *const py_models[] = {"sequential", "threading", "multiprocessing", "gevent",
                                        "asyncio"};
static const char *const workloads[] = {"cpu_bound", "io_bound"};
#define NMODELS 5
#define TASKS   10
#define REPS    2

#define OUT_LEN (256 * 1024)

static char out[OUT_LEN], err[OUT_LEN];

static json_t *find_impl_case(json_t *root, const char *impl, const char *workload,
                              const char *label)
{
    size_t i;
    json_t *c;

    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "implementation")), impl) == 0 &&
            strcmp(json_string_value(json_object_get(c, "workload")), workload) == 0 &&
            strcmp(json_string_value(json_object_get(c, "label")), label) == 0)
            return c;
    }
    fail_msg("no %s case %s/%s in the results", impl, workload, label);
    return NULL;
}

static size_t count_impl(json_t *root, const char *impl)
{
    size_t i, n = 0;
    json_t *c;

    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "implementation")), impl) == 0)
            n++;
    }
    return n;
}

static void assert_number(json_t *obj, const char *key)
{
    if (!json_is_number(json_object_get(obj, key)))
        fail_msg("field %s missing or not a number", key);
}

/* The shape every case of the schema has, C or Python. */
static void assert_case_shape(json_t *c, int reps, int tasks)
{
    static const char *const figures[] = {"wall_s",      "user_s",        "sys_s",
                                          "max_rss_kib", "ctx_voluntary", "ctx_involuntary"};
    static const char *const stats[] = {"median", "mean", "stddev", "min", "max"};
    json_t *v = json_object_get(c, "validation"), *t;
    size_t i;

    for (size_t f = 0; f < sizeof(figures) / sizeof(figures[0]); f++) {
        json_t *fig = json_object_get(c, figures[f]);
        if (!json_is_object(fig))
            fail_msg("figure %s missing", figures[f]);
        for (size_t s = 0; s < sizeof(stats) / sizeof(stats[0]); s++)
            assert_number(fig, stats[s]);
        assert_int_equal(json_array_size(json_object_get(fig, "ci95")), 2);
        assert_int_equal(json_array_size(json_object_get(fig, "samples")), reps);
    }
    assert_true(json_object_get(json_object_get(c, "wall_s"), "median") != NULL);
    assert_true(json_number_value(json_object_get(json_object_get(c, "wall_s"), "median")) > 0);
    assert_int_equal(json_integer_value(json_object_get(c, "reps_done")), reps);
    assert_int_equal(json_integer_value(json_object_get(c, "tasks")), tasks);
    assert_true(json_is_object(json_object_get(c, "params")));
    assert_true(json_is_true(json_object_get(v, "ok")));
    assert_int_equal(json_integer_value(json_object_get(v, "tasks_checked")), reps * tasks);
    assert_int_equal(json_integer_value(json_object_get(v, "failures")), 0);
    assert_true(json_is_string(json_object_get(v, "checksum")));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "errors"), "count")), 0);
    assert_true(json_is_array(json_object_get(json_object_get(c, "errors"), "messages")));
    assert_true(json_is_array(json_object_get(c, "warnings")));
    assert_true(json_is_number(json_object_get(c, "speedup_vs_sequential")));
    assert_int_equal(json_array_size(json_object_get(c, "timeline")), tasks);
    json_array_foreach(json_object_get(c, "timeline"), i, t)
    {
        assert_int_equal(json_integer_value(json_object_get(t, "task")), (json_int_t)i);
        assert_true(json_is_integer(json_object_get(t, "worker")));
        assert_number(t, "start_s");
        assert_number(t, "end_s");
        assert_true(json_number_value(json_object_get(t, "end_s")) >=
                    json_number_value(json_object_get(t, "start_s")));
        assert_true(json_is_array(json_object_get(t, "steps_end_s")));
        assert_true(json_is_true(json_object_get(t, "ok")));
    }
}

static void assert_contains(const char *text, const char *what)
{
    if (strstr(text, what) == NULL)
        fail_msg("the output lacks \"%s\":\n%s", what, text);
}

static void assert_article_table(const char *text)
{
    /* The article's columns, its model names and its published seconds. */
    const char *const want[] = {"cpu_bound", "io_bound", "art s",   "art x",  "C s",
                                "C x",       "sync",     "threads", "gevent", "asyncio",
                                "2.18",      "31.4",     "7.22",    "4.37",   "What this run says"};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        assert_contains(text, want[i]);
}

static void test_reproduce_c(void **state)
{
    char path[256];
    const char *argv[] = {"reproduce", "--target-ms", "5",          "--reps", "2",
                          "--warmup",  "0",           "--exponent", "20000",  "--delay-ms",
                          "10",        "-o",          path,         NULL};
    json_t *root, *pub;
    int rc;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    rc = run_concbench(argv, 500, out, err, OUT_LEN);
    if (rc != 0)
        fail_msg("reproduce exited with %d:\n%s\n%s", rc, err, out);
    root = load_json(path);
    assert_int_equal(json_integer_value(json_object_get(root, "schema_version")), 1);
    assert_int_equal(count_impl(root, "c"), 10);
    assert_int_equal(count_impl(root, "python"), 0);
    for (int w = 0; w < 2; w++)
        for (int m = 0; m < NMODELS; m++) {
            json_t *c = find_impl_case(root, "c", workloads[w], models[m]);
            assert_string_equal(json_string_value(json_object_get(c, "model")), models[m]);
            assert_case_shape(c, REPS, TASKS);
        }
    /* The sizes asked for reached the workloads. */
    assert_int_equal(
        json_integer_value(json_object_get(
            json_object_get(find_impl_case(root, "c", "cpu_bound", "sequential"), "params"),
            "exponent")),
        20000);
    assert_int_equal(
        json_integer_value(json_object_get(
            json_object_get(find_impl_case(root, "c", "io_bound", "sequential"), "params"),
            "delay_ms")),
        10);
    /* The article's figures travel with the results. */
    pub = json_object_get(json_object_get(root, "reproduction"), "published");
    assert_int_equal(json_array_size(json_object_get(pub, "rows")), 5);
    assert_article_table(out);
    json_decref(root);

    /* report reads it back into the same table. */
    {
        const char *rargv[] = {"report", path, NULL};
        rc = run_concbench(rargv, 60, out, err, OUT_LEN);
        if (rc != 0)
            fail_msg("report exited with %d: %s", rc, err);
        assert_article_table(out);
    }
    unlink(path);
}

static int python_has_modules(void)
{
    return access("/usr/bin/python3", X_OK) == 0 &&
           system("/usr/bin/python3 -c 'import gevent, aiohttp' >/dev/null 2>&1") == 0;
}

static void test_reproduce_with_python(void **state)
{
    char path[256];
    const char *argv[] = {"reproduce", "--target-ms", "5",     "--reps",     "2",  "--warmup",
                          "0",         "--exponent",  "20000", "--delay-ms", "10", "--with-python",
                          "-o",        path,          NULL};
    json_t *root;
    int rc;

    (void)state;
    if (!python_has_modules())
        skip(); /* /usr/bin/python3 without gevent and aiohttp: apt-get install them */
    temp_path(path, sizeof(path), ".json");
    rc = run_concbench(argv, 550, out, err, OUT_LEN);
    if (rc != 0)
        fail_msg("reproduce --with-python exited with %d:\n%s\n%s", rc, err, out);
    root = load_json(path);
    assert_int_equal(count_impl(root, "c"), 10);
    assert_int_equal(count_impl(root, "python"), 10);
    for (int w = 0; w < 2; w++)
        for (int m = 0; m < NMODELS; m++) {
            char label[64];
            json_t *c;
            snprintf(label, sizeof(label), "python:%s", py_models[m]);
            c = find_impl_case(root, "python", workloads[w], label);
            /* Each Python model stands next to the C model it corresponds to. */
            assert_string_equal(json_string_value(json_object_get(c, "model")), models[m]);
            assert_string_equal(json_string_value(json_object_get(c, "workload")), workloads[w]);
            assert_case_shape(c, REPS, TASKS);
            /* One interpreter per repetition, merged: every repetition asked for is there. */
            assert_int_equal(json_integer_value(json_object_get(c, "reps_done")), REPS);
            assert_int_equal(
                json_array_size(json_object_get(json_object_get(c, "wall_s"), "samples")), REPS);
        }
    assert_true(json_is_true(
        json_object_get(json_object_get(json_object_get(root, "reproduction"), "python"), "ran")));
    assert_article_table(out);
    assert_contains(out, "Py s");
    assert_contains(out, "Py x");
    json_decref(root);
    unlink(path);
}

/* An interpreter asked for by name that does not work is a usage error (exit 2, named), found
 * before any work: no results file appears (issue 11: it used to exit 0 with C only). */
static void test_python_missing(void **state)
{
    char path[256];
    const char *argv[] = {"reproduce", "--target-ms",
                          "5",         "--reps",
                          "1",         "--warmup",
                          "0",         "-n",
                          "2",         "--exponent",
                          "2000",      "--delay-ms",
                          "1",         "--with-python",
                          "--python",  "/nonexistent/python3",
                          "-o",        path,
                          NULL};
    int rc;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    rc = run_concbench(argv, 300, out, err, OUT_LEN);
    if (rc != 2)
        fail_msg("reproduce exited with %d, want 2:\n%s", rc, err);
    assert_contains(err, "--python /nonexistent/python3");
    assert_contains(err, "No such file or directory");
    assert_int_equal(access(path, F_OK), -1);
}

static void expect_usage_error(const char *const *argv, const char *message)
{
    int rc = run_concbench(argv, 30, out, err, OUT_LEN);
    if (rc != 2)
        fail_msg("%s %s: exit %d, want 2 (%s)", argv[0], argv[1], rc, err);
    assert_contains(err, message);
}

static void test_bad_usage(void **state)
{
    char path[256];
    FILE *f;

    (void)state;
    {
        const char *argv[] = {"reproduce", "--reps", "0", NULL};
        expect_usage_error(argv, "--reps '0': expected a whole number");
    }
    {
        const char *argv[] = {"reproduce", "--bogus", NULL};
        expect_usage_error(argv, "unknown option '--bogus'");
    }
    {
        const char *argv[] = {"reproduce", "--delay-ms", "x", NULL};
        expect_usage_error(argv, "--delay-ms 'x'");
    }
    {
        const char *argv[] = {"reproduce", "-o", "/nonexistent-dir/r.json", NULL};
        expect_usage_error(argv, "cannot write to /nonexistent-dir/r.json");
    }
    /* A malformed hyperfine file is refused before any work. */
    temp_path(path, sizeof(path), ".json");
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"results\": 3}", f);
    fclose(f);
    {
        const char *argv[] = {"reproduce", "--hyperfine", path, NULL};
        expect_usage_error(argv, "not a hyperfine export");
    }
    unlink(path);
    {
        const char *argv[] = {"reproduce", "--help", NULL};
        assert_int_equal(run_concbench(argv, 30, out, err, OUT_LEN), 0);
        assert_contains(out, "--with-python");
        assert_contains(out, "GIL");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_usage),
        cmocka_unit_test(test_reproduce_c),
        cmocka_unit_test(test_reproduce_with_python),
        cmocka_unit_test(test_python_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
