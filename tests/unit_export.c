/* concbench export: each format's published shape (github-action-benchmark's custom JSON,
 * Bencher Metric Format), invalid cases left out with a message and exit 1, bounds clamped. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "report/export.h"
#include "rmodel/rmodel.h"
#include "testutil.h"

#define OUT_LEN 65536

static const char *const seq_key = "cpu_bound/sequential/n=10/w=0";
static const char *const pth_key = "cpu_bound/pthreads/n=10/w=0";

/* sequential at 1 s, pthreads at 0.5 s (10 reps each); with_invalid adds an invalid green. */
static void write_file(char *path, size_t len, int with_invalid)
{
    struct rm_file *f = synth_file("m", "abc");

    synth_case(f, "cpu_bound", "sequential", 1.0, 10, 1);
    synth_case(f, "cpu_bound", "pthreads", 0.5, 10, 1);
    if (with_invalid)
        synth_case(f, "cpu_bound", "green", 1.0, 10, 0);
    synth_write(f, path, len);
}

static json_t *export_doc(const char *file, const char *format, int want_rc, char *err)
{
    static char out[OUT_LEN];
    const char *argv[] = {"export", file, "--format", format, NULL};
    json_error_t je;
    json_t *doc;

    assert_int_equal(run_concbench(argv, 60, out, err, OUT_LEN), want_rc);
    doc = json_loads(out, 0, &je);
    if (doc == NULL)
        fail_msg("export %s printed no JSON: %s\n%s", format, je.text, out);
    return doc;
}

/* [{name, unit, value, range, extra}] with the types the action reads. */
static void test_gab(void **state)
{
    char path[256], err[OUT_LEN];
    json_t *doc, *e;
    (void)state;

    write_file(path, sizeof(path), 1);
    doc = export_doc(path, "gab", 1, err);
    assert_non_null(strstr(err, "cpu_bound/green/n=10/w=0: invalid (validation failed)"));
    assert_true(json_is_array(doc));
    assert_int_equal(json_array_size(doc), 2);
    e = json_array_get(doc, 1);
    assert_int_equal(json_object_size(e), 5);
    assert_string_equal(json_string_value(json_object_get(e, "name")), pth_key);
    assert_string_equal(json_string_value(json_object_get(e, "unit")), "s");
    assert_true(json_is_number(json_object_get(e, "value")));
    assert_true(fabs(json_number_value(json_object_get(e, "value")) - 0.5 * 1.01) < 0.01);
    assert_true(strncmp(json_string_value(json_object_get(e, "range")), "± ", 3) == 0);
    assert_non_null(strstr(json_string_value(json_object_get(e, "extra")), "reps: 10\n"));
    assert_non_null(strstr(json_string_value(json_object_get(e, "extra")), "speedup: 2.000x"));
    json_decref(doc);

    doc = export_doc(path, "gab-speedup", 1, err);
    e = json_array_get(doc, 1);
    assert_string_equal(json_string_value(json_object_get(e, "unit")), "x");
    assert_float_equal(json_number_value(json_object_get(e, "value")), 2.0, 1e-9);
    json_decref(doc);
    unlink(path);
}

/* One measure: value, lower_value <= value <= upper_value, all numbers. */
static void check_measure(json_t *m, double lo_at_least, double hi_at_most)
{
    double v = json_number_value(json_object_get(m, "value"));
    double lo = json_number_value(json_object_get(m, "lower_value"));
    double hi = json_number_value(json_object_get(m, "upper_value"));

    assert_int_equal(json_object_size(m), 3);
    assert_true(lo <= v && v <= hi);
    assert_true(lo >= lo_at_least && hi <= hi_at_most);
}

static void test_bmf(void **state)
{
    char path[256], err[OUT_LEN];
    json_t *doc, *b;
    (void)state;

    write_file(path, sizeof(path), 0);
    doc = export_doc(path, "bmf", 0, err);
    assert_true(json_is_object(doc));
    assert_int_equal(json_object_size(doc), 2);
    b = json_object_get(doc, pth_key);
    assert_non_null(b);
    /* latency in ns within the samples' [0.5, 0.5 * 1.02] s */
    check_measure(json_object_get(b, "latency"), 0.5e9, 0.51e9);
    check_measure(json_object_get(b, "speedup"), 1.9, 2.1);
    check_measure(json_object_get(b, "max-rss"), 4096, 4105);
    assert_non_null(json_object_get(doc, seq_key));
    json_decref(doc);
    unlink(path);
}

/* Two samples far apart: the t interval of the mean reaches below zero; the bounds do not. */
static void test_bmf_clamped(void **state)
{
    char path[256], err[OUT_LEN];
    struct rm_file *f = synth_file("m", "abc");
    const double two[] = {0.1, 1.0};
    json_t *doc, *lat;
    (void)state;

    rm_figure_set(&synth_case(f, "sleep", "green", 1.0, 2, 1)->fig[RM_WALL], two, 2);
    assert_true(f->cases[0].fig[RM_WALL].st.ci95_lo < 0);
    synth_write(f, path, sizeof(path));
    doc = export_doc(path, "bmf", 0, err);
    lat = json_object_get(json_object_get(doc, "sleep/green/n=10/w=0"), "latency");
    assert_float_equal(json_number_value(json_object_get(lat, "lower_value")), 0.1e9, 1);
    assert_float_equal(json_number_value(json_object_get(lat, "upper_value")), 1.0e9, 1);
    json_decref(doc);
    unlink(path);
}

/* Every format of the table: named in --help, and a JSON document with the valid cases. */
static void test_every_format(void **state)
{
    static char out[OUT_LEN];
    char path[256], err[OUT_LEN];
    const char *help[] = {"export", "--help", NULL};
    (void)state;

    write_file(path, sizeof(path), 0);
    assert_int_equal(run_concbench(help, 30, out, err, OUT_LEN), 0);
    for (int i = 0; exp_formats[i] != NULL; i++) {
        char line[64];
        json_t *doc = export_doc(path, exp_formats[i]->name, 0, err);

        assert_true(json_is_array(doc) || json_is_object(doc));
        assert_true(json_is_array(doc) ? json_array_size(doc) > 0 : json_object_size(doc) > 0);
        json_decref(doc);
        snprintf(line, sizeof(line), "\n  %-12s ", exp_formats[i]->name);
        assert_non_null(strstr(out, line));
    }
    unlink(path);
}

static void test_bad_usage(void **state)
{
    char path[256], out[OUT_LEN], err[OUT_LEN], names[128];
    const char *no_format[] = {"export", "x.json", NULL};
    const char *bad_format[] = {"export", "x.json", "--format", "nope", NULL};
    const char *folder[] = {"export", "/tmp", "--format", "gab", NULL};
    (void)state;
    (void)path;

    assert_int_equal(run_concbench(no_format, 30, out, err, OUT_LEN), 2);
    assert_int_equal(run_concbench(bad_format, 30, out, err, OUT_LEN), 2);
    exp_format_names(names, sizeof(names), ", ", " or "); /* "gab, gab-speedup or bmf" */
    assert_non_null(strstr(err, names));
    assert_int_equal(run_concbench(folder, 30, out, err, OUT_LEN), 1);
    assert_non_null(strstr(err, "folder"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gab),         cmocka_unit_test(test_bmf),
        cmocka_unit_test(test_bmf_clamped), cmocka_unit_test(test_every_format),
        cmocka_unit_test(test_bad_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
