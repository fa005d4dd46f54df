/* The Chase–Lev deque of the M:N green scheduler (runners/green/deque.c): its order alone, then
 * thieves stealing while the owner pushes and takes, every item taken exactly once. Run it under
 * ThreadSanitizer too: the orders of its atomics are what it checks there. */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "runners/green/deque.h"

#if defined(__SANITIZE_THREAD__)
#define STRESS_ITEMS 200000 /* TSan runs each atomic ~10x slower */
#else
#define STRESS_ITEMS 2000000
#endif
#define THIEVES 3

static void test_order(void **state)
{
    struct green_deque q;
    int v[100];

    (void)state;
    assert_int_equal(green_deque_init(&q, 4), 0);
    assert_null(green_deque_take(&q));
    assert_null(green_deque_steal(&q));
    for (int i = 0; i < 100; i++) /* past the first array: it grows */
        assert_int_equal(green_deque_push(&q, &v[i]), 0);
    assert_int_equal(green_deque_size(&q), 100);
    assert_ptr_equal(green_deque_take(&q), &v[99]); /* the owner: newest first */
    assert_ptr_equal(green_deque_steal(&q), &v[0]); /* a thief: oldest first */
    assert_ptr_equal(green_deque_steal(&q), &v[1]);
    assert_ptr_equal(green_deque_take(&q), &v[98]);
    for (int i = 2; i < 98; i++)
        assert_ptr_equal(green_deque_steal(&q), &v[i]);
    assert_null(green_deque_take(&q));
    assert_null(green_deque_steal(&q));
    assert_int_equal(green_deque_size(&q), 0);
    green_deque_free(&q);
}

/* An item is a counter: whoever takes it increments it, so each must end at exactly 1. The
 * owner's writes to it before the push must be visible to the thief (TSan checks that). */
struct item {
    int pushed_by_owner;
    atomic_int taken;
};

struct stress {
    struct green_deque q;
    struct item *items;
    atomic_long done; /* items taken, by anyone */
    atomic_long stolen;
};

static void take_item(struct stress *s, struct item *it)
{
    assert_int_equal(it->pushed_by_owner, 1);
    atomic_fetch_add_explicit(&it->taken, 1, memory_order_relaxed);
    atomic_fetch_add(&s->done, 1);
}

static void *thief(void *arg)
{
    struct stress *s = arg;

    while (atomic_load(&s->done) < STRESS_ITEMS) {
        void *x = green_deque_steal(&s->q);
        if (x != NULL && x != GREEN_DEQUE_ABORT) {
            take_item(s, x);
            atomic_fetch_add(&s->stolen, 1);
        }
    }
    return NULL;
}

/* The owner pushes bursts and takes some back, so takes of the last item race the thieves. The
 * last LEFT items are left to the thieves: some steals happen however the threads are scheduled. */
#define LEFT 100
static void owner(struct stress *s)
{
    unsigned seed = 12345;
    long next = 0;

    while (next < STRESS_ITEMS - LEFT) {
        int burst = (int)(rand_r(&seed) % 40);
        int takes = (int)(rand_r(&seed) % 45);

        for (int i = 0; i < burst && next < STRESS_ITEMS - LEFT; i++) {
            s->items[next].pushed_by_owner = 1;
            assert_int_equal(green_deque_push(&s->q, &s->items[next++]), 0);
        }
        for (int i = 0; i < takes; i++) {
            void *x = green_deque_take(&s->q);
            if (x == NULL)
                break;
            take_item(s, x);
        }
    }
    while (next < STRESS_ITEMS) {
        s->items[next].pushed_by_owner = 1;
        assert_int_equal(green_deque_push(&s->q, &s->items[next++]), 0);
    }
    while (atomic_load(&s->done) < STRESS_ITEMS)
        sched_yield();
}

static void test_steal_against_owner(void **state)
{
    static struct stress s;
    pthread_t th[THIEVES];

    (void)state;
    s.items = calloc(STRESS_ITEMS, sizeof(*s.items));
    assert_non_null(s.items);
    atomic_init(&s.done, 0);
    atomic_init(&s.stolen, 0);
    assert_int_equal(green_deque_init(&s.q, 16), 0); /* small: it grows while thieves read */
    for (int i = 0; i < THIEVES; i++)
        assert_int_equal(pthread_create(&th[i], NULL, thief, &s), 0);
    owner(&s);
    for (int i = 0; i < THIEVES; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    assert_int_equal(atomic_load(&s.done), STRESS_ITEMS);
    for (long i = 0; i < STRESS_ITEMS; i++)
        if (atomic_load(&s.items[i].taken) != 1)
            fail_msg("item %ld taken %d times", i, atomic_load(&s.items[i].taken));
    assert_true(atomic_load(&s.stolen) > 0);
    green_deque_free(&s.q);
    free(s.items);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_steal_against_owner),
    };

    alarm(300);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
