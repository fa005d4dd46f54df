/* Per-task arrays from bulk_alloc: zeroed and writable whole, large ones on a 2 MiB boundary (so
 * huge pages can back all of them), and bulk_round names the size that fills what is backed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/bulk_alloc.h"

#define MIB ((size_t)1 << 20)

static void check_zeroed_and_writable(unsigned char *p, size_t bytes)
{
    for (size_t i = 0; i < bytes; i += 4093)
        assert_int_equal(p[i], 0);
    assert_int_equal(p[bytes - 1], 0);
    p[bytes - 1] = 2;
    p[0] = 1;
    assert_int_equal(p[0], 1);
    if (bytes > 1)
        assert_int_equal(p[bytes - 1], 2);
}

static void test_small_and_large(void **state)
{
    (void)state;
    const size_t sizes[] = {1, 100, 4096, 2 * MIB - 1, 2 * MIB, 5 * MIB + 123, 9 * MIB};

    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        unsigned char *p = bulk_alloc(sizes[i]);

        assert_non_null(p);
        if (sizes[i] >= 2 * MIB)
            assert_int_equal((uintptr_t)p % (2 * MIB), 0);
        check_zeroed_and_writable(p, sizes[i]);
        bulk_free(p, sizes[i]);
    }
}

static void test_round(void **state)
{
    (void)state;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);

    assert_int_equal(bulk_round(1), page);
    assert_int_equal(bulk_round(page + 1), 2 * page);
    assert_int_equal(bulk_round(2 * MIB), 2 * MIB);
    assert_int_equal(bulk_round(2 * MIB + 1), 4 * MIB);
    assert_int_equal(bulk_round(5 * MIB + 123), 6 * MIB);
}

/* Whether the page at p is mapped (mincore fails with ENOMEM where nothing is). */
static int mapped(const void *p)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char vec;

    return mincore((void *)((uintptr_t)p / page * page), 1, &vec) == 0 || errno != ENOMEM;
}

/* The aligned mapping keeps nothing of what it mapped extra, and bulk_free unmaps it whole. */
static void test_no_leftovers(void **state)
{
    (void)state;
    size_t bytes = 5 * MIB + 123, page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char *p = bulk_alloc(bytes);
    unsigned char *end = p + (bytes + page - 1) / page * page;

    assert_non_null(p);
    assert_true(mapped(p) && mapped(end - 1));
    assert_false(mapped(end));
    bulk_free(p, bytes);
    assert_false(mapped(p));
    assert_false(mapped(end - 1));
}

/* The rounded size is usable whole. */
static void test_rounded_usable(void **state)
{
    (void)state;
    size_t bytes = bulk_round(3 * MIB + 7);
    unsigned char *p = bulk_alloc(bytes);

    assert_non_null(p);
    check_zeroed_and_writable(p, bytes);
    bulk_free(p, bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_and_large),
        cmocka_unit_test(test_round),
        cmocka_unit_test(test_no_leftovers),
        cmocka_unit_test(test_rounded_usable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
