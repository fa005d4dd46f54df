#ifndef CONCBENCH_DEADLINE_LIST_H
#define CONCBENCH_DEADLINE_LIST_H

/* Requests under way in deadline order, for a loop or a ring that keeps one timer for the head
 * (uv_deadline_list.h on libuv, the io_uring face's timeout request). Requests that all get the
 * same time limit arrive in order, so adding is O(1) at the tail, and so is taking one out from
 * anywhere when its request ends. Pure: the caller says what `at` counts (ms, ns). */
#include <stdint.h>

struct deadline_item {
    uint64_t at; /* when it expires */
    struct deadline_item *prev, *next;
    int in; /* in the list */
};

struct deadline_list {
    struct deadline_item *head, *tail; /* head: the earliest */
};

/* Puts it (not in the list) in at its place: after every item that expires no later. */
void deadline_list_add(struct deadline_list *l, struct deadline_item *it, uint64_t at);
/* Takes it out if it is in. */
void deadline_list_remove(struct deadline_list *l, struct deadline_item *it);

#endif
