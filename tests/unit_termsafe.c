/* Text from files is made safe for the terminal (issue 24, item 4): term_safe itself, then every
 * command that prints a hostile results file's label, host, commit, model and messages (report,
 * report --timeline, compare, history add/list/show/compare, export's messages) prints no control
 * character but the newline; and the messages that quote a path, an argument, $TMPDIR, a loader's
 * view of a broken file or hyperfine's command names (item 3 of the second part). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/termsafe.h"
#include "rmodel/rmodel.h"
#include "testutil.h"

#define OUT_LEN 262144

static char out[OUT_LEN], err[OUT_LEN];

static void expect_safe(const char *in, size_t max, const char *want)
{
    char buf[256];
    term_safe(in, max, buf, sizeof(buf));
    if (strcmp(buf, want) != 0)
        fail_msg("term_safe(\"%s\") = \"%s\", want \"%s\"", in, buf, want);
}

static void test_term_safe(void **state)
{
    (void)state;
    expect_safe("evloop:compute=inline", 0, "evloop:compute=inline");
    expect_safe("a\x1b[2Jb", 0, "a\\x1b[2Jb");                    /* clear the screen */
    expect_safe("\x1b]52;c;aGk=\x07", 0, "\\x1b]52;c;aGk=\\x07"); /* OSC 52: the clipboard */
    expect_safe("\x1b]0;title\x1b\\", 0, "\\x1b]0;title\\x1b\\"); /* the window's title */
    expect_safe("ok\rFAIL", 0, "ok\\x0dFAIL");                    /* CR hides text */
    expect_safe("ab\b\bxy", 0, "ab\\x08\\x08xy");                 /* BS */
    expect_safe("\xc2\x9b"
                "2J",
                0, "\\u009b2J"); /* C1 CSI */
    expect_safe("\xe2\x80\xae"
                "evil",
                0, "\\u202eevil"); /* right-to-left override */
    expect_safe("bad\xff\xfe"
                "x",
                0, "bad\\xff\\xfex");                                       /* not UTF-8 */
    expect_safe("\xc3\x28", 0, "\\xc3(");                                   /* a cut sequence */
    expect_safe("\xe0\x80\xaf", 0, "\\xe0\\x80\\xaf");                      /* an overlong form */
    expect_safe("caf\xc3\xa9 \xe6\x97\xa5", 0, "caf\xc3\xa9 \xe6\x97\xa5"); /* printable UTF-8 */
    expect_safe(NULL, 0, "?");
    /* max counts characters and never splits one or an escape */
    expect_safe("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3, "\xc3\xa9\xc3\xa9\xc3\xa9");
    expect_safe("ab\x1b"
                "cd",
                4, "ab");
    {
        char small[6];
        term_safe("\xc3\xa9\xc3\xa9\xc3\xa9", 0, small, sizeof(small)); /* the buffer's bound */
        assert_string_equal(small, "\xc3\xa9\xc3\xa9");
    }
}

/* 1 when s has a byte a terminal acts on (anything below 0x20 but the newline, and DEL). */
static int has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
            return 1;
    return 0;
}

static void expect_clean(const char *what, int rc, int want)
{
    if (rc != want)
        fail_msg("%s: exit %d, want %d; stderr: %.300s", what, rc, want, err);
    if (has_control(out) || has_control(err))
        fail_msg("%s printed a control character:\nstdout: %.2000s\nstderr: %.500s", what, out,
                 err);
}

static void test_hostile_file(void **state)
{
    /* JSON holds only UTF-8: bytes that are not come from paths and arguments, tested above */
    static const char *evil = "\x1b]52;c;aGk=\x07\x1b[2J\r\b\xc2\x9b";
    char path[256], db[256], label[128];
    struct rm_file *f = synth_file("host\x1b]0;pwned\x07", "0123\x1b[31mabc");
    struct rm_case *c;
    (void)state;

    snprintf(label, sizeof(label), "evloop%s", evil);
    synth_case(f, "cpu_bound", "sequential", 1.0, 5, 1);
    c = synth_case(f, "cpu_bound", label, 0.5, 5, 0); /* invalid: its error is printed */
    free(c->errors.v[0]);
    c->errors.v[0] = rm_strdup("task 3: \x1b[2Jwrong");
    rm_strs_note(&c->warnings, "unstable\x1b[5m", 20);
    free(f->context->cpu_model);
    f->context->cpu_model = rm_strdup("cpu\x1b[8m");
    synth_write(f, path, sizeof(path));
    temp_path(db, sizeof(db), ".sqlite");
    {
        const char *a[] = {"report", path, NULL};
        expect_clean("report", run_concbench(a, 60, out, err, OUT_LEN), 0);
        if (strstr(out, "evloop\\x1b]52;c;aGk=\\x07") == NULL)
            fail_msg("report: the label is not shown escaped:\n%.3000s", out);
    }
    {
        const char *a[] = {"report", path, "--timeline", "--ascii", NULL};
        expect_clean("report --timeline", run_concbench(a, 60, out, err, OUT_LEN), 0);
    }
    {
        const char *a[] = {"compare", path, path, NULL};
        expect_clean("compare", run_concbench(a, 60, out, err, OUT_LEN), 0);
    }
    {
        const char *a[] = {"compare", path, path, "--format", "markdown", NULL};
        expect_clean("compare --format markdown", run_concbench(a, 60, out, err, OUT_LEN), 0);
    }
    {
        const char *a[] = {"export", path, "-f", "bmf", NULL};
        expect_clean("export", run_concbench(a, 60, out, err, OUT_LEN), 1);
        assert_non_null(strstr(err, "invalid"));
    }
    {
        const char *a[] = {"history", "add", path, "--db", db, NULL};
        expect_clean("history add", run_concbench(a, 60, out, err, OUT_LEN), 0);
    }
    {
        const char *a[] = {"history", "list", "--db", db, NULL};
        expect_clean("history list", run_concbench(a, 60, out, err, OUT_LEN), 0);
        assert_non_null(strstr(out, "host\\x1b]0;pwned\\x07"));
    }
    {
        const char *a[] = {"history", "show", "cpu_bound", "--db", db, NULL};
        expect_clean("history show", run_concbench(a, 60, out, err, OUT_LEN), 0);
    }
    {
        const char *a[] = {"history", "compare", "--base", "latest", "--db", db, NULL};
        expect_clean("history compare", run_concbench(a, 60, out, err, OUT_LEN), 0);
    }
    unlink(path);
    unlink(db);
}

/* Writes text to path; fails the test when it cannot. */
static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* Paths, arguments and the environment reach messages too: a file named with ESC, OSC 52, CR,
 * BS and a byte that is not UTF-8; a loader's message quoting the file's bytes; hyperfine's
 * command names; the plot's temporary folder ($TMPDIR); an unknown demo scenario. */
static void test_hostile_paths(void **state)
{
    static const char *evil = "\x1b]52;c;aGk=\x07\x1b[2J\r\b\xff";
    char good[256], bad[512], junk[256], hf[256], db[256], where[512];
    struct rm_file *f = synth_file("host", "0123");
    (void)state;

    synth_case(f, "cpu_bound", "sequential", 1.0, 5, 1);
    synth_write(f, good, sizeof(good));
    snprintf(bad, sizeof(bad), "%s%s.json", good, evil);
    assert_int_equal(link(good, bad), 0);
    temp_path(junk, sizeof(junk), ".json");
    write_text(junk, "{\"schema_version\": \x1b]52;c;aGk=\x07}");
    temp_path(hf, sizeof(hf), ".json");
    write_text(hf, "{\"results\": [{\"command\": \"concbench run -w cpu_bound\\u001b[2J -m "
                   "sequential\\u001b]52;c;aGk=\\u0007 -p x=\\r\\b\", \"median\": 1.5, "
                   "\"stddev\": 0.1, \"times\": [1.5]}]}");
    temp_path(db, sizeof(db), ".sqlite");
    snprintf(where, sizeof(where), "/nonexistent%s", evil);
    {
        const char *a[] = {"trace", bad, "-o", "-", "-w", evil, NULL};
        expect_clean("trace -w (no such workload)", run_concbench(a, 60, out, err, OUT_LEN), 1);
        assert_non_null(strstr(err, "\\x1b]52;c;aGk=\\x07"));
    }
    {
        const char *a[] = {"report", where, NULL};
        expect_clean("report of a missing file", run_concbench(a, 60, out, err, OUT_LEN), 1);
        assert_non_null(strstr(err, "\\xff"));
    }
    {
        const char *a[] = {"report", junk, NULL};
        expect_clean("report of a file that is not JSON", run_concbench(a, 60, out, err, OUT_LEN),
                     1);
    }
    {
        const char *a[] = {"compare", junk, bad, NULL};
        expect_clean("compare", run_concbench(a, 60, out, err, OUT_LEN), 1);
    }
    {
        const char *a[] = {"report", bad, "--hyperfine", hf, NULL};
        expect_clean("report --hyperfine", run_concbench(a, 60, out, err, OUT_LEN), 0);
        assert_non_null(strstr(out, "\\x1b"));
    }
    {
        const char *a[] = {"history", "add", bad, "--db", db, NULL};
        expect_clean("history add", run_concbench(a, 60, out, err, OUT_LEN), 0);
        assert_non_null(strstr(out, "\\x1b]52"));
    }
    {
        const char *a[] = {"demo", evil, NULL};
        expect_clean("demo of no such scenario", run_concbench(a, 60, out, err, OUT_LEN), 2);
    }
    {
        const char *a[] = {"plot", good, "-o", "/tmp/concbench-termsafe.svg", NULL};
        setenv("TMPDIR", where, 1); /* the temporary folder cannot be made there */
        expect_clean("plot", run_concbench(a, 60, out, err, OUT_LEN), 1);
        unsetenv("TMPDIR");
    }
    unlink(bad);
    unlink(good);
    unlink(junk);
    unlink(hf);
    unlink(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_term_safe),
        cmocka_unit_test(test_hostile_file),
        cmocka_unit_test(test_hostile_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
