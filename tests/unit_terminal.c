/* What issue 17 step 7 adds for the terminal: the edit distance behind "did you mean", the
 * progress line's time left, and byte counts in human units. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "bench/progress.h"
#include "common/suggest.h"
#include "report/report_text.h"

static void test_distance(void **state)
{
    (void)state;
    assert_int_equal(suggest_distance("pthreads", "pthreads"), 0);
    assert_int_equal(suggest_distance("pthread", "pthreads"), 1); /* deletion */
    assert_int_equal(suggest_distance("evlop", "evloop"), 1);     /* deletion */
    assert_int_equal(suggest_distance("wramup", "warmup"), 1);    /* swap */
    assert_int_equal(suggest_distance("green", "greet"), 1);      /* substitution */
    assert_int_equal(suggest_distance("", "sleep"), 5);
    assert_int_equal(suggest_distance("kitten", "sitting"), 3);
}

static const char *nearest(const char *word)
{
    static const char *const names[] = {"sequential", "pthreads", "processes", "green", "evloop"};
    struct suggest s;

    suggest_init(&s, word);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        suggest_offer(&s, names[i]);
    return s.best;
}

static void test_suggest(void **state)
{
    char buf[64];
    struct suggest s;

    (void)state;
    assert_string_equal(nearest("pthread"), "pthreads");
    assert_string_equal(nearest("proccesses"), "processes");
    assert_string_equal(nearest("gren"), "green");
    assert_null(nearest("threads2x")); /* 3 edits: not a slip */
    assert_null(nearest("x"));
    assert_string_equal(nearest("gre"), "green"); /* 2 edits of 5 letters */
    assert_null(nearest("ev"));                   /* 4 edits */
    suggest_init(&s, "wdie");
    suggest_offer(&s, "wide");
    assert_string_equal(suggest_text(&s, "--", buf, sizeof buf), "; did you mean --wide?");
    suggest_init(&s, "zzzz");
    suggest_offer(&s, "wide");
    assert_string_equal(suggest_text(&s, "--", buf, sizeof buf), "");
}

static void test_eta(void **state)
{
    (void)state;
    assert_true(progress_eta_s(0, 6, 0, 1) < 0);               /* nothing to go by yet */
    assert_float_equal(progress_eta_s(2, 6, 10, 0), 20, 1e-9); /* 5 s a round, 4 to go */
    assert_float_equal(progress_eta_s(2, 6, 10, 3), 17, 1e-9); /* 3 s into the third */
    assert_float_equal(progress_eta_s(6, 6, 30, 0), 0, 1e-9);  /* done */
    assert_float_equal(progress_eta_s(5, 6, 25, 9), 0, 1e-9);  /* late: never negative */
}

static void test_bytes(void **state)
{
    char b[32];

    (void)state;
    text_bytes(b, sizeof b, 431);
    assert_string_equal(b, "431 B");
    text_bytes(b, sizeof b, 4212);
    assert_string_equal(b, "4.1 KiB");
    text_bytes(b, sizeof b, 483328);
    assert_string_equal(b, "472 KiB");
    text_bytes(b, sizeof b, 1.5 * 1024 * 1024);
    assert_string_equal(b, "1.5 MiB");
    text_bytes(b, sizeof b, -2048);
    assert_string_equal(b, "-2.0 KiB");
    text_bytes(b, sizeof b, 0.0 / 0.0);
    assert_string_equal(b, "-");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_eta),
        cmocka_unit_test(test_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
