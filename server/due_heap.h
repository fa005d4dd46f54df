#ifndef CONCBENCH_DUE_HEAP_H
#define CONCBENCH_DUE_HEAP_H

/* A min-heap of items by due time, each item knowing its place so that it can leave from the
 * middle (a connection that closes while it waits). Pure: no clock, no I/O (due_queue.c puts a
 * timerfd on top). */
#include <stddef.h>
#include <stdint.h>

struct due_item {
    uint64_t due_ns;
    size_t idx; /* 1 + its place in the heap; 0 = not in it */
};

struct due_heap {
    struct due_item **a;
    size_t n, cap;
};

/* Puts it in at due_ns, or moves it there if it is in already. 0, or -1 when out of memory (it
 * is then not in the heap). */
int due_heap_add(struct due_heap *h, struct due_item *it, uint64_t due_ns);
/* Takes it out if it is in. */
void due_heap_remove(struct due_heap *h, struct due_item *it);
/* The earliest, or NULL when empty. */
static inline struct due_item *due_heap_top(const struct due_heap *h)
{
    return h->n > 0 ? h->a[0] : NULL;
}
void due_heap_free(struct due_heap *h);

#endif
