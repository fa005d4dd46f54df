/* concbench history: add/list/show/compare round trip, a duplicate add, two adds at once, and
 * bad databases and files (clear message, exit 1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "bench/rmodel.h"
#include "testutil.h"

#define OUT_LEN 65536

static char out[OUT_LEN], err[OUT_LEN];

/* A results file of commit with sequential and pthreads (pthreads at pth_scale s). */
static void make_run(char *path, size_t len, const char *commit, double pth_scale)
{
    struct rm_file *f = synth_file("m", commit);

    synth_case(f, "cpu_bound", "sequential", 1.0, 10, 1);
    synth_case(f, "cpu_bound", "pthreads", pth_scale, 10, 1);
    synth_write(f, path, len);
}

static int hist(const char *db, const char *a, const char *b, const char *c, const char *d)
{
    const char *argv[] = {"history", a, b, c, d, NULL};
    const char *argv_db[8];
    int i = 0;

    for (; argv[i] != NULL; i++)
        argv_db[i] = argv[i];
    argv_db[i++] = "--db";
    argv_db[i++] = db;
    argv_db[i] = NULL;
    return run_concbench(argv_db, 60, out, err, OUT_LEN);
}

static int count_lines_with(const char *text, const char *needle)
{
    int n = 0;

    for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

static void test_round_trip(void **state)
{
    char db[256], base[256], head[256];
    (void)state;

    temp_path(db, sizeof(db), ".sqlite");
    make_run(base, sizeof(base), "aaaa1111", 0.5);
    make_run(head, sizeof(head), "bbbb2222", 0.8);
    assert_int_equal(hist(db, "add", base, head, NULL), 0);
    assert_non_null(strstr(out, "as run 1"));
    assert_non_null(strstr(out, "as run 2"));
    /* the same file again: nothing added */
    assert_int_equal(hist(db, "add", base, NULL, NULL), 0);
    assert_non_null(strstr(out, "already in"));
    assert_int_equal(hist(db, "list", NULL, NULL, NULL), 0);
    assert_int_equal(count_lines_with(out, "aaaa1111"), 1);
    assert_int_equal(count_lines_with(out, "bbbb2222"), 1);
    assert_int_equal(hist(db, "show", "cpu_bound/pthreads", NULL, NULL), 0);
    assert_non_null(strstr(out, "cpu_bound/pthreads/n=10/w=0"));
    assert_int_equal(count_lines_with(out, "yes"), 2);
    /* head is 60% slower on pthreads: the regression exit status, as compare gives it */
    assert_int_equal(hist(db, "compare", "--base", "aaaa", NULL), 3);
    assert_non_null(strstr(out, "slower"));
    assert_non_null(strstr(out, "run 1, commit aaaa1111"));
    assert_int_equal(hist(db, "compare", "--base", "latest~1", NULL), 3);
    assert_int_equal(hist(db, "compare", "--base", "latest", NULL), 0);
    assert_int_equal(hist(db, "compare", "--base", "latest~9", NULL), 1);
    assert_non_null(strstr(err, "no run matches 'latest~9'"));
    assert_int_equal(hist(db, "compare", "--base", "latest~x", NULL), 1);
    assert_int_equal(hist(db, "compare", NULL, NULL, NULL), 2);
    unlink(db);
    unlink(base);
    unlink(head);
}

/* Two jobs adding to one new database at the same moment: every run lands, once. */
static void test_concurrent_adds(void **state)
{
    char db[256], files[8][256];
    pid_t pids[2];
    (void)state;

    temp_path(db, sizeof(db), ".sqlite");
    for (int i = 0; i < 8; i++) {
        char commit[16];
        snprintf(commit, sizeof(commit), "c%07d", i);
        make_run(files[i], sizeof(files[i]), commit, 0.5);
    }
    for (int j = 0; j < 2; j++) {
        const char *argv[] = {
            "history", "add", files[j * 4], files[j * 4 + 1], files[j * 4 + 2], files[j * 4 + 3],
            "--db",    db,    NULL};
        pids[j] = spawn_concbench(argv);
        assert_true(pids[j] > 0);
    }
    for (int j = 0; j < 2; j++) {
        int status;
        assert_int_equal(waitpid(pids[j], &status, 0), pids[j]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    assert_int_equal(hist(db, "list", NULL, NULL, NULL), 0);
    for (int i = 0; i < 8; i++) {
        char commit[16];
        snprintf(commit, sizeof(commit), "c%07d", i);
        assert_int_equal(count_lines_with(out, commit), 1);
    }
    for (int i = 0; i < 8; i++)
        unlink(files[i]);
    unlink(db);
}

static void test_bad_databases(void **state)
{
    char db[256], good[256];
    FILE *f;
    sqlite3 *s;
    (void)state;

    make_run(good, sizeof(good), "aaaa1111", 0.5);
    temp_path(db, sizeof(db), ".sqlite");
    assert_int_equal(hist(db, "list", NULL, NULL, NULL), 1);
    assert_non_null(strstr(err, "no history at"));
    f = fopen(db, "w");
    fputs("this is not a database, just text that goes on for a while......................\n", f);
    fclose(f);
    assert_int_equal(hist(db, "add", good, NULL, NULL), 1);
    assert_non_null(strstr(err, "not a database"));
    unlink(db);
    /* a database of a future concbench */
    assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
    assert_int_equal(sqlite3_exec(s, "PRAGMA user_version = 7;", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(s);
    assert_int_equal(hist(db, "list", NULL, NULL, NULL), 1);
    assert_non_null(strstr(err, "schema version 7"));
    unlink(db);
    assert_int_equal(hist("/tmp", "list", NULL, NULL, NULL), 1);
    assert_non_null(strstr(err, "is a folder"));
    unlink(good);
}

/* Bad results files are named and skipped; the good one is still added. */
static void test_bad_files(void **state)
{
    char db[256], good[256], empty[256];
    FILE *f;
    (void)state;

    temp_path(db, sizeof(db), ".sqlite");
    temp_path(empty, sizeof(empty), ".json");
    f = fopen(empty, "w");
    fclose(f);
    make_run(good, sizeof(good), "aaaa1111", 0.5);
    assert_int_equal(hist(db, "add", empty, "/tmp", good), 1);
    assert_non_null(strstr(err, "empty"));
    assert_non_null(strstr(err, "folder"));
    assert_non_null(strstr(out, "as run 1"));
    unlink(db);
    unlink(good);
    unlink(empty);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_concurrent_adds),
        cmocka_unit_test(test_bad_databases),
        cmocka_unit_test(test_bad_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
