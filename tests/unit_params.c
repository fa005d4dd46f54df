/* Parameter parsing: ranges, choices, repeats and the messages that name what is valid. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "common/params.h"

static const struct param_spec specs[] = {
    {"n", PARAM_INT, "7", 1, 100, NULL, "a number", 0},
    {"mode", PARAM_CHOICE, "pool", 0, 0, "pool|inline", "where", 0},
    {"url", PARAM_STRING, NULL, 0, 0, NULL, "address", 1},
    {"lat", PARAM_STRING, NULL, 1, 4, NULL, "per position", PARAM_PER_POSITION},
    {0},
};

static void test_defaults(void **state)
{
    struct param_set set = {0};

    (void)state;
    assert_int_equal(params_int(&set, specs, "n"), 7);
    assert_string_equal(params_str(&set, specs, "mode"), "pool");
    assert_null(params_str(&set, specs, "url"));
}

static void test_values_and_repeats(void **state)
{
    struct param_set set = {0};
    const char *urls[4];
    char err[256];

    (void)state;
    assert_int_equal(params_add(&set, specs, "n=42", err, sizeof(err)), 0);
    assert_int_equal(params_add(&set, specs, "n=43", err, sizeof(err)), 0);
    assert_int_equal(params_add(&set, specs, "mode=inline", err, sizeof(err)), 0);
    assert_int_equal(params_add(&set, specs, "url=http://a", err, sizeof(err)), 0);
    assert_int_equal(params_add(&set, specs, "url=http://b", err, sizeof(err)), 0);
    assert_int_equal(params_int(&set, specs, "n"), 43);
    assert_string_equal(params_str(&set, specs, "mode"), "inline");
    assert_int_equal(params_all(&set, "url", urls, 4), 2);
    assert_string_equal(urls[0], "http://a");
    assert_string_equal(urls[1], "http://b");
    assert_int_equal(set.count, 4); /* n replaced, url kept twice */
    params_clear(&set);
}

static void test_errors_name_what_is_valid(void **state)
{
    struct param_set set = {0};
    char err[256];

    (void)state;
    assert_int_equal(params_add(&set, specs, "bogus=1", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "n, mode, url, lat[.N]"));
    assert_int_equal(params_add(&set, specs, "n=0", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "from 1 to 100"));
    assert_int_equal(params_add(&set, specs, "n=12abc", err, sizeof(err)), -1);
    assert_int_equal(params_add(&set, specs, "n=99999999999999999999999", err, sizeof(err)), -1);
    assert_int_equal(params_add(&set, specs, "mode=fast", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "pool|inline"));
    assert_int_equal(params_add(&set, specs, "n", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "KEY=VALUE"));
    assert_int_equal(params_add(&set, specs, "url=", err, sizeof(err)), -1);
    assert_int_equal(set.count, 0);
}

/* key.N=value for per-position keys: kept apart from key=value, replaced per position, N
 * checked against the spec's max. */
static void test_per_position(void **state)
{
    struct param_set set = {0}, copy = {0};
    char err[256];

    (void)state;
    assert_int_equal(params_add(&set, specs, "lat=a=1,b=2", err, sizeof(err)), 0);
    assert_int_equal(params_add(&set, specs, "lat.2=x", err, sizeof(err)), 0);
    assert_int_equal(params_add(&set, specs, "lat.2=y", err, sizeof(err)), 0);
    assert_int_equal(params_add(&set, specs, "lat.4=z", err, sizeof(err)), 0);
    assert_int_equal(set.count, 3);
    assert_string_equal(params_str(&set, specs, "lat"), "a=1,b=2");
    assert_string_equal(params_at(&set, "lat", 2), "y");
    assert_null(params_at(&set, "lat", 3));
    assert_int_equal(params_max_index(&set, "lat"), 4);
    assert_ptr_equal(params_find_spec(specs, "lat.3"), &specs[3]);
    assert_null(params_find_spec(specs, "url.3")); /* not per position */
    params_copy(&copy, &set);
    assert_string_equal(params_at(&copy, "lat", 4), "z");

    assert_int_equal(params_add(&set, specs, "lat.5=q", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "lat.N with N from 1 to 4"));
    assert_int_equal(params_add(&set, specs, "lat.0=q", err, sizeof(err)), -1);
    assert_int_equal(params_add(&set, specs, "lat.+1=q", err, sizeof(err)), -1);
    assert_int_equal(params_add(&set, specs, "lat.=q", err, sizeof(err)), -1);
    assert_int_equal(params_add(&set, specs, "n.1=3", err, sizeof(err)), -1);
    assert_int_equal(set.count, 3);
    params_clear(&set);
    params_clear(&copy);
}

static void test_parse_ll(void **state)
{
    long long v;

    (void)state;
    assert_int_equal(parse_ll("10", 1, 10, &v), 0);
    assert_int_equal(v, 10);
    assert_int_equal(parse_ll("11", 1, 10, &v), -1);
    assert_int_equal(parse_ll("-1", 0, 10, &v), -1);
    assert_int_equal(parse_ll("", 0, 10, &v), -1);
    /* surrounding spaces are refused on both sides alike (strtoll alone skips leading ones) */
    assert_int_equal(parse_ll(" 5", 0, 10, &v), -1);
    assert_int_equal(parse_ll("\t5", 0, 10, &v), -1);
    assert_int_equal(parse_ll("+5", 0, 10, &v), -1);
    assert_int_equal(parse_ll("-", -10, 10, &v), -1);
    assert_int_equal(parse_ll("- 5", -10, 10, &v), -1);
    assert_int_equal(parse_ll("-5", -10, 10, &v), 0);
    assert_int_equal(v, -5);
    assert_int_equal(parse_ll("5 ", 0, 10, &v), -1);
}

static void test_parse_double(void **state)
{
    const char *refused[] = {" 5", "5 ", "\t5", "+5", "0x10", "inf", "nan", "-", "", "e5", "5,0"};
    double v;

    (void)state;
    assert_int_equal(parse_double("0.25", 0, 1, &v), 0);
    assert_true(v == 0.25);
    assert_int_equal(parse_double(".5", 0, 1, &v), 0);
    assert_int_equal(parse_double("-2.5e1", -100, 0, &v), 0);
    assert_true(v == -25);
    assert_int_equal(parse_double("1.5", 0, 1, &v), -1); /* out of range */
    /* as parse_ll: blanks on either side, a plus sign, hex and the words strtod takes */
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        if (parse_double(refused[i], -1e9, 1e9, &v) != -1)
            fail_msg("parse_double took '%s'", refused[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_values_and_repeats),
        cmocka_unit_test(test_errors_name_what_is_valid),
        cmocka_unit_test(test_per_position),
        cmocka_unit_test(test_parse_ll),
        cmocka_unit_test(test_parse_double),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
