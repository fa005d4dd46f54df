/* Case keys never collide (issue 24, item 1): a long label is never cut into another case's key,
 * two cases with one key are refused where they arise (run -w, -m) and when a file is loaded
 * (compare, export, history add name them, exit 1), and the history never replaces a case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/history.h"
#include "rmodel/case_key.h"
#include "rmodel/rmodel.h"
#include "testutil.h"

#define OUT_LEN 65536

static char out[OUT_LEN], err[OUT_LEN];

static int run3(const char *a, const char *b, const char *c, const char *d, const char *e)
{
    const char *argv[] = {a, b, c, d, e, NULL};
    return run_concbench(argv, 120, out, err, OUT_LEN);
}

static void test_long_labels_stay_apart(void **state)
{
    struct rm_file *f = synth_file("m", "0123abc");
    char label[700], k1[CK_KEY_MAX], k2[CK_KEY_MAX], small[40];
    struct rm_case *a, *b;
    (void)state;

    memset(label, 'x', 600);
    strcpy(label + 600, "-a");
    a = synth_case(f, "sleep", label, 1.0, 5, 1);
    ck_key(a, k1, sizeof(k1)); /* before the next case moves the array */
    label[601] = 'b';
    b = synth_case(f, "sleep", label, 1.0, 5, 1);
    ck_key(b, k2, sizeof(k2));
    assert_true(strlen(k1) < CK_KEY_MAX);
    assert_string_not_equal(k1, k2); /* they differ only past byte 511 */
    assert_non_null(strchr(k1, '#'));
    /* a short key is the key itself */
    ck_key(synth_case(f, "cpu_bound", "sequential", 1.0, 5, 1), k1, sizeof(k1));
    assert_string_equal(k1, "cpu_bound/sequential/n=10/w=0");
    /* cut on a character boundary: "é" is two bytes, never split */
    memset(label, 0, sizeof(label));
    for (int i = 0; i < 40; i++)
        memcpy(label + 2 * i, "\xc3\xa9", 2);
    ck_key(synth_case(f, "w", label, 1.0, 5, 1), small, sizeof(small));
    {
        const char *hash = strchr(small, '#');
        assert_non_null(hash);
        assert_int_equal((hash - small - 2) % 2, 0); /* "w/" then whole "é"s */
    }
    rm_free(f);
}

static void test_duplicate_refused_at_load(void **state)
{
    struct rm_file *f = synth_file("m", "0123abc");
    char path[256], msg[1024];
    int first, second;
    (void)state;

    synth_case(f, "sleep", "sequential", 1.0, 5, 1);
    synth_case(f, "sleep", "evloop", 1.0, 5, 1);
    synth_case(f, "sleep", "sequential", 1.1, 5, 1);
    assert_int_equal(ck_duplicate(f, &first, &second), 1);
    assert_int_equal(first, 0);
    assert_int_equal(second, 2);
    synth_write(f, path, sizeof(path));
    assert_null(rm_load(path, msg, sizeof(msg)));
    assert_non_null(strstr(msg, "cases[2]: the same case as cases[0]"));
    assert_non_null(strstr(msg, "sleep/sequential/n=10/w=0"));

    /* compare of the file with itself: refused, not "slower" */
    assert_int_equal(run3("compare", path, path, NULL, NULL), 1);
    assert_non_null(strstr(err, "the same case as cases[0]"));
    assert_int_equal(run3("export", "-f", "bmf", path, NULL), 1);
    assert_non_null(strstr(err, "the same case as cases[0]"));
    {
        char db[256];
        temp_path(db, sizeof(db), ".sqlite");
        assert_int_equal(run3("history", "add", path, "--db", db), 1);
        assert_non_null(strstr(err, "the same case as cases[0]"));
        assert_null(strstr(out, "added"));
        remove(db);
    }
    remove(path);
}

/* A model built in memory (no load) with two cases of one key: the history refuses the run
 * whole rather than keeping one case of two (INSERT, not INSERT OR REPLACE). */
static void test_history_never_replaces(void **state)
{
    struct rm_file *f = synth_file("m", "0123abc");
    struct hist h;
    char db[256], msg[1024];
    long long id = -1;
    (void)state;

    synth_case(f, "sleep", "sequential", 1.0, 5, 1);
    synth_case(f, "sleep", "sequential", 2.0, 5, 1);
    temp_path(db, sizeof(db), ".sqlite");
    assert_int_equal(hist_open(&h, db, 1, msg, sizeof(msg)), 0);
    assert_int_equal(hist_add(&h, f, "mem", 0, &id, msg, sizeof(msg)), -1);
    assert_non_null(strstr(msg, "UNIQUE"));
    hist_close(&h);
    assert_int_equal(run3("history", "list", "--db", db, NULL), 0);
    assert_null(strstr(out, "mem")); /* rolled back: no run without its cases */
    rm_free(f);
    remove(db);
}

static void test_duplicates_refused_on_the_command_line(void **state)
{
    const char *twice[] = {"run", "-w", "sleep,sleep", "-m", "sequential", "-n",
                           "1",   "-r", "1",           "-p", "ms=1",       NULL};
    const char *models[] = {"run", "-w", "sleep", "-m", "evloop,sequential,evloop", "-n", "1", "-r",
                            "1",   "-p", "ms=1",  NULL};
    (void)state;

    assert_int_equal(run_concbench(twice, 60, out, err, OUT_LEN), 2);
    assert_non_null(strstr(err, "workload 'sleep' is given twice"));
    assert_int_equal(run_concbench(models, 60, out, err, OUT_LEN), 2);
    assert_non_null(strstr(err, "model 'evloop' is given twice"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_labels_stay_apart),
        cmocka_unit_test(test_duplicate_refused_at_load),
        cmocka_unit_test(test_history_never_replaces),
        cmocka_unit_test(test_duplicates_refused_on_the_command_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
