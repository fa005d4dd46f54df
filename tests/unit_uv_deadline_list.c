/* One timer for many deadlines (workloads/uv_deadline_list.c): items expire in deadline order,
 * whatever order they came in, items taken out never expire, and the loop ends once the list is
 * empty (the timer only holds it while something waits). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <uv.h>

#include "workloads/uv_deadline_list.h"

#define ITEMS 6

static struct deadline_item items[ITEMS];
static int order[ITEMS], nexpired;

static void on_expired(struct deadline_item *it)
{
    assert_false(it->in);
    order[nexpired++] = (int)(it - items);
}

static void on_closed(uv_handle_t *h)
{
    (void)h;
}

static void test_expiry_order(void **state)
{
    uv_loop_t loop;
    struct udl_list l;
    uint64_t timeout_ms[ITEMS] = {40, 10, 30, 10, 50, 20};

    (void)state;
    assert_int_equal(uv_loop_init(&loop), 0);
    udl_init(&l, &loop, on_expired);
    for (int i = 0; i < ITEMS; i++)
        udl_add(&l, &items[i], timeout_ms[i]);
    udl_remove(&l, &items[4]); /* the last to expire: never does */
    udl_remove(&l, &items[2]); /* from the middle */
    udl_remove(&l, &items[2]); /* twice: nothing */
    uint64_t t0 = uv_now(&loop);
    uv_run(&loop, UV_RUN_DEFAULT); /* returns when nothing waits any more */
    assert_true(uv_now(&loop) - t0 >= 40);
    assert_int_equal(nexpired, 4);
    int want[] = {1, 3, 5, 0}; /* 10 ms (in the order added), 20, 40 */
    for (int i = 0; i < 4; i++)
        assert_int_equal(order[i], want[i]);
    udl_close(&l, on_closed);
    uv_run(&loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&loop), 0);
}

/* An empty list does not hold the loop: uv_run returns at once. */
static void test_empty_list_lets_the_loop_end(void **state)
{
    uv_loop_t loop;
    struct udl_list l;

    (void)state;
    assert_int_equal(uv_loop_init(&loop), 0);
    udl_init(&l, &loop, on_expired);
    udl_add(&l, &items[0], 60000);
    udl_remove(&l, &items[0]);
    uint64_t t0 = uv_hrtime();
    assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
    assert_true(uv_hrtime() - t0 < 30000000000ull); /* not the 60 s deadline */
    udl_close(&l, on_closed);
    uv_run(&loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&loop), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expiry_order),
        cmocka_unit_test(test_empty_list_lets_the_loop_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
