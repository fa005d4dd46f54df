#include "server/due_heap.h"

#include <stdlib.h>

static void place(struct due_heap *h, size_t i, struct due_item *it)
{
    h->a[i] = it;
    it->idx = i + 1;
}

static void sift_up(struct due_heap *h, size_t i)
{
    struct due_item *it = h->a[i];

    while (i > 0 && it->due_ns < h->a[(i - 1) / 2]->due_ns) {
        place(h, i, h->a[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    place(h, i, it);
}

static void sift_down(struct due_heap *h, size_t i)
{
    struct due_item *it = h->a[i];

    for (;;) {
        size_t kid = 2 * i + 1;

        if (kid >= h->n)
            break;
        if (kid + 1 < h->n && h->a[kid + 1]->due_ns < h->a[kid]->due_ns)
            kid++;
        if (h->a[kid]->due_ns >= it->due_ns)
            break;
        place(h, i, h->a[kid]);
        i = kid;
    }
    place(h, i, it);
}

int due_heap_add(struct due_heap *h, struct due_item *it, uint64_t due_ns)
{
    due_heap_remove(h, it);
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 64;
        struct due_item **a = realloc(h->a, cap * sizeof *a);

        if (a == NULL)
            return -1;
        h->a = a;
        h->cap = cap;
    }
    it->due_ns = due_ns;
    place(h, h->n++, it);
    sift_up(h, h->n - 1);
    return 0;
}

void due_heap_remove(struct due_heap *h, struct due_item *it)
{
    size_t i = it->idx;

    if (i == 0)
        return;
    it->idx = 0;
    if (--i == --h->n)
        return;
    place(h, i, h->a[h->n]); /* the last one fills the hole, then finds its place */
    if (i > 0 && h->a[i]->due_ns < h->a[(i - 1) / 2]->due_ns)
        sift_up(h, i);
    else
        sift_down(h, i);
}

void due_heap_free(struct due_heap *h)
{
    free(h->a);
    h->a = NULL;
    h->n = h->cap = 0;
}
