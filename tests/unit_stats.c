/* Statistics against values worked out by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "rmodel/stats.h"

static void test_odd_count(void **state)
{
    const double x[] = {5, 1, 3, 2, 4};
    struct stats s;

    (void)state;
    stats_compute(x, 5, &s);
    assert_int_equal(s.n, 5);
    assert_float_equal(s.median, 3.0, 1e-12);
    assert_float_equal(s.mean, 3.0, 1e-12);
    assert_float_equal(s.min, 1.0, 1e-12);
    assert_float_equal(s.max, 5.0, 1e-12);
    /* Sample variance of 1..5 is 2.5. */
    assert_float_equal(s.stddev, sqrt(2.5), 1e-12);
    /* t(0.975, 4) = 2.776: half width 2.776 * sqrt(2.5) / sqrt(5). */
    assert_float_equal(s.ci95_hi - s.mean, 2.776 * sqrt(2.5) / sqrt(5.0), 1e-9);
    assert_float_equal(s.mean - s.ci95_lo, s.ci95_hi - s.mean, 1e-12);
}

static void test_even_count_median(void **state)
{
    const double x[] = {10, 2, 8, 4};
    struct stats s;

    (void)state;
    stats_compute(x, 4, &s);
    assert_float_equal(s.median, 6.0, 1e-12);
    assert_float_equal(s.mean, 6.0, 1e-12);
    /* Deviations -4 -2 2 4: sum of squares 40, over 3. */
    assert_float_equal(s.stddev, sqrt(40.0 / 3.0), 1e-12);
}

static void test_single_sample(void **state)
{
    const double x[] = {0.25};
    struct stats s;

    (void)state;
    stats_compute(x, 1, &s);
    assert_float_equal(s.median, 0.25, 1e-12);
    assert_float_equal(s.stddev, 0.0, 1e-12);
    assert_float_equal(s.ci95_lo, 0.25, 1e-12);
    assert_float_equal(s.ci95_hi, 0.25, 1e-12);
}

static void test_no_samples(void **state)
{
    struct stats s;

    (void)state;
    stats_compute(NULL, 0, &s);
    assert_int_equal(s.n, 0);
    assert_float_equal(s.mean, 0.0, 1e-12);
}

static void test_t_table(void **state)
{
    (void)state;
    assert_float_equal(stats_t975(1), 12.706, 1e-9);
    assert_float_equal(stats_t975(3), 3.182, 1e-9);
    assert_float_equal(stats_t975(10), 2.228, 1e-9);
    assert_float_equal(stats_t975(30), 2.042, 1e-9);
    assert_float_equal(stats_t975(1000), 1.960, 1e-9);
    /* Monotonically falling towards the normal quantile. */
    for (int df = 1; df < 200; df++)
        assert_true(stats_t975(df) >= stats_t975(df + 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_odd_count),     cmocka_unit_test(test_even_count_median),
        cmocka_unit_test(test_single_sample), cmocka_unit_test(test_no_samples),
        cmocka_unit_test(test_t_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
