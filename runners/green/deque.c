/* The Chase–Lev deque (deque.h). Memory orders as Lê et al. 2013 prove them for C11, with one
 * deliberate strengthening: items are stored with release and loaded by thieves with acquire. The
 * paper publishes an item by a release fence before the relaxed store of bottom; ThreadSanitizer
 * does not model fences, so it would see the thief's reads of the coroutine behind the pointer
 * race with the owner's writes before the push. The release/acquire pair on the item itself
 * gives the same guarantee in a form it understands, and costs nothing on x86-64 (plain moves). */
#include <errno.h>
#include <stdlib.h>

#include "runners/green/deque.h"

struct green_deque_array {
    long cap; /* a power of two */
    struct green_deque_array *retired_next;
    _Atomic(void *) item[];
};

static struct green_deque_array *array_new(long cap)
{
    /* zeroed: a thief with a stale top may read a slot that grow() did not copy, and must find
     * NULL there, not garbage to hand to its test (an old item is harmless: items stay valid) */
    struct green_deque_array *a = calloc(1, sizeof(*a) + (size_t)cap * sizeof(a->item[0]));

    if (a != NULL) {
        a->cap = cap;
        a->retired_next = NULL;
    }
    return a;
}

static void *slot_load(struct green_deque_array *a, long i, memory_order mo)
{
    return atomic_load_explicit(&a->item[i & (a->cap - 1)], mo);
}

static void slot_store(struct green_deque_array *a, long i, void *x, memory_order mo)
{
    atomic_store_explicit(&a->item[i & (a->cap - 1)], x, mo);
}

int green_deque_init(struct green_deque *q, size_t capacity)
{
    long cap = 16;

    while ((size_t)cap < capacity)
        cap *= 2;
    atomic_init(&q->top, 0);
    atomic_init(&q->bottom, 0);
    q->retired = NULL;
    struct green_deque_array *a = array_new(cap);
    if (a == NULL) {
        errno = ENOMEM;
        return -1;
    }
    atomic_init(&q->array, a);
    return 0;
}

void green_deque_free(struct green_deque *q)
{
    struct green_deque_array *a = atomic_load_explicit(&q->array, memory_order_relaxed), *next;

    free(a);
    for (a = q->retired; a != NULL; a = next) {
        next = a->retired_next;
        free(a);
    }
    q->retired = NULL;
    atomic_store_explicit(&q->array, NULL, memory_order_relaxed);
}

/* Owner: a twice larger array holding [t, b). The old one is retired, not freed: a thief that
 * loaded it may still read an item from it (the item is the same in both). */
static struct green_deque_array *grow(struct green_deque *q, struct green_deque_array *a, long t,
                                      long b)
{
    struct green_deque_array *n = array_new(a->cap * 2);

    if (n == NULL)
        return NULL;
    for (long i = t; i < b; i++)
        slot_store(n, i, slot_load(a, i, memory_order_relaxed), memory_order_relaxed);
    a->retired_next = q->retired;
    q->retired = a;
    atomic_store_explicit(&q->array, n, memory_order_release);
    return n;
}

int green_deque_push(struct green_deque *q, void *item)
{
    long b = atomic_load_explicit(&q->bottom, memory_order_relaxed);
    long t = atomic_load_explicit(&q->top, memory_order_acquire);
    struct green_deque_array *a = atomic_load_explicit(&q->array, memory_order_relaxed);

    if (b - t > a->cap - 1 && (a = grow(q, a, t, b)) == NULL)
        return -1;
    slot_store(a, b, item, memory_order_release); /* the paper: relaxed; see the top */
    atomic_thread_fence(memory_order_release);
    atomic_store_explicit(&q->bottom, b + 1, memory_order_relaxed);
    return 0;
}

void *green_deque_take(struct green_deque *q)
{
    long b = atomic_load_explicit(&q->bottom, memory_order_relaxed) - 1;
    struct green_deque_array *a = atomic_load_explicit(&q->array, memory_order_relaxed);
    long t;
    void *x = NULL;

    atomic_store_explicit(&q->bottom, b, memory_order_relaxed);
    /* orders the store of bottom before the load of top, against a thief's opposite order */
    atomic_thread_fence(memory_order_seq_cst);
    t = atomic_load_explicit(&q->top, memory_order_relaxed);
    if (t <= b) {
        x = slot_load(a, b, memory_order_relaxed);
        if (t == b) { /* the last item: race the thieves for it on top */
            if (!atomic_compare_exchange_strong_explicit(&q->top, &t, t + 1, memory_order_seq_cst,
                                                         memory_order_relaxed))
                x = NULL;
            atomic_store_explicit(&q->bottom, b + 1, memory_order_relaxed);
        }
    } else {
        atomic_store_explicit(&q->bottom, b + 1, memory_order_relaxed);
    }
    return x;
}

void *green_deque_steal(struct green_deque *q)
{
    return green_deque_steal_if(q, NULL);
}

void *green_deque_steal_if(struct green_deque *q, int (*ok)(void *item))
{
    long t = atomic_load_explicit(&q->top, memory_order_acquire);
    long b;
    void *x;

    atomic_thread_fence(memory_order_seq_cst);
    b = atomic_load_explicit(&q->bottom, memory_order_acquire);
    if (t >= b)
        return NULL;
    /* the paper loads the array with consume; compilers implement consume as acquire */
    x = slot_load(atomic_load_explicit(&q->array, memory_order_acquire), t, memory_order_acquire);
    if (x == NULL)
        return GREEN_DEQUE_ABORT; /* a slot grow() did not copy: top has moved on */
    if (ok != NULL && !ok(x))
        return NULL; /* x may be taken by now: ok() must only read what stays valid */
    if (!atomic_compare_exchange_strong_explicit(&q->top, &t, t + 1, memory_order_seq_cst,
                                                 memory_order_relaxed))
        return GREEN_DEQUE_ABORT;
    return x;
}

void *green_deque_peek(struct green_deque *q)
{
    long t = atomic_load_explicit(&q->top, memory_order_acquire);
    long b;

    atomic_thread_fence(memory_order_seq_cst);
    b = atomic_load_explicit(&q->bottom, memory_order_acquire);
    if (t >= b)
        return NULL;
    return slot_load(atomic_load_explicit(&q->array, memory_order_acquire), t,
                     memory_order_acquire);
}

long green_deque_size(struct green_deque *q)
{
    long b = atomic_load_explicit(&q->bottom, memory_order_relaxed);
    long t = atomic_load_explicit(&q->top, memory_order_relaxed);

    return b > t ? b - t : 0;
}
