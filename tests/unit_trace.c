/* The Perfetto / chrome://tracing export: `run --trace` and `trace` write the same document, and
 * it follows the trace-event format's rules: every complete event ("X") has ts, dur, pid and tid;
 * one named process per case; one named thread track per task (not per worker); steps nest inside
 * their task; an "in flight" counter per case. */
#include <setjmp.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#define OUT_LEN 65536
#define TASKS   4

static char results[256], trace_run[256], trace_cmd[256];

/* Under ThreadSanitizer a thread can take most of a second to start (see unit_io_bound.c): the
 * sleeps there must be longer for the tasks to be in flight together. Elsewhere 20 ms was too
 * short under ASan at a load of 100 on 2 CPUs (2 of 11 runs saw 3 of 4 tasks in flight). */
#ifdef __SANITIZE_THREAD__
#define SLEEP_MS "ms=1000"
#else
#define SLEEP_MS "ms=300"
#endif

static int setup(void **state)
{
    const char *argv[] = {"run",   "-w",       "sleep",   "-m",     "sequential,pthreads,evloop",
                          "-n",    "4",        "-p",      SLEEP_MS, "-r",
                          "1",     "--warmup", "0",       "-q",     "-o",
                          results, "--trace",  trace_run, NULL};
    const char *targv[] = {"trace", results, "-o", trace_cmd, NULL};
    static char out[OUT_LEN], err[OUT_LEN];
    (void)state;

    temp_path(results, sizeof(results), ".json");
    temp_path(trace_run, sizeof(trace_run), ".trace.json");
    temp_path(trace_cmd, sizeof(trace_cmd), ".trace.json");
    if (run_concbench(argv, 120, out, err, OUT_LEN) != 0) {
        fprintf(stderr, "run --trace failed: %s\n", err);
        return -1;
    }
    if (run_concbench(targv, 60, out, err, OUT_LEN) != 0) {
        fprintf(stderr, "trace failed: %s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(results);
    unlink(trace_run);
    unlink(trace_cmd);
    return 0;
}

static int is(json_t *e, const char *key, const char *value)
{
    return json_is_string(json_object_get(e, key)) &&
           strcmp(json_string_value(json_object_get(e, key)), value) == 0;
}

static double num(json_t *e, const char *key)
{
    json_t *v = json_object_get(e, key);

    if (!json_is_number(v))
        fail_msg("a \"%s\" event has no number \"%s\"", json_string_value(json_object_get(e, "ph")),
                 key);
    return json_number_value(v);
}

/* The rules every event follows, by phase. */
static void check_event(json_t *e)
{
    const char *ph = json_string_value(json_object_get(e, "ph"));

    assert_non_null(ph);
    assert_true(json_is_string(json_object_get(e, "name")));
    assert_true(json_is_integer(json_object_get(e, "pid")));
    if (strcmp(ph, "X") == 0) {
        assert_true(json_is_integer(json_object_get(e, "tid")));
        assert_true(num(e, "ts") >= 0);
        assert_true(num(e, "dur") >= 0);
    } else if (strcmp(ph, "M") == 0) {
        assert_true(json_is_object(json_object_get(e, "args")));
    } else if (strcmp(ph, "C") == 0) {
        assert_true(num(e, "ts") >= 0);
        /* in flight counts tasks; running on a CPU sums their shares of a CPU */
        if (is(e, "name", "in flight"))
            assert_true(json_is_integer(json_object_get(json_object_get(e, "args"), "tasks")));
        else
            assert_true(is(e, "name", "running on a CPU") &&
                        json_is_number(json_object_get(json_object_get(e, "args"), "tasks")));
    } else {
        fail_msg("unexpected phase \"%s\"", ph);
    }
}

/* The process id of the case named name; fails when there is none. */
static long long pid_named(json_t *events, const char *name)
{
    size_t i;
    json_t *e;

    json_array_foreach(events, i,
                       e) if (is(e, "ph", "M") && is(e, "name", "process_name") &&
                              is(json_object_get(e, "args"), "name",
                                 name)) return json_integer_value(json_object_get(e, "pid"));
    fail_msg("no process named \"%s\"", name);
    return -1;
}

/* Equal; times (ts, dur) within 0.5 µs, other real numbers to 1e-6 of their size, counts
 * exactly. The results file keeps 9 significant digits (JSON_REAL_PRECISION), so a time of 1-10 s
 * comes back to 10 ns and one of 10-100 s to 100 ns, and a duration taken between two such times
 * can be off by twice that: under TSan this run's times pass 1 s, and 0.01 µs failed now and then
 * (4.80 µs against 4.81). Where they differ, where names the first difference (a JSON path with
 * both values). */
static int close_enough(json_t *a, json_t *b, int is_time)
{
    double x = json_number_value(a), y = json_number_value(b);
    if (!json_is_number(a) || !json_is_number(b) || (!json_is_real(a) && !json_is_real(b)))
        return 0;
    return fabs(x - y) <= (is_time ? 0.5 : 1e-6 * fmax(fabs(x), fabs(y)));
}

static int same(json_t *a, json_t *b, int is_time, char *where, size_t len)
{
    const char *key;
    json_t *v;
    size_t i;
    size_t at = strlen(where);

    if (close_enough(a, b, is_time))
        return 1;
    if (json_is_array(a) && json_is_array(b) && json_array_size(a) == json_array_size(b)) {
        json_array_foreach(a, i, v)
        {
            snprintf(where + at, len - at, "[%zu]", i);
            if (!same(v, json_array_get(b, i), 0, where, len))
                return 0;
        }
        where[at] = '\0';
        return 1;
    }
    if (json_is_object(a) && json_is_object(b) && json_object_size(a) == json_object_size(b)) {
        json_object_foreach(a, key, v)
        {
            snprintf(where + at, len - at, ".%s", key);
            int time = strcmp(key, "ts") == 0 || strcmp(key, "dur") == 0;
            if (!same(v, json_object_get(b, key), time, where, len))
                return 0;
        }
        where[at] = '\0';
        return 1;
    }
    if (json_equal(a, b))
        return 1;
    char *ta = json_dumps(a, JSON_ENCODE_ANY | JSON_COMPACT),
         *tb = b ? json_dumps(b, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    snprintf(where + at, len - at, ": %.200s against %.200s", ta ? ta : "?", tb ? tb : "(none)");
    free(ta);
    free(tb);
    return 0;
}

static void test_run_and_trace_agree(void **state)
{
    json_t *a = load_json(trace_run), *b = load_json(trace_cmd);
    char where[1024] = "";
    (void)state;

    if (!same(a, b, 0, where, sizeof where))
        fail_msg("run --trace and trace differ at %s", where);
    json_decref(a);
    json_decref(b);
}

static void test_every_event_follows_the_format(void **state)
{
    json_t *doc = load_json(trace_cmd), *events = json_object_get(doc, "traceEvents"), *e;
    size_t i;
    (void)state;

    assert_true(json_is_array(events));
    assert_true(json_array_size(events) > 0);
    json_array_foreach(events, i, e) check_event(e);
    json_decref(doc);
}

/* One thread track per task, named, on evloop where every task ran on worker 0; steps inside
 * their task's span on the same track; the counter reaches the tasks that ran at once. */
static void check_case_tracks(json_t *events, const char *name, int want_max)
{
    long long pid = pid_named(events, name);
    double task_from[TASKS + 1] = {0}, task_to[TASKS + 1] = {0};
    int named[TASKS + 1] = {0}, tasks = 0, steps = 0, max = 0;
    size_t i;
    json_t *e;

    json_array_foreach(events, i, e)
    {
        long long tid = json_integer_value(json_object_get(e, "tid"));
        if (json_integer_value(json_object_get(e, "pid")) != pid)
            continue;
        if (is(e, "ph", "M") && is(e, "name", "thread_name"))
            named[tid] = 1;
        if (is(e, "ph", "C") && is(e, "name", "in flight") &&
            json_integer_value(json_object_get(json_object_get(e, "args"), "tasks")) > max)
            max = (int)json_integer_value(json_object_get(json_object_get(e, "args"), "tasks"));
        if (!is(e, "ph", "X"))
            continue;
        assert_in_range(tid, 1, TASKS);
        if (is(e, "cat", "task")) {
            assert_true(json_is_integer(json_object_get(json_object_get(e, "args"), "worker")));
            task_from[tid] = num(e, "ts");
            task_to[tid] = num(e, "ts") + num(e, "dur");
            tasks++;
        } else if (is(e, "cat", "queued")) {
            /* the wait for the loop after the last step, inside the task */
            assert_true(num(e, "ts") >= task_from[tid]);
            assert_true(num(e, "ts") + num(e, "dur") <= task_to[tid] + 1e-3);
        } else {
            assert_true(is(e, "cat", "wait")); /* sleep's one step is a wait */
            assert_true(num(e, "ts") >= task_from[tid]);
            assert_true(num(e, "ts") + num(e, "dur") <= task_to[tid] + 1e-3);
            steps++;
        }
    }
    assert_int_equal(tasks, TASKS);
    assert_int_equal(steps, TASKS);
    for (int t = 1; t <= TASKS; t++)
        assert_true(named[t]);
    assert_int_equal(max, want_max);
}

static void test_tracks(void **state)
{
    json_t *doc = load_json(trace_cmd), *events = json_object_get(doc, "traceEvents");
    (void)state;

    check_case_tracks(events, "sleep · sequential", 1);
    check_case_tracks(events, "sleep · pthreads", TASKS);
    check_case_tracks(events, "sleep · evloop", TASKS);
    json_decref(doc);
}

static void test_bad_usage(void **state)
{
    const char *no_out[] = {"trace", results, NULL};
    const char *missing[] = {"trace", "/nonexistent/r.json", "-o", "/tmp/x.json", NULL};
    const char *bad_wl[] = {"trace", results, "-o", "/tmp/concbench-x.json", "-w", "io", NULL};
    char out[OUT_LEN], err[OUT_LEN];
    (void)state;

    assert_int_equal(run_concbench(no_out, 30, out, err, OUT_LEN), 2);
    assert_non_null(strstr(err, "-o TRACE.json is required"));
    assert_int_equal(run_concbench(missing, 30, out, err, OUT_LEN), 1);
    assert_int_equal(run_concbench(bad_wl, 30, out, err, OUT_LEN), 1);
    assert_non_null(strstr(err, "no case of workload 'io'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_and_trace_agree),
        cmocka_unit_test(test_every_event_follows_the_format),
        cmocka_unit_test(test_tracks),
        cmocka_unit_test(test_bad_usage),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
