#ifndef CONCBENCH_GREEN_DEQUE_H
#define CONCBENCH_GREEN_DEQUE_H

/* A Chase–Lev work-stealing deque (Chase and Lev 2005, with the C11 memory orders of Lê, Pop,
 * Cohen and Zappa Nardelli 2013): one owner thread pushes and takes at the bottom, any thread
 * steals at the top. No lock; the array grows when full, and the arrays it outgrew are kept until
 * green_deque_free because a thief may still be reading one. Items are non-NULL pointers. */
#include <stdatomic.h>
#include <stddef.h>

struct green_deque_array;

struct green_deque {
    _Atomic long top; /* next index a thief takes */
    char pad1[64 - sizeof(long)];
    _Atomic long bottom; /* next index the owner pushes at */
    _Atomic(struct green_deque_array *) array;
    struct green_deque_array *retired; /* outgrown arrays, freed with the deque */
};

/* What steal found: an item, nothing, or a lost race (try again or elsewhere). */
#define GREEN_DEQUE_ABORT ((void *)1)

/* 0, or -1 (ENOMEM) */
int green_deque_init(struct green_deque *q, size_t capacity);
void green_deque_free(struct green_deque *q);
/* Owner only. 0, or -1 when growing ran out of memory (the item is not queued). */
int green_deque_push(struct green_deque *q, void *item);
/* Owner only: the newest item (LIFO), or NULL. */
void *green_deque_take(struct green_deque *q);
/* Any thread, the owner too: the oldest item (FIFO), NULL when empty, GREEN_DEQUE_ABORT when
 * another thief or the owner got it first. */
void *green_deque_steal(struct green_deque *q);
/* As green_deque_steal, but leaves the oldest item (and returns NULL) when ok(item) is 0. */
void *green_deque_steal_if(struct green_deque *q, int (*ok)(void *item));
/* Any thread: the item a steal would take now, or NULL (none, or a slot not copied yet). A hint:
 * it may be taken by the time the caller looks at it, so items must stay readable. */
void *green_deque_peek(struct green_deque *q);
/* How many items it holds, about (exact when nobody else touches it). */
long green_deque_size(struct green_deque *q);

#endif
