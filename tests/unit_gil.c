/* gil=on (pthreads, evloop's pool, green): the results are the same as without it (the same
 * checksum), and no two compute steps ever run at once, checked from step times: script tasks
 * that each compute 40 ms under one lock end at least 40 ms apart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#define OUT_LEN 65536
/* A step's end is stamped while its thread holds the lock, and the next holder computes its
 * 40 ms after taking it: only the clock's rounding is allowed for. */
#define SLACK 1e-6

static char out[OUT_LEN], err[OUT_LEN];

static json_t *run(const char *const *args)
{
    char path[256];
    const char *argv[32];
    int n = 0, rc;
    json_t *root;

    temp_path(path, sizeof(path), ".json");
    for (; args[n] != NULL; n++)
        argv[n] = args[n];
    argv[n++] = "-o";
    argv[n++] = path;
    argv[n] = NULL;
    rc = run_concbench(argv, 300, out, err, OUT_LEN);
    if (rc != 0)
        fail_msg("run exited with %d:\n%s\n%s", rc, err, out);
    root = load_json(path);
    unlink(path);
    return root;
}

static const char *checksum(json_t *c)
{
    return json_string_value(json_object_get(json_object_get(c, "validation"), "checksum"));
}

static void test_same_checksums(void **state)
{
    const char *args[] = {"run",
                          "-w",
                          "cpu_bound",
                          "-p",
                          "exponent=60000",
                          "-n",
                          "3",
                          "-r",
                          "1",
                          "--warmup",
                          "0",
                          "-q",
                          "-m",
                          "pthreads,pthreads:gil=on,evloop:gil=on,green:gil=on,"
                          "pthreads:gil=on:gil_interval_ms=1",
                          NULL};
    json_t *root = run(args), *cases = json_object_get(root, "cases"), *c;
    size_t i;
    (void)state;

    assert_int_equal(json_array_size(cases), 5);
    json_array_foreach(cases, i, c)
    {
        assert_true(json_is_true(json_object_get(json_object_get(c, "validation"), "ok")));
        assert_string_equal(checksum(c), checksum(json_array_get(cases, 0)));
    }
    json_decref(root);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void test_one_compute_step_at_once(void **state)
{
    const char *args[] = {
        "run", "-w", "script",   "-p", "plan=c40", "-n", "4",
        "-r",  "1",  "--warmup", "0",  "-q",       "-m", "pthreads:gil=on,evloop:gil=on",
        NULL};
    json_t *root = run(args), *cases = json_object_get(root, "cases"), *c;
    size_t i;
    (void)state;

    json_array_foreach(cases, i, c)
    {
        json_t *tl = json_object_get(c, "timeline");
        double ends[4];
        assert_int_equal(json_array_size(tl), 4);
        for (int k = 0; k < 4; k++)
            ends[k] = json_number_value(
                json_array_get(json_object_get(json_array_get(tl, (size_t)k), "steps_end_s"), 0));
        qsort(ends, 4, sizeof(ends[0]), by_value);
        for (int k = 1; k < 4; k++)
            if (ends[k] - ends[k - 1] < 0.040 - SLACK)
                fail_msg("%s: two 40 ms compute steps ended %.4f s apart: they overlapped",
                         json_string_value(json_object_get(c, "label")), ends[k] - ends[k - 1]);
    }
    json_decref(root);
}

static void test_bad_option(void **state)
{
    const char *argv[] = {"run", "-m", "pthreads:gil=maybe", "-n", "1", NULL};
    (void)state;

    assert_int_equal(run_concbench(argv, 30, out, err, OUT_LEN), 2);
    assert_non_null(strstr(err, "off|on"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_checksums),
        cmocka_unit_test(test_one_compute_step_at_once),
        cmocka_unit_test(test_bad_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
