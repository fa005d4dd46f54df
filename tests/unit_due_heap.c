/* The embedded server's due heap (server/due_heap.c): the earliest always on top, items leaving
 * from the middle and moving, checked against a plain scan after every step of a random walk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "server/due_heap.h"

#define ITEMS 500
#define STEPS 200000

/* The earliest due time among the items in the heap, by scanning them all; UINT64_MAX if none. */
static uint64_t earliest(const struct due_item *v, size_t n)
{
    uint64_t best = UINT64_MAX;

    for (size_t i = 0; i < n; i++)
        if (v[i].idx != 0 && v[i].due_ns < best)
            best = v[i].due_ns;
    return best;
}

static void test_order(void **state)
{
    struct due_heap h = {0};
    struct due_item v[5] = {{0}};
    uint64_t due[5] = {50, 10, 40, 10, 30};

    (void)state;
    assert_null(due_heap_top(&h));
    for (int i = 0; i < 5; i++)
        assert_int_equal(due_heap_add(&h, &v[i], due[i]), 0);
    due_heap_remove(&h, &v[4]);                      /* from the middle */
    due_heap_remove(&h, &v[4]);                      /* twice: nothing */
    assert_int_equal(due_heap_add(&h, &v[0], 5), 0); /* moved ahead of all */
    uint64_t want[] = {5, 10, 10, 40};
    for (int k = 0; k < 4; k++) {
        struct due_item *top = due_heap_top(&h);
        assert_non_null(top);
        assert_int_equal(top->due_ns, want[k]);
        due_heap_remove(&h, top);
        assert_int_equal(top->idx, 0);
    }
    assert_null(due_heap_top(&h));
    due_heap_free(&h);
}

static void test_random_walk(void **state)
{
    struct due_heap h = {0};
    static struct due_item v[ITEMS];
    unsigned seed = 12345;

    (void)state;
    for (long s = 0; s < STEPS; s++) {
        struct due_item *it = &v[rand_r(&seed) % ITEMS];
        int op = rand_r(&seed) % 3;

        if (op == 0) /* pop the earliest, as the timer does */
            it = due_heap_top(&h);
        if (it != NULL && op != 1)
            due_heap_remove(&h, it);
        else if (it != NULL) /* ties are common: due times from a small range */
            assert_int_equal(due_heap_add(&h, it, (uint64_t)(rand_r(&seed) % 1000)), 0);
        struct due_item *top = due_heap_top(&h);
        uint64_t want = earliest(v, ITEMS);
        if (want == UINT64_MAX) {
            assert_null(top);
        } else {
            assert_non_null(top);
            assert_int_equal(top->due_ns, want);
        }
        assert_true(h.n <= ITEMS);
    }
    for (size_t i = 0; i < h.n; i++) /* every item knows its place */
        assert_int_equal(h.a[i]->idx, i + 1);
    due_heap_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_random_walk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
