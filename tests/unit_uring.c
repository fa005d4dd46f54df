/* The uring model (runners/uring.c) through the built binary. unit_harness runs the runner
 * contract over every model (uring's cancellation is there); here what is uring's own: every
 * workload in both compute modes (io_bound with both clients, the warning's io_uring_enter
 * count), -j, 10,000 sleepers, and: io_uring
 * made unavailable (CONCBENCH_URING_DISABLE) is an error that says so, and no task runs. Skipped in
 * a build without liburing. Speeds are never asserted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmocka.h>

#include "runners/runner.h"
#include "testutil.h"

/* The case's warning counts io_uring_enter calls; io_bound's says how its requests ran: on the
 * ring with client=raw (and how it received), on the pool with curl. */
static void check_uring_warning(json_t *c)
{
    char *text = json_dumps(json_object_get(c, "warnings"), 0);
    const char *wl = json_string_value(json_object_get(c, "workload"));
    const json_t *params = json_object_get(c, "params");
    const char *client = json_string_value(json_object_get(params, "client"));

    if (strstr(text, "io_uring_enter: ") == NULL)
        fail_msg("%s: no io_uring_enter count in the warnings: %s", wl, text);
    if (strcmp(wl, "io_bound") == 0 && client != NULL && strcmp(client, "raw") == 0 &&
        strstr(text, "io_bound receives: ") == NULL)
        fail_msg("io_bound client=raw: how it received is not said: %s", text);
    if (strcmp(wl, "io_bound") == 0 && (client == NULL || strcmp(client, "curl") == 0) &&
        strstr(text, "client=curl: requests run blocking on the pool") == NULL)
        fail_msg("io_bound client=curl: the pool is not named: %s", text);
    free(text);
}

/* cpu_bound, sleep and io_bound (both clients), both modes, every task valid; sleeps overlap;
 * compute inline takes turns on the loop thread. */
static void test_workloads_valid(void **state)
{
    char path[256];
    const char *argv[] = {"run",
                          "-m",
                          "uring,uring:compute=inline",
                          "-w",
                          "cpu_bound,sleep,io_bound,io_bound:client=raw",
                          "-n",
                          "4",
                          "-r",
                          "2",
                          "--warmup",
                          "0",
                          "-p",
                          "exponent=20000",
                          "-p",
                          "ms=200",
                          "-p",
                          "delay_ms=20",
                          "-q",
                          "-o",
                          path,
                          NULL};
    json_t *root, *c;
    size_t i;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    root = run_ok_json(argv, path);
    assert_int_equal(json_array_size(json_object_get(root, "cases")), 8);
    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        const char *wl = json_string_value(json_object_get(c, "workload"));
        const char *model = json_string_value(json_object_get(c, "label"));
        assert_case_valid(c, 8);
        assert_int_equal(json_array_size(json_object_get(c, "timeline")), 4);
        if (strcmp(wl, "sleep") == 0 && !timeline_all_overlap(c))
            fail_msg("%s: sleeps do not all overlap", model);
        if (strcmp(wl, "cpu_bound") == 0 && strstr(model, "inline") != NULL)
            assert_true(timeline_none_overlap(c));
        check_uring_warning(c);
    }
    json_decref(root);
    unlink(path);
}

/* -j 2: compute on a pool of two threads (workers 1 and 2; the loop thread is 0), every task
 * run; sleeps stay on the ring whatever the pool. */
static void test_workers(void **state)
{
    char path[256];
    const char *argv[] = {"run",    "-m", "uring", "-j",       "2", "-w", "cpu_bound,sleep", "-n",
                          "6",      "-r", "1",     "--warmup", "0", "-p", "exponent=20000",  "-p",
                          "ms=150", "-q", "-o",    path,       NULL};
    json_t *root, *c;
    size_t i;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    root = run_ok_json(argv, path);
    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        assert_case_valid(c, 6);
        assert_int_equal(json_integer_value(json_object_get(c, "workers")), 2);
        if (strcmp(json_string_value(json_object_get(c, "workload")), "sleep") == 0)
            assert_true(timeline_all_overlap(c));
        else
            assert_true(case_workers_seen(c, 3) >= 1);
    }
    json_decref(root);
    unlink(path);
}

/* 10,000 timeouts in flight at once, more than the submission queue holds. */
static void test_ten_thousand_sleepers(void **state)
{
    char path[256];
    const char *argv[] = {"run",      "-m", "uring", "-w",     "sleep", "-n", "10000", "-r", "1",
                          "--warmup", "0",  "-p",    "ms=500", "-q",    "-o", path,    NULL};
    json_t *root, *c;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    root = run_ok_json(argv, path);
    c = find_case(root, "uring");
    assert_case_valid(c, 10000);
    assert_true(timeline_all_overlap(c));
    json_decref(root);
    unlink(path);
}

/* io_uring made unavailable: the case is an error that says why, no task runs, the other model
 * still does, and the exit status says it failed. */
static void test_forced_unavailable(void **state)
{
    char path[256], err[8192];
    const char *argv[] = {"run",      "-m", "uring,evloop", "-w",    "sleep", "-n", "3",  "-r", "1",
                          "--warmup", "0",  "-p",           "ms=10", "-q",    "-o", path, NULL};
    json_t *root, *c;
    int rc;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    setenv("CONCBENCH_URING_DISABLE", "1", 1);
    rc = run_concbench(argv, 120, NULL, err, sizeof(err));
    unsetenv("CONCBENCH_URING_DISABLE");
    assert_int_equal(rc, 1);
    if (strstr(err, "io_uring unavailable: CONCBENCH_URING_DISABLE=1") == NULL)
        fail_msg("unexpected stderr: %s", err);
    root = load_json(path);
    c = find_case(root, "uring");
    assert_false(json_is_true(json_object_get(json_object_get(c, "validation"), "ok")));
    assert_case_valid(find_case(root, "evloop"), 3);
    json_decref(root);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workloads_valid),
        cmocka_unit_test(test_workers),
        cmocka_unit_test(test_ten_thousand_sleepers),
        cmocka_unit_test(test_forced_unavailable),
    };

    unsetenv("CONCBENCH_URING_DISABLE");
    if (runner_find("uring") == NULL) {
        printf("uring is not in this build (%s): skipped\n", runner_missing_why("uring"));
        return 0;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
