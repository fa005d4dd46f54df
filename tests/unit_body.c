/* The deterministic body: its period, and the byte-by-byte check clients rely on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "server/body.h"

static unsigned char *make_body(uint64_t offset, size_t len)
{
    unsigned char *b = malloc(len ? len : 1);

    assert_non_null(b);
    for (size_t i = 0; i < len; i++)
        b[i] = body_byte(offset + i);
    return b;
}

static void test_period(void **state)
{
    (void)state;
    for (uint64_t i = 0; i < 100000; i++)
        assert_int_equal(body_byte(i), body_byte(i + BODY_PERIOD));
}

static void test_matches_at_any_offset(void **state)
{
    const uint64_t offsets[] = {0, 1, 25, 26, 675, 676, 677, 16384, 1000003};
    const size_t lens[] = {0, 1, 675, 676, 677, 5000, 70000};

    (void)state;
    for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
        for (size_t j = 0; j < sizeof(lens) / sizeof(lens[0]); j++) {
            unsigned char *b = make_body(offsets[i], lens[j]);
            assert_true(body_matches(offsets[i], b, lens[j]));
            if (lens[j] > 0) {
                /* A wrong offset or any single changed byte is caught. */
                assert_false(body_matches(offsets[i] + 1, b, lens[j]) && lens[j] > 1);
                b[lens[j] - 1] ^= 1;
                assert_false(body_matches(offsets[i], b, lens[j]));
                b[lens[j] - 1] ^= 1;
                b[lens[j] / 2] ^= 0x20;
                assert_false(body_matches(offsets[i], b, lens[j]));
            }
            free(b);
        }
    }
}

static void test_digest_of_known_body(void **state)
{
    unsigned char *b = make_body(0, 16384);

    (void)state;
    assert_int_equal(body_digest_expected(16384), hash_fnv1a(HASH_FNV1A_INIT, b, 16384));
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period),
        cmocka_unit_test(test_matches_at_any_offset),
        cmocka_unit_test(test_digest_of_known_body),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
