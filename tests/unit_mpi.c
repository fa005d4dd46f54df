/* The mpi model (runners/mpi.c, the ranks in concbench-mpi-rank) through the built binary, on
 * this machine: every workload valid with rank 0's records, -j ranks dealt round-robin, start-up
 * and hosts (each rank's too) in the case's "launch" object, and the errors named: no mpirun, a bad
 * hostfile, a rank that fails or never starts (launch_timeout_s), with no hang; a kill -9 of the
 * harness leaves no rank. Skipped in a build without Open MPI. Speeds are never asserted. */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "runners/runner.h"
#include "testutil.h"

static const char *first_error(json_t *c)
{
    return json_string_value(
        json_array_get(json_object_get(json_object_get(c, "errors"), "messages"), 0));
}

/* cpu_bound, io_bound (the embedded server's URL handed to the ranks) and sleep: valid. */
static void test_workloads_valid(void **state)
{
    char path[256];
    const char *argv[] = {"run",
                          "-m",
                          "mpi",
                          "-w",
                          "cpu_bound,io_bound,sleep",
                          "-n",
                          "3",
                          "-r",
                          "1",
                          "--warmup",
                          "0",
                          "-p",
                          "exponent=20000",
                          "-p",
                          "target_ms=0",
                          "-p",
                          "requests=2",
                          "-p",
                          "delay_ms=20",
                          "-p",
                          "ms=50",
                          "-q",
                          "-o",
                          path,
                          NULL};
    json_t *root, *c;
    size_t i;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    root = run_ok_json(argv, path);
    assert_int_equal(json_array_size(json_object_get(root, "cases")), 3);
    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        json_t *launch = json_object_get(c, "launch");
        char *warnings = json_dumps(json_object_get(c, "warnings"), 0);
        assert_case_valid(c, 3);
        assert_int_equal(case_workers_seen(c, 3), 3);
        /* mpirun failing after the records came (a sanitizer's report, say) is a warning */
        if (warnings != NULL && strstr(warnings, "every task reported, then") != NULL)
            fail_msg("%s", warnings);
        free(warnings);
        assert_true(json_real_value(json_object_get(launch, "startup_s")) > 0);
        assert_int_equal(json_array_size(json_object_get(launch, "hosts")), 1);
        assert_int_equal(json_integer_value(json_object_get(
                             json_array_get(json_object_get(launch, "hosts"), 0), "ranks")),
                         3);
        /* each rank's host: the one host, index 0 */
        assert_int_equal(json_array_size(json_object_get(launch, "rank_host")), 3);
        for (size_t r = 0; r < 3; r++)
            assert_int_equal(
                json_integer_value(json_array_get(json_object_get(launch, "rank_host"), r)), 0);
    }
    json_decref(root);
    unlink(path);
}

/* -j 2 on five tasks: two ranks, task i on rank i % 2. */
static void test_workers_round_robin(void **state)
{
    char path[256];
    const char *argv[] = {"run", "-m",       "mpi", "-j", "2",     "-w", "sleep", "-n", "5", "-r",
                          "1",   "--warmup", "0",   "-p", "ms=20", "-q", "-o",    path, NULL};
    json_t *root, *c, *t;
    size_t i;

    (void)state;
    temp_path(path, sizeof(path), ".json");
    root = run_ok_json(argv, path);
    c = find_case(root, "mpi");
    assert_case_valid(c, 5);
    json_array_foreach(json_object_get(c, "timeline"), i, t)
        assert_int_equal(json_integer_value(json_object_get(t, "worker")),
                         json_integer_value(json_object_get(t, "task")) % 2);
    json_decref(root);
    unlink(path);
}

/* Runs `run -m MODEL -w sleep`, expecting exit 1 and MODEL's first error to contain `want`. */
static void expect_error(const char *model, const char *want)
{
    char path[256], err[8192];
    const char *argv[] = {"run",      "-m", model, "-w",    "sleep", "-n", "2",  "-r", "1",
                          "--warmup", "0",  "-p",  "ms=10", "-q",    "-o", path, NULL};
    json_t *root;
    const char *text;

    temp_path(path, sizeof(path), ".json");
    assert_int_equal(run_concbench(argv, 120, NULL, err, sizeof(err)), 1);
    root = load_json(path);
    text = first_error(json_array_get(json_object_get(root, "cases"), 0));
    if (text == NULL || strstr(text, want) == NULL)
        fail_msg("%s: expected an error with \"%s\", got: %s", model, want, text ? text : "none");
    json_decref(root);
    unlink(path);
}

static void test_errors_named(void **state)
{
    char script[256];
    FILE *f;
    const char *path = getenv("PATH");
    char *saved = strdup(path != NULL ? path : "/usr/bin:/bin");

    (void)state;
    expect_error("mpi:hostfile=/nonexistent/hosts", "hostfile=/nonexistent/hosts");
    setenv("PATH", "/nonexistent", 1);
    expect_error("mpi", "mpirun not found in PATH");
    setenv("PATH", saved, 1);
    free(saved);
    /* a rank program that fails at once, then one that never reaches MPI_Init */
    temp_path(script, sizeof(script), ".sh");
    f = fopen(script, "w");
    assert_non_null(f);
    fputs("#!/bin/sh\nexit 3\n", f);
    fclose(f);
    chmod(script, 0755);
    setenv("CONCBENCH_MPI_RANK", script, 1);
    expect_error("mpi", "mpi: mpirun exited with status");
    f = fopen(script, "w");
    fputs("#!/bin/sh\nexec sleep 60\n", f);
    fclose(f);
    expect_error("mpi:launch_timeout_s=2", "launch_timeout_s");
    unsetenv("CONCBENCH_MPI_RANK");
    unlink(script);
}

/* How many rank processes (their program, not mpirun naming it) run with marker among their
 * arguments. */
static int ranks_running(const char *marker)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    int n = 0;

    while (d != NULL && (e = readdir(d)) != NULL) {
        char path[300], args[4096];
        size_t len;
        FILE *f;
        int rank = 0, marked = 0;

        snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
        if (e->d_name[0] < '0' || e->d_name[0] > '9' || (f = fopen(path, "r")) == NULL)
            continue;
        len = fread(args, 1, sizeof(args) - 1, f);
        fclose(f);
        for (size_t o = 0; o < len; o += strlen(args + o) + 1) {
            args[len] = '\0';
            rank |= o == 0 && strstr(args, "concbench-mpi-rank") != NULL; /* not mpirun */
            marked |= strcmp(args + o, marker) == 0;
        }
        n += rank && marked;
    }
    if (d != NULL)
        closedir(d);
    return n;
}

/* kill -9 of the harness while ranks sleep: within seconds, no rank is left. */
static void test_kill9_leaves_no_rank(void **state)
{
    const char *marker = "ms=29871";
    const char *argv[] = {"run", "-m",       "mpi", "-w", "sleep", "-n", "2", "-r",
                          "1",   "--warmup", "0",   "-p", marker,  "-q", NULL};
    pid_t pid;
    int tries = 0;

    (void)state;
    pid = spawn_concbench(argv);
    while (ranks_running(marker) < 2 && tries++ < 600)
        usleep(100 * 1000);
    assert_int_equal(ranks_running(marker), 2);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    for (tries = 0; ranks_running(marker) > 0 && tries < 100; tries++)
        usleep(100 * 1000);
    assert_int_equal(ranks_running(marker), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workloads_valid),
        cmocka_unit_test(test_workers_round_robin),
        cmocka_unit_test(test_errors_named),
        cmocka_unit_test(test_kill9_leaves_no_rank),
    };

    if (runner_find("mpi") == NULL) {
        printf("mpi is not in this build (%s): skipped\n", runner_missing_why("mpi"));
        return 0;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
