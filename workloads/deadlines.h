#ifndef CONCBENCH_DEADLINES_H
#define CONCBENCH_DEADLINES_H

#include <stddef.h>

/* A queue of deadlines, earliest first, 16 bytes an entry: what a loop needs to serve a million
 * sleeps from one timer. Deadlines pushed in order (every task sleeping as long as the one before
 * it) go to a FIFO, O(1) each way; the others to a binary min-heap. */

struct dl_entry {
    double due_s;
    void *item;
};

struct dl_queue {
    struct dl_entry *fifo; /* fifo[head .. head + fifo_len), due_s never decreasing */
    size_t head, fifo_len, fifo_cap;
    struct dl_entry *heap; /* min-heap on due_s */
    size_t heap_len, heap_cap;
};

/* Adds an entry: 0, or -ENOMEM. */
int dl_push(struct dl_queue *q, double due_s, void *item);
/* The earliest entry's deadline into *due_s: 1, or 0 when the queue is empty. */
int dl_first(const struct dl_queue *q, double *due_s);
/* Removes the earliest entry and returns its item (the queue must not be empty). */
void *dl_pop(struct dl_queue *q);
size_t dl_len(const struct dl_queue *q);
void dl_free(struct dl_queue *q);

#endif
