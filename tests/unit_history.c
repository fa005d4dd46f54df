/* concbench history: add/list/show/compare round trip, a duplicate add, 16 adds at once,
 * machines, a newer schema refused untouched, a version 1 database migrated, and bad databases
 * and files (clear message, exit 1). The same tests run against SQLite (unit_history) and
 * PostgreSQL (unit_history_pg: CONCBENCH_TEST_BACKEND=postgresql, a throwaway cluster started
 * by tests/pgtmp.sh, skipped where PostgreSQL is not installed); a few are SQLite's own. */
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
#include "analysis/history_check.h"
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
    char db[512], base[256], head[256];
    (void)state;

    pgtest_new_db(db, sizeof(db));
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
    pgtest_drop_db(db);
    unlink(base);
    unlink(head);
}

/* 16 jobs adding to one new database at the same moment, each 3 files of its own and one file
 * that every job adds: every run lands, once, and no job fails. */
#define NJOBS 16
static void test_concurrent_adds(void **state)
{
    static char files[NJOBS * 3 + 1][256];
    char db[512];
    pid_t pids[NJOBS];
    (void)state;

    pgtest_new_db(db, sizeof(db));
    for (int i = 0; i < NJOBS * 3 + 1; i++) {
        char commit[16];
        snprintf(commit, sizeof(commit), "c%07d", i);
        make_run(files[i], sizeof(files[i]), commit, 0.5);
    }
    for (int j = 0; j < NJOBS; j++) {
        const char *argv[] = {
            "history", "add", files[j * 3], files[j * 3 + 1], files[NJOBS * 3], files[j * 3 + 2],
            "--db",    db,    NULL};
        pids[j] = spawn_concbench(argv);
        assert_true(pids[j] > 0);
    }
    for (int j = 0; j < NJOBS; j++) {
        int status;
        assert_int_equal(waitpid(pids[j], &status, 0), pids[j]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    assert_int_equal(hist(db, "list", NULL, NULL, NULL), 0);
    for (int i = 0; i < NJOBS * 3 + 1; i++) {
        char commit[16];
        snprintf(commit, sizeof(commit), "c%07d", i);
        assert_int_equal(count_lines_with(out, commit), 1);
    }
    /* every case of every run: 2 per run */
    assert_int_equal(hist(db, "show", "cpu_bound/pthreads", NULL, NULL), 0);
    assert_int_equal(count_lines_with(out, " yes"), NJOBS * 3 + 1);
    for (int i = 0; i < NJOBS * 3 + 1; i++)
        unlink(files[i]);
    pgtest_drop_db(db);
}

/* Runs of two machines: listed by `machines`, never mixed in one series of `show` or `trend`. */
static void test_machines(void **state)
{
    char db[512], files[4][256];
    (void)state;

    pgtest_new_db(db, sizeof(db));
    for (int i = 0; i < 4; i++) {
        char commit[16];
        struct rm_file *f;
        snprintf(commit, sizeof(commit), "mach%d", i);
        f = synth_file(i % 2 ? "box-b" : "box-a", commit);
        synth_case(f, "sleep", "green", 1.0, 10, 1);
        synth_write(f, files[i], sizeof(files[i]));
    }
    assert_int_equal(hist(db, "add", files[0], files[1], files[2]), 0);
    {
        const char *argv[] = {"history",      "add",  files[3], "--machine",
                              "named-runner", "--db", db,       NULL};
        assert_int_equal(run_concbench(argv, 60, out, err, OUT_LEN), 0);
    }
    assert_int_equal(hist(db, "machines", NULL, NULL, NULL), 0);
    assert_int_equal(count_lines_with(out, "box-a-"), 1);
    assert_int_equal(count_lines_with(out, "box-b-"), 1);
    assert_int_equal(count_lines_with(out, "name=named-runner"), 1);
    assert_int_equal(hist(db, "show", "sleep/green", NULL, NULL), 0);
    assert_int_equal(count_lines_with(out, "sleep/green/n=10/w=0 on "), 3);
    {
        const char *argv[] = {"history", "trend", "sleep/green", "-o", "/tmp/x.png",
                              "--db",    db,      NULL};
        assert_int_equal(run_concbench(argv, 60, out, err, OUT_LEN), 2);
        assert_non_null(strstr(err, "--machine"));
    }
    {
        const char *argv[] = {"history", "show", "sleep/green", "--machine", "named-runner",
                              "--db",    db,     NULL};
        assert_int_equal(run_concbench(argv, 60, out, err, OUT_LEN), 0);
        assert_int_equal(count_lines_with(out, " on "), 1);
        assert_int_equal(count_lines_with(out, "mach3"), 1);
    }
    for (int i = 0; i < 4; i++)
        unlink(files[i]);
    pgtest_drop_db(db);
}

/* A database of a newer concbench is refused, and left as it was. */
static void test_newer_schema(void **state)
{
    char db[512], good[256], line[512];
    (void)state;

    make_run(good, sizeof(good), "aaaa1111", 0.5);
    pgtest_new_db(db, sizeof(db));
    if (pgtest_on()) {
        char cmd[1024];
        snprintf(cmd, sizeof(cmd),
                 "psql -X -q '%s' -c 'CREATE TABLE schema_version (version INTEGER NOT NULL); "
                 "INSERT INTO schema_version VALUES (99)'",
                 db);
        assert_int_equal(system(cmd), 0);
    } else {
        sqlite3 *s;
        assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
        assert_int_equal(sqlite3_exec(s,
                                      "CREATE TABLE schema_version (version INTEGER NOT NULL);"
                                      "INSERT INTO schema_version VALUES (99);",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
        sqlite3_close(s);
    }
    assert_int_equal(hist(db, "add", good, NULL, NULL), 1);
    assert_non_null(strstr(err, "schema version 99 is newer"));
    assert_non_null(strstr(err, "untouched"));
    assert_int_equal(hist(db, "list", NULL, NULL, NULL), 1);
    assert_non_null(strstr(err, "schema version 99"));
    /* untouched: no table of ours was created */
    if (pgtest_on()) {
        char cmd[1024];
        FILE *p;
        snprintf(cmd, sizeof(cmd),
                 "psql -X -At '%s' -c \"SELECT count(*) FROM information_schema.tables WHERE "
                 "table_schema = 'public'\"",
                 db);
        p = popen(cmd, "r");
        assert_non_null(p);
        assert_non_null(fgets(line, sizeof(line), p));
        pclose(p);
        assert_int_equal(atoi(line), 1);
    } else {
        sqlite3 *s;
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(s, "SELECT count(*) FROM sqlite_master", -1, &st, NULL),
                         SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 1);
        sqlite3_finalize(st);
        sqlite3_close(s);
    }
    unlink(good);
    pgtest_drop_db(db);
}

/* A history of concbench's first schema (version 1, tests/fixtures/history_v1.sqlite: 3 runs of
 * 2 cases) is migrated on open: every row kept, each run given its machine, normalized unknown.
 * SQLite only. */
static void test_migrate_v1(void **state)
{
    char db[256], cmd[1024];
    (void)state;

    temp_path(db, sizeof(db), ".sqlite");
    snprintf(cmd, sizeof(cmd), "cp '%s/tests/fixtures/history_v1.sqlite' '%s'",
             CONCBENCH_TEST_SOURCE_DIR, db);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(hist(db, "list", NULL, NULL, NULL), 0);
    assert_int_equal(count_lines_with(out, "23adb5c2cfe2"), 3);
    assert_null(strstr(out, "  ?  ")); /* every run has a machine */
    assert_int_equal(hist(db, "show", "sleep/", NULL, NULL), 0);
    assert_int_equal(count_lines_with(out, " yes"), 6);
    assert_int_equal(hist(db, "machines", NULL, NULL, NULL), 0);
    assert_non_null(strstr(out, "    3  ")); /* one machine, 3 runs */
    /* files of that time had no reference kernel: normalized is unknown (-), not 0 */
    {
        const char *argv[] = {"history",    "show", "sleep/", "--metric",
                              "normalized", "--db", db,       NULL};
        assert_int_equal(run_concbench(argv, 60, out, err, OUT_LEN), 0);
        assert_int_equal(count_lines_with(out, "normalized k"), 2);
        assert_int_equal(count_lines_with(out, "              -  "), 6);
    }
    /* migrated once: a second open finds the version it left, and adds on top */
    {
        char f[256];
        make_run(f, sizeof(f), "dddd4444", 0.5);
        assert_int_equal(hist(db, "add", f, NULL, NULL), 0);
        assert_non_null(strstr(out, "as run 4"));
        unlink(f);
    }
    unlink(db);
}

/* A results file of the gate's tests: pthreads at level (seconds), sequential at 1 s. */
static void make_level_run(char *path, size_t len, int k, double level)
{
    synth_level_run(path, len, "gatebox", k, level);
}

static int check(const char *db, const char *file, const char *format)
{
    const char *argv[] = {"history", "check", file, "--db", db, "--format", format, NULL};

    return run_concbench(argv, 60, out, err, OUT_LEN);
}

/* A 15% step at run 15, each run checked before it is added (as CI does): the first commit the
 * gate fails is the step's; before it, too short a window is insufficient, and noise passes. */
static void test_check_step(void **state)
{
    char db[512], file[256];
    (void)state;

    pgtest_new_db(db, sizeof(db));
    make_level_run(file, sizeof(file), 0, 1.0);
    /* no history yet (a fleet's first run): every case insufficient, no failure */
    assert_int_equal(check(db, file, "text"), 0);
    assert_int_equal(count_lines_with(out, "insufficient (window too short)"), 2);
    assert_int_equal(hist(db, "add", file, NULL, NULL), 0);
    unlink(file);
    for (int k = 1; k <= 16; k++) {
        make_level_run(file, sizeof(file), k, synth_noisy(k < 15 ? 1.0 : 1.15, k));
        if (k == 3) {
            assert_int_equal(check(db, file, "text"), 0);
            assert_non_null(strstr(out, "insufficient"));
            assert_non_null(strstr(out, "Student t prediction interval"));
        } else if (k >= 5) {
            int rc = check(db, file, "text");
            if (rc != (k == 15 ? 3 : 0))
                fail_msg("run %d: exit %d\n%s%s", k, rc, out, err);
            assert_int_equal(count_lines_with(out, " slower\n"), k == 15 ? 1 : 0);
            /* after the step, the window starts there: too short to judge yet */
            if (k == 16)
                assert_non_null(strstr(out, "(window from the step at gate015)"));
        }
        if (k == 15) {
            assert_non_null(strstr(out, "cpu_bound/pthreads"));
            assert_non_null(strstr(out, "gate000..gate014"));
            assert_int_equal(check(db, file, "json"), 3);
            assert_non_null(strstr(out, "\"verdict\": \"slower\""));
            assert_non_null(strstr(out, "\"regressions\": 1"));
            assert_int_equal(check(db, file, "markdown"), 3);
            assert_non_null(strstr(out, ":x: slower"));
            {
                const char *argv[] = {"history", "check",     file,   "--db",
                                      db,        "--fail-on", "none", NULL};
                assert_int_equal(run_concbench(argv, 60, out, err, OUT_LEN), 0);
            }
        }
        assert_int_equal(hist(db, "add", file, NULL, NULL), 0);
        /* checking a run already added leaves it out of its own window */
        if (k == 15)
            assert_int_equal(check(db, file, "text"), 3);
        unlink(file);
    }
    /* another machine has no history here */
    make_level_run(file, sizeof(file), 99, 1.15);
    {
        const char *argv[] = {"history", "check", file, "--db", db, "--machine", "elsewhere", NULL};
        assert_int_equal(run_concbench(argv, 60, out, err, OUT_LEN), 0);
        assert_int_equal(count_lines_with(out, "insufficient (window too short)"), 2);
    }
    {
        const char *argv[] = {"history", "check", file, "--db", db, "--window", "1", NULL};
        assert_int_equal(run_concbench(argv, 60, out, err, OUT_LEN), 2);
    }
    unlink(file);
    pgtest_drop_db(db);
}

/* Only noise (±1%) over 25 runs: the gate never fails. */
static void test_check_noise(void **state)
{
    char db[512], file[256];
    (void)state;

    pgtest_new_db(db, sizeof(db));
    for (int k = 0; k < 25; k++) {
        make_level_run(file, sizeof(file), k, synth_noisy(1.0, k * 3 + 1));
        if (k >= 5)
            if (check(db, file, "text") != 0)
                fail_msg("%s%s", out, err);
        if (k >= 5 && count_lines_with(out, " slower\n") != 0)
            fail_msg("%s", out);
        assert_int_equal(hist(db, "add", file, NULL, NULL), 0);
        unlink(file);
    }
    pgtest_drop_db(db);
}

/* Student's t upper tail against its tables: t(0.975; 1) = 12.706, t(0.975; 20) = 2.086,
 * t(0.95; 5) = 2.015; and the gate's verdicts on a window of values. */
static void test_check_statistics(void **state)
{
    struct hchk_opts o = {20, 5, 0.05, 5.0, 0};
    struct hchk_row r;
    double w[6] = {1.00, 1.01, 0.99, 1.00, 1.02, 0.98};
    (void)state;

    assert_float_equal(hchk_t_upper(0, 5), 0.5, 1e-9);
    assert_float_equal(hchk_t_upper(12.706, 1), 0.025, 1e-4);
    assert_float_equal(hchk_t_upper(2.086, 20), 0.025, 1e-4);
    assert_float_equal(hchk_t_upper(2.015, 5), 0.05, 1e-4);
    assert_float_equal(hchk_t_upper(-2.015, 5), 0.95, 1e-4);
    hchk_judge(w, 6, 1.20, 1, &o, &r);
    assert_int_equal(r.verdict, HCHK_SLOWER);
    hchk_judge(w, 6, 0.80, 1, &o, &r);
    assert_int_equal(r.verdict, HCHK_FASTER);
    hchk_judge(w, 6, 1.03, 1, &o, &r); /* beyond the spread, not beyond 5% */
    assert_int_equal(r.verdict, HCHK_SAME);
    hchk_judge(w, 4, 1.50, 1, &o, &r);
    assert_int_equal(r.verdict, HCHK_INSUFFICIENT);
    hchk_judge(w, 6, 1.00, 0, &o, &r);
    assert_int_equal(r.verdict, HCHK_BROKEN);
    o.bigger_is_better = 1; /* a speed-up that fell */
    hchk_judge(w, 6, 0.80, 1, &o, &r);
    assert_int_equal(r.verdict, HCHK_SLOWER);
}

/* SQLite's own: missing file, not a database, a version 7 of the first schema, a folder. */
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

/* The history as a target (issue 24, items 3, 5, 6), on both backends: temporary databases,
 * ambiguous commit starts, dates that are not dates or that order otherwise as text, partial
 * runs that would become latest, a commit cut inside a UTF-8 character. */
static void test_history_as_target(void **state)
{
    char db[512], a[256], b[256], c[256], part[256], bad[256], utf[256];
    (void)state;

    pgtest_new_db(db, sizeof(db));
    make_run_at(a, sizeof(a), "abc1110", NULL, 0);
    make_run_at(b, sizeof(b), "abc2220", "2026-12-02T00:00:00.25+01:00", 0);
    /* SQLite's temporary databases keep nothing: refused, not "added" (whatever the backend of
     * the suite: a path that is not a postgresql:// URL is SQLite's) */
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
    /* later as text, earlier as a time (22:30 UTC against b's 23:00 UTC): b stays latest */
    make_run_at(c, sizeof(c), "fff3330", "2026-12-02T00:30:00+02:00", 0);
    assert_int_equal(hist(db, "add", c, NULL, NULL), 0);
    assert_int_equal(hist(db, "compare", "--base", "latest~1", NULL), 0);
    assert_non_null(strstr(out, "head: run 2, commit abc2220"));
    assert_non_null(strstr(out, "commit fff3330"));
    /* a commit of multi-byte characters is cut between characters, escapes shown escaped */
    make_run_at(utf, sizeof(utf),
                "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
                NULL, 0);
    assert_int_equal(hist(db, "add", utf, NULL, NULL), 0);
    assert_non_null(strstr(out, "commit "
                                "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                                "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9)"));
    pgtest_drop_db(db);
    unlink(a);
    unlink(b);
    unlink(c);
    unlink(part);
    unlink(utf);
}

/* A hostile results file (escape sequences in host, CPU, commit, label) prints no control
 * character in add, list, show, machines, compare and check (text and markdown), on both
 * backends (issue 24, item 4, over issue 19's commands). */
static void test_hostile_text(void **state)
{
    char db[512], file[256];
    struct rm_file *f = synth_file("h\x1b]52;c;QUFBQQ==\x07", "c0ffee\x1b[2J\r");
    struct rm_case *c;
    const char *checks[][2] = {{"--format", "text"}, {"--format", "markdown"}};
    (void)state;

    free(f->context->cpu_model);
    f->context->cpu_model = rm_strdup("cpu\x1b]0;pwned\x07\x08");
    c = synth_case(f, "sleep", "sequential", 1.0, 10, 1);
    free(c->label);
    c->label = rm_strdup("lab\x1b[31mel\xe2\x80\xae");
    synth_write(f, file, sizeof(file));
    pgtest_new_db(db, sizeof(db));
    assert_int_equal(hist(db, "add", file, NULL, NULL), 0);
    assert_null(strchr(out, '\x1b'));
    assert_non_null(strstr(out, "c0ffee\\x1b["));
    assert_int_equal(hist(db, "list", NULL, NULL, NULL), 0);
    assert_null(strchr(out, '\x1b'));
    assert_null(strchr(out, '\r'));
    assert_int_equal(hist(db, "show", "sleep/", NULL, NULL), 0);
    assert_null(strchr(out, '\x1b'));
    assert_null(strstr(out, "\xe2\x80\xae"));
    assert_int_equal(hist(db, "machines", NULL, NULL, NULL), 0);
    assert_null(strchr(out, '\x1b'));
    assert_null(strchr(out, '\x07'));
    assert_null(strchr(out, '\x08'));
    assert_int_equal(hist(db, "compare", "--base", "latest", NULL), 0);
    assert_null(strchr(out, '\x1b'));
    for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
        assert_int_equal(hist(db, "check", file, checks[i][0], checks[i][1]), 0);
        assert_null(strchr(out, '\x1b'));
        assert_null(strchr(out, '\x07'));
        assert_null(strstr(out, "\xe2\x80\xae"));
    }
    pgtest_drop_db(db);
    unlink(file);
}

/* Bad results files are named and skipped; the good one is still added. */
static void test_bad_files(void **state)
{
    char db[512], good[256], empty[256];
    FILE *f;
    (void)state;

    pgtest_new_db(db, sizeof(db));
    temp_path(empty, sizeof(empty), ".json");
    f = fopen(empty, "w");
    fclose(f);
    make_run(good, sizeof(good), "aaaa1111", 0.5);
    assert_int_equal(hist(db, "add", empty, "/tmp", good), 1);
    assert_non_null(strstr(err, "empty"));
    assert_non_null(strstr(err, "folder"));
    assert_non_null(strstr(out, "as run 1"));
    pgtest_drop_db(db);
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
    char db[512], files[5][256], png[256], pwned[256];
    const char *label = "x'y`touch /tmp/concbench-pwned-trend`\"z";
    (void)state;

    if (access("/usr/bin/gnuplot", X_OK) != 0)
        skip();
    snprintf(pwned, sizeof(pwned), "/tmp/concbench-pwned-trend");
    unlink(pwned);
    pgtest_new_db(db, sizeof(db));
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
        /* a metric the trend does not draw is refused, not drawn as wall time */
        const char *argv[] = {"history",  "trend",        "sleep/", "-o", png,
                              "--metric", "instructions", "--db",   db,   NULL};
        assert_int_equal(run_concbench(argv, 60, out, err, OUT_LEN), 2);
        assert_non_null(strstr(err, "trend draws only --metric wall"));
    }
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
    pgtest_drop_db(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),        cmocka_unit_test(test_concurrent_adds),
        cmocka_unit_test(test_machines),          cmocka_unit_test(test_newer_schema),
        cmocka_unit_test(test_bad_files),         cmocka_unit_test(test_trend_steps),
        cmocka_unit_test(test_trend_plot),        cmocka_unit_test(test_check_step),
        cmocka_unit_test(test_check_noise),       cmocka_unit_test(test_check_statistics),
        cmocka_unit_test(test_history_as_target), cmocka_unit_test(test_hostile_text),
    };
    /* a version-1 file and damaged files are SQLite's own: not run against PostgreSQL (not
     * reported as skipped either: nothing is missing) */
    const struct CMUnitTest sqlite_tests[] = {
        cmocka_unit_test(test_migrate_v1),
        cmocka_unit_test(test_bad_databases),
    };
    int rc = pgtest_start();

    if (rc >= 0)
        return rc;
    rc = cmocka_run_group_tests_name("history", tests, NULL, NULL);
    if (!pgtest_on())
        rc |= cmocka_run_group_tests_name("history, SQLite only", sqlite_tests, NULL, NULL);
    pgtest_stop();
    return rc;
}
