/* The openmp model (runners/openmp.c) through the built binary. unit_harness runs the runner
 * contract over every model (cpu_bound and sleep valid, the default mode's cancellation); here
 * both modes (overlap, cancellation in mode=tasks, -j, io_bound, a limit named) and what is its
 * own: the team size from OMP_NUM_THREADS, recorded in the results. Skipped in a build without
 * OpenMP. Speeds are never asserted. */
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

static const char *const modes[] = {"openmp", "openmp:mode=tasks"};

static int warned(json_t *c, const char *what)
{
    char *text = json_dumps(json_object_get(c, "warnings"), 0);
    int found = text != NULL && strstr(text, what) != NULL;

    free(text);
    return found;
}

static int setup(void **state)
{
    (void)state;
    unsetenv("OMP_NUM_THREADS");
    return runner_find("openmp") == NULL ? -1 : 0;
}

/* Under TSan on a loaded machine a team thread can start after the others' sleeps ended, and
 * the dynamic schedule then gives it nothing to overlap: the other builds check the overlap. */
#ifdef __SANITIZE_THREAD__
#define OVERLAP_UNCHECKED 1
#else
#define OVERLAP_UNCHECKED 0
#endif

/* cpu_bound and sleep, both modes, every task valid; sleeps in a team of 4 overlap. */
static void test_workloads_valid(void **state)
{
    char path[256];
    const char *argv[] = {
        "run",
        "-m",
        "openmp,openmp:mode=tasks",
        "-w",
        "cpu_bound,sleep",
        "-n",
        "4",
        "-j",
        "4",
        "-r",
        "2",
        "--warmup",
        "0",
        "-p",
        "exponent=20000",
        "-p",
        "ms=500", /* longer than a late team thread takes to arrive, even under TSan */
        "-q",
        "-o",
        path,
        NULL};
    json_t *root, *c;
    size_t i;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    root = run_ok_json(argv, path);
    assert_int_equal(json_array_size(json_object_get(root, "cases")), 4);
    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        assert_case_valid(c, 8);
        assert_int_equal(json_array_size(json_object_get(c, "timeline")), 4);
        if (strcmp(json_string_value(json_object_get(c, "workload")), "sleep") == 0 &&
            !OVERLAP_UNCHECKED && !timeline_all_overlap(c))
            fail_msg("%s: sleeps in a team of 4 do not all overlap",
                     json_string_value(json_object_get(c, "model")));
    }
    json_decref(root);
    unlink(path);
}

/* -j 2 on four sleeps: a team of two, both at work, the JSON's workers 2; not all overlap. */
static void test_workers(void **state)
{
    char path[256];
    const char *argv[] = {"run",   "-m", "openmp,openmp:mode=tasks",
                          "-j",    "2",  "-w",
                          "sleep", "-n", "4",
                          "-r",    "1",  "--warmup",
                          "0",     "-p", "ms=150",
                          "-q",    "-o", path,
                          NULL};
    json_t *root;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    root = run_ok_json(argv, path);
    for (int m = 0; m < 2; m++) {
        json_t *c = find_case(root, modes[m]);
        assert_case_valid(c, 4);
        assert_int_equal(json_integer_value(json_object_get(c, "workers")), 2);
        assert_int_equal(case_workers_seen(c, 2), 2);
        assert_false(timeline_all_overlap(c));
        assert_false(warned(c, "OpenMP team"));
    }
    json_decref(root);
    unlink(path);
}

/* OMP_NUM_THREADS=3 without -j: a team of three, which the case's warnings record. */
static void test_omp_num_threads(void **state)
{
    char path[256];
    const char *argv[] = {"run",      "-m",    "openmp,openmp:mode=tasks",
                          "-w",       "sleep", "-n",
                          "6",        "-r",    "1",
                          "--warmup", "0",     "-p",
                          "ms=150",   "-q",    "-o",
                          path,       NULL};
    json_t *root;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    setenv("OMP_NUM_THREADS", "3", 1);
    root = run_ok_json(argv, path);
    unsetenv("OMP_NUM_THREADS");
    for (int m = 0; m < 2; m++) {
        json_t *c = find_case(root, modes[m]);
        assert_case_valid(c, 6);
        assert_int_equal(case_workers_seen(c, 3), 3);
        if (!warned(c, "OpenMP team of 3 threads (OMP_NUM_THREADS=3)"))
            fail_msg("%s: the team size is not recorded", modes[m]);
    }
    json_decref(root);
    unlink(path);
}

/* --cancel-after cuts the sleeps that are still waiting, in the team too: mode=tasks here, the
 * default mode with every model in unit_harness. */
static void test_cancel_after(void **state)
{
    char path[256];
    const char *argv[] = {"run",
                          "-m",
                          "openmp:mode=tasks",
                          "-j",
                          "3",
                          "-w",
                          "sleep",
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
                          "--cancel-after",
                          "400",
                          "-q",
                          "-o",
                          path,
                          NULL};
    json_t *root, *c;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    root = run_ok_json(argv, path);
    c = find_case(root, modes[1]);
    assert_true(json_is_true(json_object_get(json_object_get(c, "validation"), "ok")));
    assert_int_equal(case_validation_int(c, "cancelled"), 2);
    json_decref(root);
    unlink(path);
}

/* io_bound's blocking face in the team: every body byte checked. */
static void test_io_bound(void **state)
{
    char path[256];
    const char *argv[] = {"run",
                          "-m",
                          "openmp,openmp:mode=tasks",
                          "-w",
                          "io_bound,io_bound:client=raw",
                          "-n",
                          "4",
                          "-r",
                          "1",
                          "--warmup",
                          "0",
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
    assert_int_equal(json_array_size(json_object_get(root, "cases")), 4);
    json_array_foreach(json_object_get(root, "cases"), i, c) assert_case_valid(c, 4);
    json_decref(root);
    unlink(path);
}

/* A team that cannot be started (threads of 64 MiB under RLIMIT_AS) is an error that names the
 * limit, not libgomp's exit; the other case still runs. */
static void test_limit_is_reported(void **state)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    (void)state;
    skip(); /* sanitizers reserve terabytes of address space and cannot run under RLIMIT_AS */
#else
    char path[256], err[8192];
    const char *argv[] = {"run", "-m", "openmp,sequential", "-j", "64", "-w",   "sleep", "-n", "64",
                          "-r",  "1",  "--warmup",          "0",  "-p", "ms=1", "-q",    "-o", path,
                          NULL};
    struct rlimit old, small;
    json_t *root;
    int rc;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    getrlimit(RLIMIT_AS, &old);
    small = old;
    small.rlim_cur = 1536ULL << 20; /* 1.5 GiB: room for ~20 threads of 64 MiB */
    setrlimit(RLIMIT_AS, &small);
    setenv("OMP_STACKSIZE", "64M", 1);
    rc = run_concbench(argv, 120, NULL, err, sizeof(err));
    unsetenv("OMP_STACKSIZE");
    setrlimit(RLIMIT_AS, &old);
    assert_int_equal(rc, 1);
    root = load_json(path);
    snprintf(
        err, sizeof(err), "%s",
        json_string_value(json_array_get(
            json_object_get(json_object_get(find_case(root, "openmp"), "errors"), "messages"), 0)));
    if (strstr(err, "starting the OpenMP team: pthread_create failed after") == NULL)
        fail_msg("unexpected message: %s", err);
    assert_case_valid(find_case(root, "sequential"), 64);
    json_decref(root);
    unlink(path);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workloads_valid), cmocka_unit_test(test_workers),
        cmocka_unit_test(test_omp_num_threads), cmocka_unit_test(test_cancel_after),
        cmocka_unit_test(test_io_bound),        cmocka_unit_test(test_limit_is_reported),
    };

    if (runner_find("openmp") == NULL) {
        printf("openmp is not in this build (%s): skipped\n", runner_missing_why("openmp"));
        return 0;
    }
    return cmocka_run_group_tests(tests, setup, NULL);
}
