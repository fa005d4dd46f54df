/* End to end: the built binary runs every model on cpu_bound and sleep, and the JSON shows
 * validated results and the right timeline structure. The runner contract (every workload valid,
 * cancellation, -j, a killed worker) runs over every model in the registry, the optional ones too
 * (uring where this kernel allows io_uring), and green:sched=mn for -j and the killed worker:
 * unit_openmp and unit_uring test only what is their model's own. A killed worker: a task's
 * process for processes (test_killed_child_is_reported), a thread of the repetition for
 * openmp, uring and green:sched=mn (the whole process dies with it); pthreads, evloop and green
 * are the same case as those and are left out for time. Speeds are never asserted. */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "runners/runner.h"
#include "testutil.h"

static const char *const all_models[] = {"sequential", "pthreads", "processes", "green", "evloop"};
#define NMODELS 5

/* Every model of the registry that `-m all` runs (a launched model such as mpi, seconds of
 * mpirun start-up per case, has tests of its own), uring left out where io_uring cannot be set
 * up (main). */
static char registry_models[256];
static int uring_ok;

static int in_contract(const struct runner *r)
{
    return !r->launched && (uring_ok || runner_find("uring") != r);
}

static const char *contract_models(void)
{
    size_t used = 0;

    if (registry_models[0] != '\0')
        return registry_models;
    for (int i = 0; runners[i] != NULL; i++)
        if (in_contract(runners[i]))
            used += (size_t)snprintf(registry_models + used, sizeof(registry_models) - used, "%s%s",
                                     used > 0 ? "," : "", runners[i]->name);
    return registry_models;
}

static int contract_count(void)
{
    int n = 0;

    for (int i = 0; runners[i] != NULL; i++)
        n += in_contract(runners[i]);
    return n;
}

/* Every model of the contract has a case in root, validated with tasks tasks checked. */
static void assert_every_model_valid(json_t *root, long long tasks)
{
    for (int i = 0; runners[i] != NULL; i++)
        if (in_contract(runners[i]))
            assert_case_valid(find_case(root, runners[i]->name), tasks);
}

static void test_cpu_bound_every_model(void **state)
{
    char path[256];
    char models[300];
    const char *argv[] = {"run", "-m",       models, "-w", "cpu_bound",      "-n", "4",  "-r",
                          "2",   "--warmup", "0",    "-p", "exponent=20000", "-q", "-o", path,
                          NULL};
    json_t *root;

    (void)state;
    snprintf(models, sizeof(models), "%s,evloop:compute=inline", contract_models());
    temp_path(path, sizeof(path), ".json");
    root = run_ok_json(argv, path);
    assert_every_model_valid(root, 8);
    for (int i = 0; i < NMODELS; i++)
        assert_int_equal(
            json_array_size(json_object_get(find_case(root, all_models[i]), "timeline")), 4);
    /* Running to completion one after another: sequential, and compute on the loop thread. */
    assert_true(timeline_none_overlap(find_case(root, "sequential")));
    assert_true(timeline_none_overlap(find_case(root, "evloop:compute=inline")));
    /* Green threads run compute inline too, so their tasks never overlap either (as in gevent). */
    assert_true(timeline_none_overlap(find_case(root, "green")));
    json_decref(root);
    unlink(path);
}

/* Under ThreadSanitizer a thread can take most of a second to start on a loaded machine (see
 * unit_demo.c): there, sleeps long enough that the last task starts before the first ends. */
#ifdef __SANITIZE_THREAD__
#define OVERLAP_SLEEP "ms=1500"
#else
#define OVERLAP_SLEEP "ms=300"
#endif

static void test_sleep_overlap(void **state)
{
    char path[256];
    const char *argv[] = {
        "run", "-m", contract_models(), "-w", "sleep", "-n", "4", "-r", "1", "--warmup",
        "0",   "-p", OVERLAP_SLEEP,     "-q", "-o",    path, NULL};
    json_t *root;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    root = run_ok_json(argv, path);
    assert_every_model_valid(root, 4);
    assert_true(timeline_none_overlap(find_case(root, "sequential")));
    for (int i = 1; i < NMODELS; i++)
        if (!timeline_all_overlap(find_case(root, all_models[i])))
            fail_msg("%s: sleep tasks do not all overlap", all_models[i]);
    json_decref(root);
    unlink(path);
}

/* The article's classroom example: sleeps of 2 s, 1 s and 3 s overlap, each task its own length. */
static void test_sleep_pattern(void **state)
{
    char path[256];
    const char *argv[] = {"run",    "-m", "evloop,green", "-w", "sleep", "-n",     "3",
                          "-r",     "1",  "--warmup",     "0",  "-p",    "ms=200", "-p",
                          "ms=100", "-p", "ms=300",       "-q", "-o",    path,     NULL};
    json_t *root, *tl;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    root = run_ok_json(argv, path);
    tl = json_object_get(find_case(root, "evloop"), "timeline");
    for (int i = 0; i < 3; i++) {
        json_t *t = json_array_get(tl, (size_t)i);
        double d = json_real_value(json_object_get(t, "end_s")) -
                   json_real_value(json_object_get(t, "start_s"));
        const double want[] = {0.2, 0.1, 0.3};
        assert_true(d >= want[i]);
    }
    json_decref(root);
    unlink(path);
}

static long long validation_int(json_t *c, const char *key)
{
    return json_integer_value(json_object_get(json_object_get(c, "validation"), key));
}

/* --cancel-after 400 on sleeps of 20, 2000 and 2000 ms: the first is done, the other two are
 * cut at their wait under every model (one after the other, the third is cut as it starts);
 * they are counted as cancelled, not failures. cpu_bound, which has no cancellation point,
 * runs whole and says so. */
static void test_sleep_cancel_after(void **state)
{
    char path[256];
    const char *argv[] = {"run",
                          "-m",
                          contract_models(),
                          "-w",
                          "sleep,cpu_bound",
                          "-n",
                          "3",
                          "-r",
                          "1",
                          "--warmup",
                          "0",
                          "-p",
                          "ms=20",
                          "-p",
                          "ms=2000",
                          "-p",
                          "ms=2000",
                          "-p",
                          "exponent=1000",
                          "--cancel-after",
                          "400",
                          "-q",
                          "-o",
                          path,
                          NULL};
    json_t *root, *cases, *c;
    size_t i;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    root = run_ok_json(argv, path);
    cases = json_object_get(root, "cases");
    assert_int_equal(json_array_size(cases), 2 * contract_count());
    json_array_foreach(cases, i, c)
    {
        const char *wl = json_string_value(json_object_get(c, "workload"));
        json_t *warnings = json_object_get(c, "warnings");
        assert_true(json_is_true(json_object_get(json_object_get(c, "validation"), "ok")));
        if (strcmp(wl, "sleep") == 0) {
            assert_int_equal(validation_int(c, "cancelled"), 2);
            assert_true(json_real_value(json_object_get(json_object_get(c, "wall_s"), "median")) <
                        1.9);
        } else {
            char *text = json_dumps(warnings, 0);
            assert_int_equal(validation_int(c, "cancelled"), 0);
            assert_non_null(strstr(text, "cpu_bound has no cancellation point"));
            free(text);
        }
    }
    json_decref(root);
    unlink(path);
}

/* The pool models under -j, options and all: every model of the contract that honours -j, and
 * green:sched=mn (whose -j is coroutines spread over its worker threads). */
#define POOL_MAX 12
static int pool_models(const char *labels[POOL_MAX], int loops_too)
{
    int n = 0;

    for (int i = 0; runners[i] != NULL && n < POOL_MAX - 1; i++)
        if (in_contract(runners[i]) && runners[i]->pool &&
            (loops_too || runners[i]->compute != RUNNER_COMPUTE_POOL))
            labels[n++] = runners[i]->name;
    labels[n++] = "green:sched=mn";
    return n;
}

/* Runs argv, whose -m is list (filled here with labels joined) and whose -o is path (a fresh
 * temporary file); the results. */
static json_t *run_labels(const char *const *argv, const char *const *labels, int n, char *list,
                          size_t len, char *path, size_t pathlen)
{
    size_t used = 0;

    list[0] = '\0';
    for (int i = 0; i < n; i++)
        used += (size_t)snprintf(list + used, len - used, "%s%s", i ? "," : "", labels[i]);
    temp_path(path, pathlen, ".json");
    return run_ok_json(argv, path);
}

/* Pools: two workers for four sleeping tasks cannot all overlap, but the pool does run them all,
 * on both workers. A loop's -j bounds its compute pool, not its waits: see test_pools_compute. */
static void test_pools(void **state)
{
    char path[256], list[256];
    const char *labels[POOL_MAX];
    int n = pool_models(labels, 0);
    const char *argv[] = {"run", "-m",       list, "-j", "2",      "-w", "sleep", "-n", "4", "-r",
                          "1",   "--warmup", "0",  "-p", "ms=150", "-q", "-o",    path, NULL};
    json_t *root;

    (void)state;
    root = run_labels(argv, labels, n, list, sizeof(list), path, sizeof(path));
    for (int i = 0; i < n; i++) {
        json_t *c = find_case(root, labels[i]);
        size_t k;
        json_t *t;
        int workers_seen[8] = {0};
        assert_case_valid(c, 4);
        assert_int_equal(json_integer_value(json_object_get(c, "workers")), 2);
        if (timeline_all_overlap(c))
            fail_msg("%s -j 2: all 4 sleeps overlapped", labels[i]);
        json_array_foreach(json_object_get(c, "timeline"), k, t)
        {
            json_int_t w = json_integer_value(json_object_get(t, "worker"));
            assert_true(w >= 0 && w < 2);
            workers_seen[w] = 1;
        }
        if (!workers_seen[0] || !workers_seen[1])
            fail_msg("%s -j 2: the tasks ran on one worker only", labels[i]);
    }
    json_decref(root);
    unlink(path);
}

/* -j 2 on cpu_bound, every pool model (the loops too: their compute pool): every task checked,
 * at most 2 workers named in the timeline. */
static void test_pools_compute(void **state)
{
    char path[256], list[256];
    const char *labels[POOL_MAX];
    int n = pool_models(labels, 1);
    const char *argv[] = {"run", "-m", list,       "-j", "2",  "-w", "cpu_bound", "-n", "6",
                          "-r",  "1",  "--warmup", "0",  "-q", "-o", path,        NULL};
    json_t *root;

    (void)state;
    root = run_labels(argv, labels, n, list, sizeof(list), path, sizeof(path));
    for (int i = 0; i < n; i++) {
        json_t *c = find_case(root, labels[i]), *t;
        json_int_t seen[3] = {-1, -1, -1};
        int nseen = 0;
        size_t k;
        assert_case_valid(c, 6);
        json_array_foreach(json_object_get(c, "timeline"), k, t)
        {
            json_int_t w = json_integer_value(json_object_get(t, "worker"));
            int known = 0;
            for (int j = 0; j < nseen; j++)
                known |= seen[j] == w;
            if (!known && nseen == 2)
                fail_msg("%s -j 2: a third worker (%lld) ran a task", labels[i], (long long)w);
            if (!known)
                seen[nseen++] = w;
        }
    }
    json_decref(root);
    unlink(path);
}

static void assert_type(json_t *obj, const char *key, json_type type)
{
    json_t *v = json_object_get(obj, key);
    if (v == NULL || (json_typeof(v) != type && !(type == JSON_REAL && json_is_integer(v))))
        fail_msg("field %s missing or of the wrong type", key);
}

static void assert_figure(json_t *c, const char *key)
{
    json_t *f = json_object_get(c, key);
    const char *fields[] = {"median", "mean", "stddev", "min", "max"};

    assert_non_null(f);
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        assert_type(f, fields[i], JSON_REAL);
    assert_int_equal(json_array_size(json_object_get(f, "ci95")), 2);
    assert_int_equal(json_array_size(json_object_get(f, "samples")), 3);
}

/* Every documented field is there with its type, and the document survives a dump/load. */
static void test_schema_round_trip(void **state)
{
    char path[256];
    const char *argv[] = {"run",      "-m",    "sequential,pthreads",
                          "-w",       "sleep", "-n",
                          "3",        "-r",    "3",
                          "--warmup", "1",     "-p",
                          "ms=5",     "-q",    "-o",
                          path,       NULL};
    json_t *root, *ctx, *again, *c;
    char *text;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    root = run_ok_json(argv, path);
    assert_int_equal(json_integer_value(json_object_get(root, "schema_version")), 1);
    ctx = json_object_get(root, "context");
    const char *ctx_strings[] = {"date",     "host",       "kernel",    "cpu_model",
                                 "compiler", "build_type", "git_commit"};
    for (size_t i = 0; i < sizeof(ctx_strings) / sizeof(ctx_strings[0]); i++)
        assert_type(ctx, ctx_strings[i], JSON_STRING);
    assert_type(ctx, "logical_cpus", JSON_INTEGER);
    assert_int_equal(json_array_size(json_object_get(ctx, "load_avg")), 3);
    const char *libs[] = {"libuv", "libcurl", "jansson", "gmp"};
    for (size_t i = 0; i < 4; i++)
        assert_type(json_object_get(ctx, "libraries"), libs[i], JSON_STRING);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "config"), "reps")),
                     3);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "config"), "warmup")),
                     1);

    c = find_case(root, "pthreads");
    assert_type(c, "model", JSON_STRING);
    assert_type(c, "workload", JSON_STRING);
    assert_type(c, "tasks", JSON_INTEGER);
    assert_type(c, "workers", JSON_INTEGER);
    assert_type(c, "params", JSON_OBJECT);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "params"), "ms")), 5);
    const char *figures[] = {"wall_s",      "user_s",        "sys_s",
                             "max_rss_kib", "ctx_voluntary", "ctx_involuntary"};
    for (size_t i = 0; i < 6; i++)
        assert_figure(c, figures[i]);
    assert_type(c, "speedup_vs_sequential", JSON_REAL);
    assert_type(json_object_get(c, "validation"), "ok", JSON_TRUE);
    assert_type(json_object_get(c, "validation"), "checksum", JSON_STRING);
    assert_type(json_object_get(c, "errors"), "messages", JSON_ARRAY);
    assert_type(c, "warnings", JSON_ARRAY);
    json_t *t = json_array_get(json_object_get(c, "timeline"), 0);
    assert_type(t, "task", JSON_INTEGER);
    assert_type(t, "worker", JSON_INTEGER);
    assert_type(t, "start_s", JSON_REAL);
    assert_type(t, "end_s", JSON_REAL);

    text = json_dumps(root, JSON_REAL_PRECISION(17));
    again = json_loads(text, 0, NULL);
    assert_true(json_equal(root, again));
    free(text);
    json_decref(again);
    json_decref(root);
    unlink(path);
}

/* 10,000 concurrent sleepers under the two single-threaded models; the timeline is sampled.
 * ThreadSanitizer gives every green thread a fiber of about 1 MiB, so it gets fewer. */
#if defined(__SANITIZE_THREAD__)
#define SLEEPERS   "2000"
#define SLEEPERS_N 2000
#else
#define SLEEPERS   "10000"
#define SLEEPERS_N 10000
#endif
static void test_ten_thousand_sleepers(void **state)
{
    char path[256];
    const char *argv[] = {
        "run",      "-m", "green,evloop", "-w",     "sleep", "-n", SLEEPERS, "-r", "1",
        "--warmup", "0",  "-p",           "ms=500", "-q",    "-o", path,     NULL};
    json_t *root;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    root = run_ok_json(argv, path);
    for (int i = 3; i < 5; i++) {
        json_t *c = find_case(root, all_models[i]);
        json_t *s = json_object_get(c, "timeline_sampling");
        assert_case_valid(c, SLEEPERS_N);
        assert_int_equal(json_integer_value(json_object_get(s, "of")), SLEEPERS_N);
        assert_int_equal(json_integer_value(json_object_get(s, "every")), SLEEPERS_N / 1000);
        assert_int_equal(json_array_size(json_object_get(c, "timeline")), 1000);
        assert_true(timeline_all_overlap(c));
        /* Memory per task, PSS and page tables are figures of every case. */
        for (int k = 0; k < 3; k++) {
            const char *key[] = {"rss_per_task_bytes", "pss_kib", "vm_pte_kib"};
            json_t *fig = json_object_get(c, key[k]);
            assert_non_null(fig);
            assert_true(json_number_value(json_object_get(fig, "median")) > 0);
        }
        /* ...and what the model costs with no task, left out of the per-task figure. */
        assert_true(json_number_value(json_object_get(c, "rss_baseline_kib")) > 0);
    }
    json_decref(root);
    unlink(path);
}

/* Children of pid (scanning /proc, which every Linux has). */
static int children_of(pid_t pid, pid_t *out, int max)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    int n = 0;

    while (d != NULL && (e = readdir(d)) != NULL && n < max) {
        char path[300], buf[512];
        FILE *f;
        int ppid;
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
        f = fopen(path, "r");
        if (f == NULL)
            continue;
        if (fgets(buf, sizeof(buf), f) != NULL) {
            char *close_paren = strrchr(buf, ')');
            if (close_paren != NULL && sscanf(close_paren + 2, "%*c %d", &ppid) == 1 && ppid == pid)
                out[n++] = atoi(e->d_name);
        }
        fclose(f);
    }
    if (d != NULL)
        closedir(d);
    return n;
}

/* A task's process killed by a signal is an error on that task, the others finish, no hang. */
static void test_killed_child_is_reported(void **state)
{
    char path[256], err[8192];
    const char *argv[] = {"run",      "-m",    "processes,sequential",
                          "-w",       "sleep", "-n",
                          "3",        "-r",    "1",
                          "--warmup", "0",     "-p",
                          "ms=1500",  "-q",    "-o",
                          path,       NULL};
    pid_t bench, rep[4], kids[8];
    int status, nkids = 0;
    json_t *root, *c, *msgs;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    bench = spawn_concbench(argv);
    /* Find the repetition's process, then one of its task processes (bounded: 10 s). */
    for (int tries = 0; tries < 1000 && nkids == 0; tries++) {
        struct timespec ts = {0, 10000000};
        if (children_of(bench, rep, 4) > 0)
            nkids = children_of(rep[0], kids, 8);
        if (nkids == 0)
            nanosleep(&ts, NULL);
    }
    assert_true(nkids > 0);
    kill(kids[0], SIGKILL);
    for (int tries = 0; tries < 600; tries++) {
        struct timespec ts = {0, 100000000};
        if (waitpid(bench, &status, WNOHANG) == bench)
            break;
        nanosleep(&ts, NULL);
        if (tries == 599) {
            kill(bench, SIGKILL);
            fail_msg("concbench did not finish within 60 s after a child was killed");
        }
    }
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    root = load_json(path);
    c = find_case(root, "processes");
    assert_false(json_is_true(json_object_get(json_object_get(c, "validation"), "ok")));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "errors"), "count")) > 0,
                     1);
    msgs = json_object_get(json_object_get(c, "errors"), "messages");
    snprintf(err, sizeof(err), "%s", json_string_value(json_array_get(msgs, 0)));
    assert_non_null(strstr(err, "killed by signal 9"));
    /* The other case ran and is valid. */
    assert_case_valid(find_case(root, "sequential"), 3);
    json_decref(root);
    unlink(path);
}

/* Threads of process pid (its /proc/PID/task entries) into out; how many. */
static int threads_of(pid_t pid, pid_t *out, int max)
{
    char path[64];
    DIR *d;
    struct dirent *e;
    int n = 0;

    snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
    d = opendir(path);
    while (d != NULL && (e = readdir(d)) != NULL && n < max)
        if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
            out[n++] = atoi(e->d_name);
    if (d != NULL)
        closedir(d);
    return n;
}

/* Waits (60 s at most) for pid to exit; its wait status. */
static int wait_bounded(pid_t pid)
{
    int status = 0;

    for (int tries = 0; tries < 600; tries++) {
        struct timespec ts = {0, 100000000};
        if (waitpid(pid, &status, WNOHANG) == pid)
            return status;
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    fail_msg("concbench did not finish within 60 s after a worker was killed");
    return -1;
}

static long long reps_done_so_far(const char *path, const char *label);

/* label's task workers are threads of the repetition's process (openmp's team, sched=mn's
 * workers; uring's loop is the process itself): kill -9 of one takes the repetition with it;
 * the case reports it and nothing is left. The target is the second repetition's process, found
 * once the checkpoint shows the first done: before it the harness runs the model with no task
 * (its memory baseline), which may live as long as a repetition under a sanitizer and which a
 * killed thread would not fail. */
static void killed_worker_thread(const char *label, int min_threads)
{
    char path[256], err[512];
    const char *argv[] = {"run",      "-m", label, "-w",      "sleep", "-n", "2",  "-r", "2",
                          "--warmup", "0",  "-p",  "ms=1500", "-q",    "-o", path, NULL};
    pid_t bench, rep[4], tids[64];
    int nt = 0, status;
    json_t *root, *c;

    temp_path(path, sizeof(path), ".json");
    bench = spawn_concbench(argv);
    for (int tries = 0; tries < 6000 && nt < min_threads; tries++) { /* bounded: 60 s */
        struct timespec ts = {0, 10000000};
        nt = reps_done_so_far(path, label) >= 1 && children_of(bench, rep, 4) > 0
                 ? threads_of(rep[0], tids, 64)
                 : 0;
        if (nt < min_threads)
            nanosleep(&ts, NULL);
    }
    if (nt < min_threads)
        fail_msg("%s: no second repetition with %d threads", label, min_threads);
    assert_int_equal(kill(tids[nt - 1], SIGKILL), 0);
    status = wait_bounded(bench);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    assert_true(kill(rep[0], 0) != 0 && errno == ESRCH); /* reaped, not left running */
    root = load_json(path);
    c = find_case(root, label);
    assert_false(json_is_true(json_object_get(json_object_get(c, "validation"), "ok")));
    snprintf(err, sizeof(err), "%s",
             json_string_value(
                 json_array_get(json_object_get(json_object_get(c, "errors"), "messages"), 0)));
    if (strstr(err, "killed by signal 9") == NULL)
        fail_msg("%s: the error says \"%s\"", label, err);
    json_decref(root);
    unlink(path);
}

static void test_killed_worker_thread(void **state)
{
    (void)state;
    killed_worker_thread("green:sched=mn", 2);
    if (runner_find("openmp") != NULL)
        killed_worker_thread("openmp", 2);
    else
        printf("openmp is not in this build: its killed worker left untested\n");
    if (uring_ok)
        killed_worker_thread("uring", 1);
}

/* The reps_done of a case labelled label in the results file at path as written so far; -1 while
 * the file or the case is not there yet (checkpoints replace the file whole). */
static long long reps_done_so_far(const char *path, const char *label)
{
    json_t *root = json_load_file(path, 0, NULL), *c;
    long long done = -1;
    size_t i;

    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        const char *l = json_string_value(json_object_get(c, "label"));
        if (l != NULL && strcmp(l, label) == 0)
            done = json_integer_value(json_object_get(c, "reps_done"));
    }
    json_decref(root);
    return done;
}

/* Ctrl-C keeps what finished: the JSON on disk has the completed repetitions. The signal is sent
 * once the first checkpoint shows a repetition done, not after a fixed time, which a loaded
 * machine can overrun (50 repetitions of each case are far more than the run gets through). */
static void test_interrupt_keeps_results(void **state)
{
    char path[256];
    const char *argv[] = {"run",      "-m",    "sequential,evloop",
                          "-w",       "sleep", "-n",
                          "2",        "-r",    "50",
                          "--warmup", "0",     "-p",
                          "ms=100",   "-q",    "-o",
                          path,       NULL};
    pid_t bench;
    int status, waited_ms = 0;
    json_t *root;
    struct timespec ts = {0, 20000000};

    (void)state;
    temp_path(path, sizeof(path), ".json");
    bench = spawn_concbench(argv);
    while (reps_done_so_far(path, "sequential") < 1 && waited_ms < 120000) {
        nanosleep(&ts, NULL);
        waited_ms += 20;
    }
    kill(bench, SIGINT);
    assert_int_equal(waitpid(bench, &status, 0), bench);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    root = load_json(path);
    assert_true(json_is_true(json_object_get(root, "interrupted")));
    assert_true(json_integer_value(json_object_get(find_case(root, "sequential"), "reps_done")) >=
                1);
    json_decref(root);
    unlink(path);
}

/* A green stack too small for GMP: the repetition dies, the case says why (the coroutine's own
 * words from its stderr), the other case still runs, and the exit status says it failed. */
static void test_stack_overflow_is_reported(void **state)
{
    char path[256], err[8192];
    const char *argv[] = {
        "run", "-m", "green:stack_kib=8,sequential", "-r", "1", "--warmup", "0", "-q", "-o",
        path,  NULL};
    json_t *root, *c;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    assert_int_equal(run_concbench(argv, 120, NULL, err, sizeof(err)), 1);
    root = load_json(path);
    c = find_case(root, "green:stack_kib=8");
    assert_int_equal(json_integer_value(json_object_get(c, "reps_done")), 0);
    snprintf(err, sizeof(err), "%s",
             json_string_value(
                 json_array_get(json_object_get(json_object_get(c, "errors"), "messages"), 0)));
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    /* Sanitizers catch the overflow themselves and print their own report. */
    if (strstr(err, "killed by signal 11") == NULL || strstr(err, "stack overflow") == NULL)
        fail_msg("unexpected message: %s", err);
#else
    assert_true(err[0] != '\0');
#endif
    assert_case_valid(find_case(root, "sequential"), 10);
    json_decref(root);
    unlink(path);
}

/* A model that runs out of a resource reports it by name; the other cases still run. */
static void test_limit_is_reported(void **state)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    (void)state;
    skip(); /* sanitizers reserve terabytes of address space and cannot run under RLIMIT_AS */
#else
    char path[256], err[8192];
    const char *argv[] = {"run",      "-m",    "pthreads:stack_kib=65536,sequential",
                          "-w",       "sleep", "-n",
                          "64",       "-r",    "1",
                          "--warmup", "0",     "-p",
                          "ms=1",     "-q",    "-o",
                          path,       NULL};
    struct rlimit old, small;
    json_t *root, *c;
    int rc;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    getrlimit(RLIMIT_AS, &old);
    small = old;
    small.rlim_cur = 1536ULL << 20; /* 1.5 GiB: room for ~20 threads of 64 MiB */
    setrlimit(RLIMIT_AS, &small);
    rc = run_concbench(argv, 120, NULL, err, sizeof(err));
    setrlimit(RLIMIT_AS, &old);
    assert_int_equal(rc, 1);
    root = load_json(path);
    c = find_case(root, "pthreads:stack_kib=65536");
    snprintf(err, sizeof(err), "%s",
             json_string_value(
                 json_array_get(json_object_get(json_object_get(c, "errors"), "messages"), 0)));
    if (strstr(err, "pthread_create failed after") == NULL)
        fail_msg("unexpected message: %s", err);
    assert_case_valid(find_case(root, "sequential"), 64);
    json_decref(root);
    unlink(path);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpu_bound_every_model),
        cmocka_unit_test(test_sleep_overlap),
        cmocka_unit_test(test_sleep_pattern),
        cmocka_unit_test(test_sleep_cancel_after),
        cmocka_unit_test(test_pools),
        cmocka_unit_test(test_pools_compute),
        cmocka_unit_test(test_schema_round_trip),
        cmocka_unit_test(test_ten_thousand_sleepers),
        cmocka_unit_test(test_killed_child_is_reported),
        cmocka_unit_test(test_killed_worker_thread),
        cmocka_unit_test(test_interrupt_keeps_results),
        cmocka_unit_test(test_limit_is_reported),
        cmocka_unit_test(test_stack_overflow_is_reported),
    };
    char why[256];

    unsetenv("CONCBENCH_URING_DISABLE");
    uring_ok = uring_usable(why, sizeof(why));
    if (!uring_ok && runner_find("uring") != NULL)
        printf("uring left out of the contract tests: %s\n", why);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
