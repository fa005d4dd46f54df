/* Text from files is made safe for the terminal (issue 24, item 4): term_safe itself, then every
 * command that prints a hostile results file's label, host, commit, model and messages (report,
 * report --timeline, compare, history add/list/show/compare, export's messages) prints no control
 * character but the newline. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_term_safe),
        cmocka_unit_test(test_hostile_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
