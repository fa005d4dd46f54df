/* The demos at a small --scale: each exits 0 and its timeline has the structure it promises
 * (gather's tasks overlap, await-chain's do not when awaited in a row, the executor's 6 tasks
 * finish in two waves of 3, a blocking step on the loop thread freezes the other tasks). No test
 * here asserts a speed: only orderings that the models guarantee. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#define OUT_LEN 262144
/* Under ThreadSanitizer a thread can take most of a second to start (see unit_io_bound.c): the
 * scenarios there run at a scale whose waits are longer than that. */
#ifdef __SANITIZE_THREAD__
#define SCALE      0.5
#define SCALE_TEXT "0.5"
#else
/* wait-timeout leaves 0.25 x SCALE s between the second task's end and the cancellation: at
 * 0.05 a busy machine's slow forks used that up, and at 0.1 once in 7 runs at load 100 */
#define SCALE      0.2
#define SCALE_TEXT "0.2"
#endif
/* wait-timeout's margin (0.25 x its scale) must outlast a task's late start: under ASan at load
 * 16 green's tasks started 190 ms late once, and a Release run at load 100 lost 25 ms */
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define WAIT_SCALE_TEXT "1"
#else
#define WAIT_SCALE_TEXT "0.4"
#endif

static char out[OUT_LEN], err[OUT_LEN];

/* Runs a scenario at a scale, expects exit 0, returns its results document. */
static json_t *demo_at(const char *scenario, const char *scale)
{
    char path[256];
    const char *argv[] = {"demo", scenario, "--scale", scale, "-o", path, NULL};
    json_t *root;
    int rc;

    temp_path(path, sizeof(path), ".json");
    rc = run_concbench(argv, 240, out, err, OUT_LEN);
    if (rc != 0)
        fail_msg("demo %s exited with %d:\n%s\n%s", scenario, rc, err, out);
    if (strstr(out, "What happened:") == NULL)
        fail_msg("demo %s told nothing:\n%s", scenario, out);
    root = load_json(path);
    unlink(path);
    for (size_t i = 0; i < json_array_size(json_object_get(root, "cases")); i++) {
        json_t *c = json_array_get(json_object_get(root, "cases"), i);
        if (!json_is_true(json_object_get(json_object_get(c, "validation"), "ok")))
            fail_msg("demo %s: case %s is not valid", scenario,
                     json_string_value(json_object_get(c, "label")));
    }
    return root;
}

static json_t *demo(const char *scenario)
{
    return demo_at(scenario, SCALE_TEXT);
}

static double num(json_t *o, const char *key)
{
    return json_number_value(json_object_get(o, key));
}

static void test_list_and_usage(void **state)
{
    const char *list[] = {"demo", NULL};
    const char *bad[] = {"demo", "nope", NULL};
    const char *scale[] = {"demo", "gather", "--scale", "0", NULL};
    const char *models[] = {"demo", "gather", "-m", "threads", NULL};
    const char *names[] = {"await-chain", "gather",           "wait-timeout",
                           "executor",    "blocking-in-loop", "cpu-vs-io"};
    (void)state;

    assert_int_equal(run_concbench(list, 30, out, err, OUT_LEN), 0);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        assert_non_null(strstr(out, names[i]));
    assert_int_equal(run_concbench(bad, 30, out, err, OUT_LEN), 2);
    assert_non_null(strstr(err, "no scenario 'nope'"));
    assert_non_null(strstr(err, "gather"));
    assert_int_equal(run_concbench(scale, 30, out, err, OUT_LEN), 2);
    assert_non_null(strstr(err, "--scale takes a number"));
    assert_int_equal(run_concbench(models, 30, out, err, OUT_LEN), 2);
}

static void test_await_chain(void **state)
{
    json_t *root = demo("await-chain");
    (void)state;

    assert_true(timeline_none_overlap(find_case(root, "sequential")));
    assert_true(timeline_all_overlap(find_case(root, "evloop")));
    assert_true(timeline_all_overlap(find_case(root, "green")));
    json_decref(root);
}

static void test_gather(void **state)
{
    json_t *root = demo("gather");
    const char *concurrent[] = {"pthreads", "processes", "green", "evloop"};
    (void)state;

    assert_true(timeline_none_overlap(find_case(root, "sequential")));
    for (size_t i = 0; i < sizeof(concurrent) / sizeof(concurrent[0]); i++)
        assert_true(timeline_all_overlap(find_case(root, concurrent[i])));
    json_decref(root);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static long long cancelled(json_t *c)
{
    return json_integer_value(json_object_get(json_object_get(c, "validation"), "cancelled"));
}

/* Sleeps of 1..4 s (x SCALE) waited for 2.5 s: under the concurrent models the first two are
 * done and the last two cancelled; one after the other, only the first is done. Cancelled tasks
 * are reported (counted, marked not ok) and the case is still valid. */
static void test_wait_timeout(void **state)
{
    json_t *root = demo_at("wait-timeout", WAIT_SCALE_TEXT);
    const char *concurrent[] = {"pthreads", "processes", "green", "evloop"};
    (void)state;

    assert_int_equal(cancelled(find_case(root, "sequential")), 3);
    for (size_t i = 0; i < sizeof(concurrent) / sizeof(concurrent[0]); i++) {
        json_t *tl = json_object_get(find_case(root, concurrent[i]), "timeline"), *t;
        size_t k;
        assert_int_equal(cancelled(find_case(root, concurrent[i])), 2);
        json_array_foreach(tl, k, t)
        {
            long long task = json_integer_value(json_object_get(t, "task"));
            assert_int_equal(json_is_true(json_object_get(t, "ok")), task < 2);
        }
    }
    assert_non_null(strstr(out, "│ x\n"));
    assert_non_null(strstr(out, "x after a row: the task was cancelled"));
    json_decref(root);
}

/* Six blocking steps of 50 ms on 3 workers: whatever ran on a worker before, the fourth task to
 * end needed two steps in a row on one worker, so it ends at least 2 x 50 ms after the first
 * start (ends are stamped once a step is over, never before). Six steps side by side would all
 * end after one step. */
static void test_executor(void **state)
{
    json_t *root = demo("executor");
    const char *models[] = {"pthreads", "processes", "evloop"};
    (void)state;

    for (size_t m = 0; m < sizeof(models) / sizeof(models[0]); m++) {
        json_t *tl = json_object_get(find_case(root, models[m]), "timeline");
        double ends[6], first_start = 1e9;
        assert_int_equal(json_array_size(tl), 6);
        for (int i = 0; i < 6; i++) {
            ends[i] = num(json_array_get(tl, (size_t)i), "end_s");
            if (num(json_array_get(tl, (size_t)i), "start_s") < first_start)
                first_start = num(json_array_get(tl, (size_t)i), "start_s");
        }
        qsort(ends, 6, sizeof(ends[0]), by_value);
        if (ends[3] - first_start < 2 * 1000 * SCALE / 1000.0 - 1e-4)
            fail_msg("%s: a fourth task ended %.4f s after the first start: no second wave",
                     models[m], ends[3] - first_start);
    }
    json_decref(root);
}

/* No step of tasks 1 and 2 ends while task 0's blocking step holds the one thread. */
static void assert_frozen(json_t *root, const char *label)
{
    json_t *tl = json_object_get(find_case(root, label), "timeline"), *t0 = NULL, *t;
    double from, to;
    size_t i;

    json_array_foreach(tl, i, t) if (json_integer_value(json_object_get(t, "task")) == 0) t0 = t;
    assert_non_null(t0);
    from = num(t0, "start_s");
    to = json_number_value(json_array_get(json_object_get(t0, "steps_end_s"), 0));
    json_array_foreach(tl, i, t)
    {
        json_t *marks = json_object_get(t, "steps_end_s");
        if (t == t0)
            continue;
        for (size_t k = 1; k < json_array_size(marks); k++) {
            double end = json_number_value(json_array_get(marks, k));
            if (end > from && end < to)
                fail_msg("%s: task %lld finished step %zu at %.4f s, inside the block [%.4f, "
                         "%.4f]",
                         label, json_integer_value(json_object_get(t, "task")), k + 1, end, from,
                         to);
        }
    }
}

static void test_blocking_in_loop(void **state)
{
    json_t *root = demo("blocking-in-loop");
    (void)state;

    assert_frozen(root, "evloop:compute=inline");
    assert_frozen(root, "green");
    json_decref(root);
}

static void test_cpu_vs_io(void **state)
{
    json_t *root = demo("cpu-vs-io");
    (void)state;

    assert_int_equal(json_array_size(json_object_get(root, "cases")), 14);
    assert_non_null(strstr(out, "article's threads 0.88x"));
    json_decref(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_and_usage), cmocka_unit_test(test_await_chain),
        cmocka_unit_test(test_gather),         cmocka_unit_test(test_wait_timeout),
        cmocka_unit_test(test_executor),       cmocka_unit_test(test_blocking_in_loop),
        cmocka_unit_test(test_cpu_vs_io),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
