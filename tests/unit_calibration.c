/* cpu_bound's calibration (-p target_ms=N): the count it records reproduces the target within a
 * factor of 2 on the machine that calibrated (read on the thread's CPU clock, which waiting for a
 * CPU does not move), a fixed count is kept as given, every power of a task is computed and its
 * digest checked, and a run records the calibration in its results file. No speed is asserted:
 * only the calibration's own consistency. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"
#include "workloads/task.h"
#include "workloads/workload.h"

#define OUT_LEN   65536
#define TARGET_MS 40.0

static char out[OUT_LEN], err[OUT_LEN];

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *prepare(const struct workload *wl, const char *const *kvs)
{
    struct param_set ps = {0};
    char why[512];
    void *instance = NULL;

    for (int i = 0; kvs[i] != NULL; i++)
        assert_int_equal(params_add(&ps, wl->params, kvs[i], why, sizeof(why)), 0);
    if (wl->prepare(&ps, &instance, why, sizeof(why)) != 0)
        fail_msg("prepare: %s", why);
    params_clear(&ps);
    return instance;
}

/* One task run on this thread: its CPU time in ms; the record checked. */
static double one_task_ms(const struct workload *wl, void *instance)
{
    struct task_table *tt = task_table_new(1, 1, 0);
    struct task_ctx t = {0};
    struct task_env env = {0};
    char why[256];
    double t0, ms;

    assert_non_null(tt);
    env.table = tt;
    t.env = &env;
    t.rec = &tt->records[0];
    t0 = cpu_s();
    assert_int_equal(wl->step_block(instance, &t), 0);
    ms = (cpu_s() - t0) * 1e3;
    if (wl->check(instance, t.rec, why, sizeof(why)) != 0)
        fail_msg("check: %s", why);
    task_table_free(tt);
    return ms;
}

static void test_target_reproduced(void **state)
{
    const struct workload *wl = workload_find("cpu_bound");
    const char *kvs[] = {"target_ms=40", NULL};
    struct workload_calibration wc;
    void *instance;
    double ms;

    (void)state;
    assert_non_null(wl);
    instance = prepare(wl, kvs);
    assert_int_equal(wl->calibration(instance, &wc), 0);
    assert_true(wc.count >= 1);
    assert_true(wc.timings >= 1);
    assert_true(wc.op_ms > 0);
    assert_true(wc.target_ms == TARGET_MS);
    ms = one_task_ms(wl, instance);
    if (ms < TARGET_MS / 2 || ms > TARGET_MS * 2)
        fail_msg("a task of %lld powers took %.1f ms of CPU, target %.0f ms (one power %.2f ms)",
                 wc.count, ms, TARGET_MS, wc.op_ms);
    assert_non_null(strstr(wc.task, "7777**200000"));
    wl->release(instance);
}

static void test_fixed_count(void **state)
{
    const struct workload *wl = workload_find("cpu_bound");
    const char *kvs[] = {"exponent=2000", "count=3", "target_ms=500", NULL};
    const char *once[] = {"exponent=2000", "target_ms=0", NULL};
    struct workload_calibration wc;
    void *instance;

    (void)state;
    instance = prepare(wl, kvs);
    assert_int_equal(wl->calibration(instance, &wc), 0);
    assert_int_equal(wc.count, 3);
    assert_true(wc.target_ms == 0); /* a count given is not calibrated */
    assert_string_equal(wc.task, "7777**2000, 3 times");
    one_task_ms(wl, instance);
    wl->release(instance);

    instance = prepare(wl, once);
    assert_int_equal(wl->calibration(instance, &wc), 0);
    assert_int_equal(wc.count, 1);
    assert_string_equal(wc.task, "7777**2000 once");
    wl->release(instance);
}

/* A record whose digest is not the power's fails the check (the step itself checks each of its
 * powers the same way and stops at the first wrong one, naming it). */
static void test_digest_checked(void **state)
{
    const struct workload *wl = workload_find("cpu_bound");
    const char *kvs[] = {"exponent=2000", "count=2", NULL};
    void *instance = prepare(wl, kvs);
    struct task_record rec = {0};
    char why[256];

    (void)state;
    assert_int_not_equal(wl->check(instance, &rec, why, sizeof(why)), 0);
    assert_non_null(strstr(why, "expected"));
    wl->release(instance);
}

static void test_recorded_in_results(void **state)
{
    char path[256];
    const char *argv[] = {"run",      "-m", "sequential", "-n",           "2",  "-r", "1",
                          "--warmup", "0",  "-p",         "target_ms=10", "-o", path, NULL};
    json_t *root, *c, *cal;
    int rc;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    rc = run_concbench(argv, 120, out, err, OUT_LEN);
    if (rc != 0)
        fail_msg("run exited with %d:\n%s\n%s", rc, err, out);
    assert_non_null(strstr(out, "a task computed 7777**200000"));
    root = load_json(path);
    c = json_array_get(json_object_get(root, "cases"), 0);
    cal = json_object_get(c, "calibration");
    assert_non_null(cal);
    assert_true(json_integer_value(json_object_get(cal, "count")) >= 1);
    assert_true(json_number_value(json_object_get(cal, "target_ms")) == 10);
    assert_non_null(json_string_value(json_object_get(cal, "task")));
    json_decref(root);
    {
        const char *report[] = {"report", path, NULL}; /* read back through the results model */
        assert_int_equal(run_concbench(report, 60, out, err, OUT_LEN), 0);
        assert_non_null(strstr(out, "calibrated to 10 ms"));
    }
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_target_reproduced),
        cmocka_unit_test(test_fixed_count),
        cmocka_unit_test(test_digest_checked),
        cmocka_unit_test(test_recorded_in_results),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
