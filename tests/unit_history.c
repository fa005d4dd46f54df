/* concbench history: add/list/show/compare round trip, a duplicate add, two adds at once, and
 * bad databases and files (clear message, exit 1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "rmodel/rmodel.h"
#include "analysis/trend.h"
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

/* A run with a date and a commit of its own (NULL: keep synth_file's); partial: interrupted. */
static void make_run_at(char *path, size_t len, const char *commit, const char *date, int partial)
{
    struct rm_file *f = synth_file("m", commit);

    synth_case(f, "cpu_bound", "sequential", 1.0, 10, 1);
    if (date != NULL) {
        free(f->context->date);
        f->context->date = rm_strdup(date);
    }
    if (partial) {
        f->interrupted = 1;
        f->complete = 0;
    }
    synth_write(f, path, len);
}

/* The history as a target (issue 24, items 3, 5, 6): temporary databases, ambiguous commit
 * starts, dates that are not dates, partial runs that would become latest, a commit cut inside a
 * UTF-8 character. */
static void test_history_as_target(void **state)
{
    char db[256], a[256], b[256], part[256], bad[256], utf[256];
    (void)state;

    temp_path(db, sizeof(db), ".sqlite");
    make_run_at(a, sizeof(a), "abc1110", NULL, 0);
    make_run_at(b, sizeof(b), "abc2220", "2026-12-02T00:00:00.25+01:00", 0);
    /* SQLite's temporary databases keep nothing: refused, not "added" */
    const char *memdbs[] = {"", ":memory:", "file:h?mode=memory", "FILE:x"};
    for (size_t i = 0; i < sizeof(memdbs) / sizeof(memdbs[0]); i++) {
        assert_int_equal(hist(memdbs[i], "add", a, NULL, NULL), 1);
        assert_non_null(strstr(err, "is not a history database path"));
        assert_null(strstr(out, "added"));
    }
    /* dates that are not RFC 3339 */
    const char *dates[] = {"date</style>",        "2026-13-01T00:00:00Z",     "2026-12-01 00:00:00",
                           "2026-12-01T00:00:00", "2026-12-01T00:00:00+1:00", ""};
    for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
        make_run_at(bad, sizeof(bad), "dddd", dates[i], 0);
        assert_int_equal(hist(db, "add", bad, NULL, NULL), 1);
        assert_non_null(strstr(err, "is not an RFC 3339 date"));
        unlink(bad);
    }
    assert_int_equal(hist(db, "add", a, b, NULL), 0);
    /* an interrupted run, newer than both: refused, then kept with --allow-partial but never
     * latest nor its commit's run */
    make_run_at(part, sizeof(part), "eeee9999", "2027-01-01T00:00:00Z", 1);
    assert_int_equal(hist(db, "add", part, NULL, NULL), 1);
    assert_non_null(strstr(err, "not added: interrupted run; --allow-partial keeps it"));
    assert_int_equal(hist(db, "add", part, "--allow-partial", NULL), 0);
    assert_non_null(strstr(out, "as run 3"));
    assert_int_equal(hist(db, "compare", "--base", "latest", NULL), 0);
    assert_non_null(strstr(out, "head: run 2, commit abc2220"));
    assert_int_equal(hist(db, "compare", "--base", "eeee", NULL), 1);
    assert_non_null(strstr(err, "no run matches 'eeee'"));
    /* a start two commits share is refused with both named, as git does */
    assert_int_equal(hist(db, "compare", "--base", "abc", NULL), 1);
    assert_non_null(strstr(err, "'abc' is the start of 2 commits: abc1110, abc2220"));
    assert_int_equal(hist(db, "compare", "--base", "abc1", NULL), 0);
    /* a commit of multi-byte characters is cut between characters, escapes shown escaped */
    make_run_at(utf, sizeof(utf),
                "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
                NULL, 0);
    assert_int_equal(hist(db, "add", utf, NULL, NULL), 0);
    assert_non_null(strstr(out, "commit "
                                "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                                "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9)"));
    unlink(db);
    unlink(a);
    unlink(b);
    unlink(part);
    unlink(utf);
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

/* The step rule: a level shift of 20% after steady runs is one step; noise is none; a 3%
 * shift is below the 5% minimum even with no spread at all. */
static void test_trend_steps(void **state)
{
    struct trend_point p[30];
    int steps = 0;
    (void)state;

    memset(p, 0, sizeof(p));
    for (int i = 0; i < 30; i++)
        p[i].median = (i < 15 ? 1.0 : 1.2) * (1.0 + 0.002 * ((i * 7) % 5));
    trend_steps(p, 30);
    for (int i = 0; i < 30; i++)
        steps += p[i].step != 0;
    assert_int_equal(steps, 1);
    assert_int_equal(p[15].step, 1);
    for (int i = 0; i < 30; i++)
        p[i].median = 1.0 + 0.03 * ((i * 7) % 5); /* noise of 12%, no level shift */
    trend_steps(p, 30);
    for (int i = 0; i < 30; i++)
        assert_int_equal(p[i].step, 0);
    for (int i = 0; i < 30; i++)
        p[i].median = i < 15 ? 1.0 : 0.97;
    trend_steps(p, 30);
    for (int i = 0; i < 30; i++)
        assert_int_equal(p[i].step, 0);
    p[20].median = 0.8; /* 17.5% below the new level: a step down */
    trend_steps(p, 30);
    assert_int_equal(p[20].step, -1);
}

/* history trend draws a picture; a label meant to run a shell command in gnuplot stays text. */
static void test_trend_plot(void **state)
{
    char db[256], files[5][256], png[256], pwned[256];
    const char *label = "x'y`touch /tmp/concbench-pwned-trend`\"z";
    (void)state;

    if (access("/usr/bin/gnuplot", X_OK) != 0)
        skip();
    snprintf(pwned, sizeof(pwned), "/tmp/concbench-pwned-trend");
    unlink(pwned);
    temp_path(db, sizeof(db), ".sqlite");
    temp_path(png, sizeof(png), ".png");
    for (int i = 0; i < 5; i++) {
        char commit[16];
        struct rm_file *f;
        struct rm_case *c;
        snprintf(commit, sizeof(commit), "trend%d", i);
        f = synth_file("m", commit);
        c = synth_case(f, "sleep", "green", i < 4 ? 1.0 : 2.0, 10, 1);
        free(c->label);
        c->label = rm_strdup(label);
        synth_write(f, files[i], sizeof(files[i]));
    }
    assert_int_equal(hist(db, "add", files[0], files[1], files[2]), 0);
    assert_int_equal(hist(db, "add", files[3], files[4], NULL), 0);
    {
        const char *argv[] = {"history", "trend", "sleep/", "-o", png, "--db", db, NULL};
        assert_int_equal(run_concbench(argv, 60, out, err, OUT_LEN), 0);
    }
    assert_non_null(strstr(out, "step up at trend4 "));
    assert_int_equal(access(png, F_OK), 0);
    assert_int_not_equal(access(pwned, F_OK), 0);
    assert_int_equal(hist(db, "trend", "sleep/", NULL, NULL), 2); /* no -o */
    {
        /* --keep leaves the script and data, and (under the sanitizer build) leaks nothing */
        const char *argv[] = {"history", "trend", "sleep/", "-o", png, "--keep", "--db", db, NULL};
        char dir[512];
        const char *at;
        assert_int_equal(run_concbench(argv, 60, out, err, OUT_LEN), 0);
        at = strstr(err, "data are in ");
        assert_non_null(at);
        snprintf(dir, sizeof(dir), "rm -rf '%.*s'", (int)strcspn(at + 12, "\n"), at + 12);
        assert_int_equal(system(dir), 0);
    }
    for (int i = 0; i < 5; i++)
        unlink(files[i]);
    unlink(png);
    unlink(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),        cmocka_unit_test(test_concurrent_adds),
        cmocka_unit_test(test_bad_databases),     cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_trend_steps),       cmocka_unit_test(test_trend_plot),
        cmocka_unit_test(test_history_as_target),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
