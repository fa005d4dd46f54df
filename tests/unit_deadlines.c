/* The deadline queue behind the sleep workload's loop timer: earliest first whatever the order of
 * pushes (in order, reversed, mixed), with FIFO and heap interleaved and refilled. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "workloads/deadlines.h"

static void drain_sorted(struct dl_queue *q, size_t expect)
{
    double prev = -1, due;
    size_t n = 0;

    while (dl_first(q, &due)) {
        double *item = dl_pop(q);
        assert_true(*item == due);
        assert_true(due >= prev);
        prev = due;
        n++;
    }
    assert_int_equal(n, expect);
    assert_int_equal(dl_len(q), 0);
}

static void test_orders(void **state)
{
    (void)state;
    enum { N = 5000 };
    static double due[N];
    struct dl_queue q = {0};
    uint32_t x = 12345;

    for (int i = 0; i < N; i++) { /* in order: all in the FIFO */
        due[i] = i * 0.5;
        assert_int_equal(dl_push(&q, due[i], &due[i]), 0);
    }
    assert_int_equal(q.heap_len, 0);
    drain_sorted(&q, N);

    for (int i = 0; i < N; i++) { /* reversed, then pseudo-random: FIFO and heap together */
        due[i] = i < N / 2 ? (double)(N - i) : (double)((x = x * 1103515245u + 12345u) % 1000);
        assert_int_equal(dl_push(&q, due[i], &due[i]), 0);
    }
    assert_true(q.heap_len > 0 && q.fifo_len > 0);
    for (int i = 0; i < N / 3; i++) /* pop some, push more, then drain */
        dl_pop(&q);
    for (int i = 0; i < N / 3; i++)
        assert_int_equal(dl_push(&q, due[i], &due[i]), 0);
    drain_sorted(&q, N);
    dl_free(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_orders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
