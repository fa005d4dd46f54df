/* The results model: load(dump(x)) == x for every kind of file concbench reads (the committed
 * reference results, a fresh run, a Python variant's case), and a clear error naming the field,
 * never a crash, for every wrong type. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "rmodel/rmodel.h"
#include "testutil.h"

#define OUT_LEN 65536

/* Equal as JSON, numbers within a relative 1e-6: a dump keeps 9 significant digits, and a
 * derived figure (speed-up) is computed afresh from the rounded medians. */
static int near_equal(json_t *a, json_t *b, char *where, size_t len)
{
    if (json_is_number(a) && json_is_number(b)) {
        double x = json_number_value(a), y = json_number_value(b);
        return fabs(x - y) <= 1e-6 * fmax(fabs(x), fabs(y)) + 1e-12;
    }
    if (json_typeof(a) != json_typeof(b))
        return 0;
    if (json_is_object(a)) {
        const char *key;
        json_t *v;
        if (json_object_size(a) != json_object_size(b)) {
            snprintf(where, len, "object sizes %zu, %zu", json_object_size(a), json_object_size(b));
            return 0;
        }
        json_object_foreach(a, key, v)
        {
            if (!near_equal(v, json_object_get(b, key), where, len)) {
                size_t used = strlen(where);
                snprintf(where + used, len - used, " <- %s", key);
                return 0;
            }
        }
        return 1;
    }
    if (json_is_array(a)) {
        if (json_array_size(a) != json_array_size(b))
            return 0;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!near_equal(json_array_get(a, i), json_array_get(b, i), where, len))
                return 0;
        return 1;
    }
    return json_equal(a, b);
}

/* doc -> model -> doc equals doc; and model -> doc -> model -> doc is exact. */
static void assert_round_trip(json_t *doc, const char *name)
{
    char err[1024], where[1024] = "";
    struct rm_file *f = rm_from_doc(doc, name, err, sizeof(err)), *g;
    json_t *once, *twice;

    if (f == NULL)
        fail_msg("%s does not load: %s", name, err);
    once = rm_to_doc(f);
    if (!near_equal(doc, once, where, sizeof(where)))
        fail_msg("%s: dump(load(x)) differs from x at %s", name, where);
    g = rm_from_doc(once, name, err, sizeof(err));
    if (g == NULL)
        fail_msg("%s: its own dump does not load: %s", name, err);
    twice = rm_to_doc(g);
    assert_true(json_equal(once, twice));
    json_decref(once);
    json_decref(twice);
    rm_free(f);
    rm_free(g);
}

/* What concbench argv (whose -o is path) wrote, loaded; fails the test when it fails. */
static json_t *written_by(const char *const *argv, const char *path)
{
    static char out[OUT_LEN], err[OUT_LEN];

    if (run_concbench(argv, 120, out, err, OUT_LEN) != 0)
        fail_msg("concbench %s failed: %s", argv[0], err);
    return load_json(path);
}

static void test_reference_round_trip(void **state)
{
    const char *files[] = {"results/reference/reproduce.json", "tests/fixtures/server_late.json"};
    (void)state;

    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char path[1024];
        json_t *doc;
        snprintf(path, sizeof(path), "%s/%s", CONCBENCH_TEST_SOURCE_DIR, files[i]);
        doc = load_json(path);
        assert_round_trip(doc, files[i]);
        json_decref(doc);
    }
}

static void test_run_round_trip(void **state)
{
    char path[256];
    const char *argv[] = {"run",
                          "-m",
                          "sequential,pthreads,evloop:compute=inline",
                          "-w",
                          "cpu_bound,sleep",
                          "-n",
                          "3",
                          "-r",
                          "2",
                          "--warmup",
                          "0",
                          "-p",
                          "exponent=2000",
                          "-p",
                          "ms=5",
                          "-q",
                          "-o",
                          path,
                          NULL};
    json_t *doc;
    (void)state;

    temp_path(path, sizeof(path), ".json");
    doc = written_by(argv, path);
    assert_round_trip(doc, path);
    json_decref(doc);
    unlink(path);
}

/* context.system, context.ci and config.cpus survive a write and a load. */
static void test_system_ci_cpus_round_trip(void **state)
{
    struct rm_file *f = rm_new(), *g;
    char path[256], err[1024];
    json_t *once, *twice;
    (void)state;

    f->context = calloc(1, sizeof(*f->context));
    f->context->system = calloc(2, sizeof(struct rm_kv));
    f->context->system[0] = (struct rm_kv){rm_strdup("smt"), rm_strdup("off")};
    f->context->system[1] = (struct rm_kv){rm_strdup("pid_max"), rm_strdup("32768")};
    f->context->nsystem = 2;
    f->context->ci = calloc(1, sizeof(struct rm_kv));
    f->context->ci[0] = (struct rm_kv){rm_strdup("GITHUB_SHA"), rm_strdup("abc")};
    f->context->nci = 1;
    f->config.cpus = rm_strdup("0-1");
    temp_path(path, sizeof(path), ".json");
    assert_int_equal(rm_write(f, path, err, sizeof(err)), 0);
    g = rm_load(path, err, sizeof(err));
    if (g == NULL)
        fail_msg("%s", err);
    assert_int_equal(g->context->nsystem, 2);
    assert_string_equal(g->context->system[1].key, "pid_max");
    assert_string_equal(g->context->ci[0].value, "abc");
    assert_string_equal(g->config.cpus, "0-1");
    once = rm_to_doc(f);
    twice = rm_to_doc(g);
    assert_true(json_equal(once, twice));
    json_decref(once);
    json_decref(twice);
    rm_free(f);
    rm_free(g);
    unlink(path);
}

/* A Python variant's case, as the script prints it, round-trips through rm_case_from_doc. */
static void test_python_case_round_trip(void **state)
{
    char cmd[2048], err[1024], where[512] = "";
    FILE *p;
    json_error_t je;
    json_t *doc, *again;
    struct rm_case c;
    (void)state;

    if (access("/usr/bin/python3", X_OK) != 0)
        skip();
    snprintf(cmd, sizeof(cmd),
             "/usr/bin/python3 %s/scripts/python/concbench_py.py --model sequential "
             "--workload cpu_bound --tasks 2 --reps 2 --exponent 2000",
             CONCBENCH_TEST_SOURCE_DIR);
    p = popen(cmd, "r");
    assert_non_null(p);
    doc = json_loadf(p, 0, &je);
    pclose(p);
    if (doc == NULL)
        fail_msg("the Python script printed no JSON: %s", je.text);
    if (rm_case_from_doc(doc, "python", &c, err, sizeof(err)) != 0)
        fail_msg("the Python case does not load: %s", err);
    assert_string_equal(c.implementation, "python");
    assert_int_equal(c.fig[RM_WALL].nsamples, 2);
    again = rm_case_to_doc(NULL, &c);
    /* speedup_vs_sequential is derived: without its file there is none to compare */
    json_object_del(doc, "speedup_vs_sequential");
    json_object_del(again, "speedup_vs_sequential");
    if (!near_equal(doc, again, where, sizeof(where)))
        fail_msg("the Python case changed in a round trip at %s", where);
    rm_case_clear(&c);
    json_decref(doc);
    json_decref(again);
}

/* A results document with one field replaced, loaded: the error names the field. */
static void expect_field_error(const char *field_json_path, json_t *bad, const char *want)
{
    char path[1024], err[1024];
    json_t *doc, *c;
    struct rm_file *f;

    snprintf(path, sizeof(path), "%s/results/reference/reproduce.json", CONCBENCH_TEST_SOURCE_DIR);
    doc = load_json(path);
    c = json_array_get(json_object_get(doc, "cases"), 0);
    if (strcmp(field_json_path, "warnings[0]") == 0)
        json_array_set_new(json_object_get(c, "warnings"), 0, bad);
    else if (strcmp(field_json_path, "wall_s.samples[1]") == 0)
        json_array_set_new(json_object_get(json_object_get(c, "wall_s"), "samples"), 1, bad);
    else if (strcmp(field_json_path, "wall_s.median") == 0)
        json_object_set_new(json_object_get(c, "wall_s"), "median", bad);
    else if (strncmp(field_json_path, "context.", 8) == 0)
        json_object_set_new(json_object_get(doc, "context"), field_json_path + 8, bad);
    else if (strncmp(field_json_path, "top.", 4) == 0)
        json_object_set_new(doc, field_json_path + 4, bad);
    else
        json_object_set_new(c, field_json_path, bad);
    f = rm_from_doc(doc, "bad.json", err, sizeof(err));
    if (f != NULL)
        fail_msg("a wrong %s loaded", field_json_path);
    if (strstr(err, want) == NULL)
        fail_msg("error for %s: '%s', want '%s'", field_json_path, err, want);
    json_decref(doc);
}

static void test_wrong_types(void **state)
{
    (void)state;
    expect_field_error("warnings[0]", json_integer(5),
                       "bad.json: cases[0].warnings[0]: expected a string, got a whole number");
    expect_field_error("wall_s.samples[1]", json_string("x"),
                       "cases[0].wall_s.samples[1]: expected a number, got a string");
    expect_field_error("tasks", json_string("ten"), "cases[0].tasks: expected a whole number");
    expect_field_error("errors", json_array(), "cases[0].errors: expected an object, got an array");
    expect_field_error("timeline", json_object(), "cases[0].timeline: expected an array");
    expect_field_error("params", json_string("x"), "cases[0].params: expected an object");
    expect_field_error("rss_baseline_kib", json_string("big"),
                       "cases[0].rss_baseline_kib: expected a number, got a string");
    expect_field_error("model", json_null(), "case 1 has no \"model\" text");
    expect_field_error("context.logical_cpus", json_real(1.5),
                       "context.logical_cpus: expected a whole number, got a number with a "
                       "fraction");
    expect_field_error("top.interrupted", json_string("no"), "interrupted: expected true or false");
    expect_field_error("top.reproduction", json_integer(1), "reproduction: expected an object");
    expect_field_error("top.sweep", json_pack("{s:{s:[i,s]}}", "tasks", "sleep", 10, "x"),
                       "sweep.tasks.sleep[1]: expected a whole number of tasks, 1 or more");
    expect_field_error("top.sweep",
                       json_pack("{s:{}, s:[{s:s, s:s, s:s, s:s, s:s}]}", "tasks", "skipped",
                                 "workload", "sleep", "label", "green", "tasks", "many", "kind",
                                 "time", "reason", "r"),
                       "sweep.skipped[0].tasks: expected a whole number");
}

/* Wall times are seconds above 0 (issue 24, item 9: compare said "faster, ratio -291.554"). */
static void test_wall_times_refused(void **state)
{
    (void)state;
    expect_field_error(
        "wall_s.median", json_real(-0.5),
        "cases[0].wall_s.median: -0.5 is not a wall time (expected seconds above 0)");
    expect_field_error("wall_s.median", json_integer(0), "cases[0].wall_s.median: 0 is not");
    expect_field_error("wall_s.median", json_null(), "has no wall_s.median");
    expect_field_error("wall_s.samples[1]", json_real(-3),
                       "cases[0].wall_s.samples[1]: -3 is not a wall time");
    expect_field_error("wall_s.samples[1]", json_real(0), "cases[0].wall_s.samples[1]: 0 is not");
}

/* A real sweep's file (cases at several N, a point left out) survives a load and a dump. */
static void test_sweep_file_round_trip(void **state)
{
    char path[256];
    const char *argv[] = {"sweep",        "-m",  "sequential,evloop",
                          "--tasks-list", "2,4", "-p",
                          "ms=1",         "-r",  "1",
                          "--warmup",     "0",   "--sequential-max-seconds",
                          "0.001",        "-q",  "-o",
                          path,           NULL};
    json_t *doc;
    (void)state;

    temp_path(path, sizeof(path), ".json");
    doc = written_by(argv, path);
    assert_int_equal(json_array_size(json_object_get(doc, "cases")), 3);
    assert_round_trip(doc, path);
    json_decref(doc);
    unlink(path);
}

/* A sweep's object survives a load and a dump; its derived figures: sleep's bound is the longest
 * ms (sequential: the sum over the tasks), efficiency that bound over the median, CPU per task. */
static void test_sweep_round_trip(void **state)
{
    char path[256], err[1024];
    const char *argv[] = {"run",      "-m",    "sequential,evloop",
                          "-w",       "sleep", "-n",
                          "3",        "-r",    "1",
                          "--warmup", "0",     "-p",
                          "ms=5",     "-p",    "ms=10",
                          "-q",       "-o",    path,
                          NULL};
    struct rm_file *f;
    json_t *doc;
    (void)state;

    temp_path(path, sizeof(path), ".json");
    doc = written_by(argv, path);
    json_object_set_new(doc, "sweep",
                        json_pack("{s:{s:[i,i]}, s:f, s:f, s:[{s:s, s:s, s:i, s:s, s:s, s:i}]}",
                                  "tasks", "sleep", 3, 30, "max_seconds", 60.0,
                                  "sequential_max_seconds", 10.0, "skipped", "workload", "sleep",
                                  "label", "sequential", "tasks", 30, "kind", "time", "reason",
                                  "predicted 0.2 s", "future", 1));
    assert_round_trip(doc, path);
    f = rm_from_doc(doc, path, err, sizeof(err));
    assert_non_null(f);
    assert_non_null(f->sweep);
    assert_int_equal(f->sweep->nplans, 1);
    assert_int_equal(f->sweep->plans[0].tasks[1], 30);
    assert_string_equal(f->sweep->skipped[0].kind, "time");
    assert_true(fabs(rm_ideal_wall_s(&f->cases[0]) - 0.020) < 1e-9); /* 5 + 10 + 5 ms */
    assert_true(fabs(rm_ideal_wall_s(&f->cases[1]) - 0.010) < 1e-9);
    assert_true(rm_efficiency(&f->cases[1]) > 0 && rm_efficiency(&f->cases[1]) <= 1.0);
    assert_true(rm_cpu_per_task_s(&f->cases[1]) >= 0);
    rm_free(f);
    json_decref(doc);
    unlink(path);
}

/* Unknown keys survive a load and a dump (a file from a newer concbench). */
static void test_unknown_keys_kept(void **state)
{
    char err[256];
    json_t *doc = json_pack("{s:i, s:[{s:s, s:s, s:s, s:{s:f}, s:i}], s:s}", "schema_version", 1,
                            "cases", "workload", "sleep", "model", "green", "label", "green",
                            "wall_s", "median", 0.5, "future_field", 7, "future_top", "yes");
    struct rm_file *f = rm_from_doc(doc, "new.json", err, sizeof(err));
    json_t *out;
    (void)state;

    assert_non_null(f);
    out = rm_to_doc(f);
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(json_object_get(out, "cases"), 0), "future_field")),
                     7);
    assert_string_equal(json_string_value(json_object_get(out, "future_top")), "yes");
    json_decref(out);
    json_decref(doc);
    rm_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_round_trip),      cmocka_unit_test(test_run_round_trip),
        cmocka_unit_test(test_python_case_round_trip),    cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_wall_times_refused),        cmocka_unit_test(test_unknown_keys_kept),
        cmocka_unit_test(test_system_ci_cpus_round_trip), cmocka_unit_test(test_sweep_round_trip),
        cmocka_unit_test(test_sweep_file_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
