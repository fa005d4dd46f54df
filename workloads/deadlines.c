/* The deadline queue of deadlines.h: a FIFO for in-order deadlines, a min-heap for the rest. */
#include "workloads/deadlines.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Room for one more entry in an array of *cap; 0 or -ENOMEM. */
static int dl_grow(struct dl_entry **v, size_t *cap)
{
    size_t n = *cap ? *cap * 2 : 1024;
    struct dl_entry *nv = realloc(*v, n * sizeof(*nv));

    if (nv == NULL)
        return -ENOMEM;
    *v = nv;
    *cap = n;
    return 0;
}

static int fifo_push(struct dl_queue *q, struct dl_entry e)
{
    if (q->head + q->fifo_len == q->fifo_cap) {
        if (q->head > 0 && q->head >= q->fifo_cap / 2) { /* half free at the front: slide */
            memmove(q->fifo, q->fifo + q->head, q->fifo_len * sizeof(*q->fifo));
            q->head = 0;
        } else if (dl_grow(&q->fifo, &q->fifo_cap) != 0) {
            return -ENOMEM;
        }
    }
    q->fifo[q->head + q->fifo_len++] = e;
    return 0;
}

static int heap_push(struct dl_queue *q, struct dl_entry e)
{
    size_t i = q->heap_len;

    if (i == q->heap_cap && dl_grow(&q->heap, &q->heap_cap) != 0)
        return -ENOMEM;
    q->heap_len++;
    while (i > 0 && q->heap[(i - 1) / 2].due_s > e.due_s) {
        q->heap[i] = q->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    q->heap[i] = e;
    return 0;
}

static struct dl_entry heap_pop(struct dl_queue *q)
{
    struct dl_entry top = q->heap[0], last = q->heap[--q->heap_len];
    size_t i = 0, n = q->heap_len;

    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && q->heap[c + 1].due_s < q->heap[c].due_s)
            c++;
        if (q->heap[c].due_s >= last.due_s)
            break;
        q->heap[i] = q->heap[c];
        i = c;
    }
    if (n > 0)
        q->heap[i] = last;
    return top;
}

int dl_push(struct dl_queue *q, double due_s, void *item)
{
    struct dl_entry e = {due_s, item};

    if (q->fifo_len == 0 || q->fifo[q->head + q->fifo_len - 1].due_s <= due_s)
        return fifo_push(q, e);
    return heap_push(q, e);
}

int dl_first(const struct dl_queue *q, double *due_s)
{
    if (q->fifo_len == 0 && q->heap_len == 0)
        return 0;
    if (q->heap_len == 0 || (q->fifo_len > 0 && q->fifo[q->head].due_s <= q->heap[0].due_s))
        *due_s = q->fifo[q->head].due_s;
    else
        *due_s = q->heap[0].due_s;
    return 1;
}

void *dl_pop(struct dl_queue *q)
{
    void *item;

    if (q->heap_len == 0 || (q->fifo_len > 0 && q->fifo[q->head].due_s <= q->heap[0].due_s)) {
        item = q->fifo[q->head].item;
        q->fifo_len--;
        q->head = q->fifo_len == 0 ? 0 : q->head + 1;
        return item;
    }
    return heap_pop(q).item;
}

size_t dl_len(const struct dl_queue *q)
{
    return q->fifo_len + q->heap_len;
}

void dl_free(struct dl_queue *q)
{
    free(q->fifo);
    free(q->heap);
    memset(q, 0, sizeof(*q));
}
