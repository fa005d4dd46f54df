/* Seeded latency distributions: determinism, each distribution against its parameters within
 * sampling error, clamping, and the parser's messages. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/latency.h"
#include "testutil.h"

#define DRAWS 40000

/* DRAWS delays of distinct (task, request) pairs under one seed. */
static long *draw_many(const struct latency_dist *d, uint64_t seed)
{
    long *v = malloc(DRAWS * sizeof *v);

    assert_non_null(v);
    for (int i = 0; i < DRAWS; i++)
        v[i] = latency_draw_ms(d, seed, (uint64_t)(i / 4), (uint64_t)(i % 4));
    return v;
}

static double mean_of(const long *v)
{
    double s = 0;
    for (int i = 0; i < DRAWS; i++)
        s += (double)v[i];
    return s / DRAWS;
}

static double sd_of(const long *v, double mean)
{
    double s = 0;
    for (int i = 0; i < DRAWS; i++)
        s += ((double)v[i] - mean) * ((double)v[i] - mean);
    return sqrt(s / (DRAWS - 1));
}

/* Share of draws strictly below x, and strictly above it. */
static void shares(const long *v, long x, double *below, double *above)
{
    int lo = 0, hi = 0;
    for (int i = 0; i < DRAWS; i++) {
        lo += v[i] < x;
        hi += v[i] > x;
    }
    *below = (double)lo / DRAWS;
    *above = (double)hi / DRAWS;
}

/* The median of a continuous distribution rounded to whole ms: about half below, half above.
 * 5 standard errors of a proportion (0.0125 at 40,000 draws) plus the mass rounded onto x. */
static void check_median(const long *v, long median, const char *what)
{
    double below, above;
    shares(v, median, &below, &above);
    if (fabs(below - 0.5) > 0.02 || fabs(above - 0.5) > 0.02)
        fail_msg("%s: %.4f of draws below %ld ms and %.4f above, expected about 0.5 each", what,
                 below, median, above);
}

static void test_splitmix64_vector(void **state)
{
    (void)state;
    /* The first output of splitmix64 seeded with 0 (Vigna's reference implementation). */
    assert_true(latency_mix(0) == 0xe220a8397b1dcdafULL);
    assert_true(latency_key(1, 2, 3) != latency_key(1, 3, 2));
    assert_true(latency_key(1, 2, 3) != latency_key(2, 2, 3));
    for (unsigned j = 0; j < 4; j++) {
        double u = latency_uniform(latency_key(7, 0, 0), j);
        assert_true(u > 0.0 && u <= 1.0);
    }
}

static void test_same_seed_same_delays(void **state)
{
    struct latency_dist d = test_latency("lognormal:median=120,sigma=0.6");
    long *a = draw_many(&d, 42), *b = draw_many(&d, 42), *c = draw_many(&d, 43);
    int differ = 0;

    (void)state;
    assert_memory_equal(a, b, DRAWS * sizeof *a);
    for (int i = 0; i < DRAWS; i++)
        differ += a[i] != c[i];
    if (differ < DRAWS * 9 / 10)
        fail_msg("seeds 42 and 43 share %d of %d delays", DRAWS - differ, DRAWS);
    free(a);
    free(b);
    free(c);
}

static void test_fixed_and_uniform(void **state)
{
    struct latency_dist f = test_latency("fixed"), f2 = test_latency("fixed:ms=37");
    struct latency_dist u = test_latency("uniform:min=50,max=150");
    long *v = draw_many(&u, 1);
    double mean = mean_of(v), se = (100.0 / sqrt(12.0)) / sqrt(DRAWS);

    (void)state;
    assert_int_equal(latency_draw_ms(&f, 1, 5, 2), 100); /* bare fixed: the default ms */
    assert_int_equal(latency_draw_ms(&f2, 9, 5, 2), 37);
    for (int i = 0; i < DRAWS; i++)
        if (v[i] < 50 || v[i] > 150)
            fail_msg("uniform draw %d = %ld outside [50, 150]", i, v[i]);
    if (fabs(mean - 100.0) > 5 * se)
        fail_msg("uniform mean %.3f, expected 100 +- %.3f", mean, 5 * se);
    check_median(v, 100, "uniform");
    free(v);
}

static void test_normal(void **state)
{
    struct latency_dist d = test_latency("normal:mean=300,sd=40");
    long *v = draw_many(&d, 2);
    double mean = mean_of(v), sd = sd_of(v, mean);

    (void)state;
    if (fabs(mean - 300.0) > 5 * 40.0 / sqrt(DRAWS))
        fail_msg("normal mean %.3f, expected 300", mean);
    /* The standard error of a sample sd is about sd / sqrt(2n); rounding adds 1/12 ms^2. */
    if (fabs(sd - 40.0) > 5 * 40.0 / sqrt(2.0 * DRAWS) + 0.05)
        fail_msg("normal sd %.3f, expected 40", sd);
    check_median(v, 300, "normal");
    free(v);
}

static void test_lognormal(void **state)
{
    struct latency_dist d = test_latency("lognormal:median=120,sigma=0.6");
    long *v = draw_many(&d, 3);
    double s = 0, s2 = 0;

    (void)state;
    check_median(v, 120, "lognormal");
    for (int i = 0; i < DRAWS; i++) {
        double l = log((double)v[i]);
        s += l;
        s2 += l * l;
    }
    double mu = s / DRAWS, sigma = sqrt(s2 / DRAWS - mu * mu);
    if (fabs(sigma - 0.6) > 0.02)
        fail_msg("lognormal: sd of log(draws) %.4f, expected 0.6", sigma);
    free(v);
}

static void test_pareto(void **state)
{
    struct latency_dist d = test_latency("pareto:min=50,alpha=2.5");
    long *v = draw_many(&d, 4);

    (void)state;
    for (int i = 0; i < DRAWS; i++)
        if (v[i] < 50)
            fail_msg("pareto draw %d = %ld below its minimum 50", i, v[i]);
    /* median = min * 2^(1/alpha) = 66.0 ms */
    check_median(v, lround(50.0 * pow(2.0, 1.0 / 2.5)), "pareto");
    free(v);
}

static void test_clamping(void **state)
{
    struct latency_dist d = test_latency("lognormal:median=1000,sigma=3,floor=200,cap=5000");
    long *v = draw_many(&d, 5);
    int at_floor = 0, at_cap = 0;

    (void)state;
    for (int i = 0; i < DRAWS; i++) {
        if (v[i] < 200 || v[i] > 5000)
            fail_msg("draw %ld outside floor=200, cap=5000", v[i]);
        at_floor += v[i] == 200;
        at_cap += v[i] == 5000;
    }
    assert_true(at_floor > 0 && at_cap > 0); /* sigma=3 reaches both ends */
    free(v);
}

static void expect_error(const char *text, const char *needle)
{
    struct latency_dist d;
    char err[256] = "";

    if (latency_parse(text, 100, &d, err, sizeof err) == 0)
        fail_msg("'%s' was accepted", text);
    if (strstr(err, needle) == NULL)
        fail_msg("'%s': message '%s' does not mention '%s'", text, err, needle);
}

static void test_errors_name_valid_values(void **state)
{
    (void)state;
    expect_error("gamma:k=2", LATENCY_KINDS);
    expect_error("lognormal:median=120,sigma=-0.5", "sigma");
    expect_error("lognormal:median=120", "lognormal:median=MS,sigma=S");
    expect_error("lognormal:median=120,sigma=0.5,mean=3", "unknown parameter 'mean'");
    expect_error("uniform:min=200,max=100", "min <= max");
    expect_error("normal:mean=abc,sd=3", "not a number");
    expect_error("pareto:min=50,alpha=0", "alpha > 0");
    expect_error("fixed:ms=70000", "0..60000");
    expect_error("fixed:ms=5,floor=10,cap=2", "floor <= cap");
}

static void test_format_round_trip(void **state)
{
    const char *texts[] = {"fixed:ms=100", "uniform:min=50,max=150", "normal:mean=300,sd=40.5",
                           "lognormal:median=120,sigma=0.6",
                           "pareto:min=50,alpha=2.5,floor=3,cap=900"};
    char buf[LATENCY_TEXT];

    (void)state;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct latency_dist d = test_latency(texts[i]), back;
        latency_format(&d, buf, sizeof buf);
        assert_string_equal(buf, texts[i]);
        back = test_latency(buf);
        assert_memory_equal(&d, &back, sizeof d);
    }
}

static void test_scale(void **state)
{
    struct latency_dist d = test_latency("lognormal:median=700,sigma=0.4,floor=10,cap=50000");
    struct latency_dist u = test_latency("uniform:min=100,max=300");
    char buf[LATENCY_TEXT];

    (void)state;
    latency_scale(&d, 0.1);
    latency_format(&d, buf, sizeof buf);
    assert_string_equal(buf, "lognormal:median=70,sigma=0.4,floor=1,cap=5000");
    latency_scale(&u, 2);
    latency_format(&u, buf, sizeof buf);
    assert_string_equal(buf, "uniform:min=200,max=600");
    latency_scale(&u, 1000); /* the cap stays within LATENCY_MAX_MS */
    assert_true(u.cap_ms == LATENCY_MAX_MS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_splitmix64_vector), cmocka_unit_test(test_same_seed_same_delays),
        cmocka_unit_test(test_fixed_and_uniform), cmocka_unit_test(test_normal),
        cmocka_unit_test(test_lognormal),         cmocka_unit_test(test_pareto),
        cmocka_unit_test(test_clamping),          cmocka_unit_test(test_errors_name_valid_values),
        cmocka_unit_test(test_format_round_trip), cmocka_unit_test(test_scale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
