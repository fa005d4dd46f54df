#ifndef CONCBENCH_UV_DEADLINE_LIST_H
#define CONCBENCH_UV_DEADLINE_LIST_H

/* Deadlines on one libuv loop, one timer for all of them: a deadline_list (deadline_list.h) in
 * uv_now() milliseconds, the timer at its head. A uv_timer_t per request cost two operations on
 * libuv's timer heap per request (start, stop), each a walk over nodes scattered through a
 * thousand tasks' memory. The timer is referenced while the list holds an item: the loop runs
 * while a request is under way. */
#include <stdint.h>
#include <uv.h>

#include "workloads/deadline_list.h"

struct udl_list {
    uv_timer_t timer; /* timer.data = this */
    struct deadline_list list;
    void (*expired)(struct deadline_item *it); /* it is out of the list by then */
};

void udl_init(struct udl_list *l, uv_loop_t *loop, void (*expired)(struct deadline_item *it));
/* Puts it in (it must be out) to expire timeout_ms from the loop's now. */
void udl_add(struct udl_list *l, struct deadline_item *it, uint64_t timeout_ms);
/* Takes it out if it is in. */
void udl_remove(struct udl_list *l, struct deadline_item *it);
/* The list must be empty; cb as uv_close's, on the timer. */
void udl_close(struct udl_list *l, uv_close_cb cb);

#endif
