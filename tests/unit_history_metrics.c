/* concbench history with the metrics a shared runner cannot fool: --metric normalized (wall time
 * over the reference kernel of the same rounds) and --metric instructions, kept per case (schema
 * 3). Synthetic histories: every model 20% slower while the kernel is not is found by normalized
 * (and instructions) and missed by speedup; a runner 20% slower at everything, kernel included,
 * is `same` for normalized although wall calls it slower. Runs without the figure are left out
 * of the windows and named; a schema-2 database is migrated and its stored runs get their
 * figures from their documents. Run against SQLite (unit_history_metrics) and PostgreSQL
 * (unit_history_metrics_pg, a throwaway cluster, skipped where PostgreSQL is not installed). */
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

static char out[OUT_LEN], err[OUT_LEN];

/* How a synthetic run differs from the history's level. */
struct level {
    double cases;    /* every case's wall time, times this */
    double kernel;   /* the reference kernel's time, times this; 0: no kernel in the file */
    double instr;    /* sequential's instruction count, times this; 0: not counted */
    const char *tag; /* the commit's prefix */
};

/* Run k: sequential at 1 s (its instructions counted), pthreads at 0.5 s, a 40 ms kernel per
 * round; each with its own ±1% of noise from run to run, the same on every run of the test. */
static void make_run(char *path, size_t len, int k, const struct level *l)
{
    char commit[32], date[32];
    double ks[10];
    struct rm_file *f;
    struct rm_case *seq;

    snprintf(commit, sizeof(commit), "%s%03d", l->tag, k);
    snprintf(date, sizeof(date), "2026-11-%02dT%02d:00:00Z", 1 + k / 24, k % 24);
    f = synth_file("metricbox", commit);
    free(f->context->date);
    f->context->date = rm_strdup(date);
    seq = synth_case(f, "cpu_bound", "sequential", synth_noisy(1.0, k) * l->cases, 10, 1);
    if (l->instr > 0) /* before the next case moves the array */
        seq->instructions = (long long)(1e9 * l->instr) + k;
    synth_case(f, "cpu_bound", "pthreads", synth_noisy(0.5, k + 3) * l->cases, 10, 1);
    if (l->kernel > 0) {
        f->kernel = calloc(1, sizeof(*f->kernel));
        assert_non_null(f->kernel);
        f->kernel->name = rm_strdup("xorshift64*-chain-v1");
        f->kernel->steps = 5000000;
        for (int i = 0; i < 10; i++) /* the rounds' shape of synth_case: slow rounds cancel */
            ks[i] = 0.04 * synth_noisy(1.0, k + 5) * l->kernel * (1.0 + 0.002 * ((i * 7) % 11));
        rm_figure_set(&f->kernel->fig, ks, 10);
    }
    synth_write(f, path, len);
}

static int history(const char *const *args)
{
    const char *argv[16] = {"history"};
    int n = 1;

    for (; args[n - 1] != NULL && n < 15; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    return run_concbench(argv, 60, out, err, OUT_LEN);
}

static void add(const char *db, const char *file)
{
    const char *a[] = {"add", file, "--db", db, NULL};

    if (history(a) != 0)
        fail_msg("add %s: %s%s", file, out, err);
}

/* history check FILE --metric metric; fails the test unless it exits with want. */
static void check(const char *db, const char *file, const char *metric, int want)
{
    const char *a[] = {"check", file, "--db", db, "--metric", metric, NULL};
    int rc = history(a);

    if (rc != want)
        fail_msg("check --metric %s: exit %d, not %d\n%s%s", metric, rc, want, out, err);
}

static int count(const char *text, const char *needle)
{
    int n = 0;

    for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

/* A history of n runs at the level of l, in a new database. */
static void make_history(char *db, size_t len, int n, const struct level *l)
{
    char file[256];

    pgtest_new_db(db, len);
    for (int k = 0; k < n; k++) {
        make_run(file, sizeof(file), k, l);
        add(db, file);
        unlink(file);
    }
}

/* Every model 20% slower, the reference kernel not: normalized and instructions find it, speedup
 * cannot (sequential slowed as much as the model). */
static void test_models_slower(void **state)
{
    const struct level base = {1.0, 1.0, 1.0, "norm"}, slow = {1.2, 1.0, 1.2, "norm"};
    char db[512], file[256];
    (void)state;

    make_history(db, sizeof(db), 10, &base);
    make_run(file, sizeof(file), 10, &slow);
    check(db, file, "normalized", 3);
    assert_int_equal(count(out, " slower\n"), 2);
    assert_non_null(strstr(out, "metric normalized"));
    assert_null(strstr(out, "Note:")); /* every stored run has the figure */
    check(db, file, "speedup", 0);
    assert_int_equal(count(out, " slower\n"), 0);
    check(db, file, "instructions", 3);
    assert_int_equal(count(out, " slower\n"), 1); /* sequential, the one counted */
    assert_non_null(strstr(out, "not counted: not a single-thread case"));
    {
        const char *a[] = {"check",      file,       "--db", db,  "--metric",
                           "normalized", "--format", "json", NULL};
        assert_int_equal(history(a), 3);
        assert_non_null(strstr(out, "\"metric\": \"normalized\""));
        assert_non_null(strstr(out, "\"regressions\": 2"));
    }
    unlink(file);
    pgtest_drop_db(db);
}

/* The runner 20% slower at everything, the kernel too: wall calls it a regression, normalized
 * (and the instruction count) does not. */
static void test_runner_slower(void **state)
{
    const struct level base = {1.0, 1.0, 1.0, "norm"}, slow = {1.2, 1.2, 1.0, "norm"};
    char db[512], file[256];
    (void)state;

    make_history(db, sizeof(db), 10, &base);
    make_run(file, sizeof(file), 10, &slow);
    check(db, file, "normalized", 0);
    assert_int_equal(count(out, " same\n"), 2);
    check(db, file, "instructions", 0);
    assert_int_equal(count(out, " slower\n"), 0);
    check(db, file, "wall", 3);
    assert_int_equal(count(out, " slower\n"), 2);
    {
        const char *a[] = {"show", "cpu_bound/sequential", "--metric", "normalized", "--db", db,
                           NULL};
        assert_int_equal(history(a), 0);
        assert_non_null(strstr(out, "normalized k"));
        assert_int_equal(count(out, "k    10  yes"), 10); /* a figure on every stored run */
    }
    unlink(file);
    pgtest_drop_db(db);
}

/* Runs without a reference kernel are left out of the windows, their commits named; a file
 * without one cannot be checked in normalized; metrics the history does not keep are named. */
static void test_lacking(void **state)
{
    const struct level with = {1.0, 1.0, 0, "kern"}, without = {1.0, 0, 0, "old"};
    char db[512], file[256];
    (void)state;

    make_history(db, sizeof(db), 2, &without);
    for (int k = 2; k < 9; k++) {
        make_run(file, sizeof(file), k, &with);
        add(db, file);
        unlink(file);
    }
    make_run(file, sizeof(file), 9, &with);
    check(db, file, "normalized", 0);
    assert_non_null(strstr(out, "Note: 2 stored runs left out of the windows"));
    if (strstr(out, "(commits old001, old000)") == NULL) /* newest first */
        fail_msg("%s", out);
    assert_int_equal(count(out, " same\n"), 2); /* the 7 with a kernel still judge */
    {
        const char *a[] = {"show", "cpu_bound/pthreads", "--metric", "normalized", "--db", db,
                           NULL};
        assert_int_equal(history(a), 0);
        assert_int_equal(count(out, "-    10  yes"), 2);
    }
    unlink(file);
    make_run(file, sizeof(file), 9, &without);
    check(db, file, "normalized", 1);
    assert_non_null(strstr(err, "has no reference_kernel"));
    check(db, file, "instructions", 1);
    assert_non_null(strstr(err, "--count instructions"));
    check(db, file, "rss", 2);
    assert_non_null(strstr(err, "wall, speedup, normalized or instructions"));
    {
        const char *a[] = {"show", "cpu_bound", "--metric", "user", "--db", db, NULL};
        assert_int_equal(history(a), 2);
        assert_non_null(strstr(err, "--metric user is not kept"));
    }
    unlink(file);
    pgtest_drop_db(db);
}

/* A schema-2 database (this schema with migration 3's columns dropped) is migrated when opened:
 * the stored runs get their kernel, normalized figures and counts from their documents. */
static void test_migrate_v2(void **state)
{
    const struct level base = {1.0, 1.0, 1.0, "norm"}, slow = {1.2, 1.0, 1.2, "norm"};
    char db[512], file[256];
    (void)state;

    make_history(db, sizeof(db), 8, &base);
    pgtest_sql(db, "ALTER TABLE runs DROP COLUMN ref_kernel;");
    pgtest_sql(db, "ALTER TABLE cases DROP COLUMN normalized;");
    pgtest_sql(db, "ALTER TABLE cases DROP COLUMN instructions;");
    pgtest_sql(db, "DELETE FROM schema_version; INSERT INTO schema_version VALUES (2);");
    if (!pgtest_on())
        pgtest_sql(db, "PRAGMA user_version = 2;");
    {
        const char *a[] = {"show", "cpu_bound/sequential", "--metric", "instructions", "--db", db,
                           NULL};
        assert_int_equal(history(a), 0);
        assert_int_equal(count(out, "      1000000"), 8); /* every run's count, from its file */
    }
    make_run(file, sizeof(file), 8, &slow);
    check(db, file, "normalized", 3);
    assert_int_equal(count(out, " slower\n"), 2);
    assert_null(strstr(out, "Note:"));
    unlink(file);
    pgtest_drop_db(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_models_slower),
        cmocka_unit_test(test_runner_slower),
        cmocka_unit_test(test_lacking),
        cmocka_unit_test(test_migrate_v2),
    };
    int rc = pgtest_start();

    if (rc >= 0)
        return rc;
    rc = cmocka_run_group_tests_name("history metrics", tests, NULL, NULL);
    pgtest_stop();
    return rc;
}
