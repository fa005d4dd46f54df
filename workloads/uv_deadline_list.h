#ifndef CONCBENCH_UV_DEADLINE_LIST_H
#define CONCBENCH_UV_DEADLINE_LIST_H

/* Deadlines on one libuv loop, one timer for all of them: items in a list by deadline, O(1) in
 * and out when they arrive in order (requests that all get the same timeout, as io_bound's do).
 * A uv_timer_t per request cost two operations on libuv's timer heap per request (start, stop),
 * each a walk over nodes scattered through a thousand tasks' memory. The timer is referenced
 * while the list holds an item: the loop runs while a request is under way. */
#include <stdint.h>
#include <uv.h>

struct udl_item {
    uint64_t at_ms; /* uv_now() by which it expires */
    struct udl_item *prev, *next;
    int in; /* in the list */
};

struct udl_list {
    uv_timer_t timer; /* timer.data = this */
    struct udl_item *head, *tail;
    void (*expired)(struct udl_item *it); /* it is out of the list by then */
};

void udl_init(struct udl_list *l, uv_loop_t *loop, void (*expired)(struct udl_item *it));
/* Puts it in (it must be out) to expire timeout_ms from the loop's now. */
void udl_add(struct udl_list *l, struct udl_item *it, uint64_t timeout_ms);
/* Takes it out if it is in. */
void udl_remove(struct udl_list *l, struct udl_item *it);
/* The list must be empty; cb as uv_close's, on the timer. */
void udl_close(struct udl_list *l, uv_close_cb cb);

#endif
