#include "workloads/uv_deadline_list.h"

#include <stddef.h>

static void on_timer(uv_timer_t *t);

/* The timer at the earliest deadline, or stopped when nothing waits. */
static void arm(struct udl_list *l)
{
    uint64_t now = uv_now(l->timer.loop);
    struct deadline_item *head = l->list.head;

    if (head == NULL) {
        uv_timer_stop(&l->timer);
        return;
    }
    uv_timer_start(&l->timer, on_timer, head->at > now ? head->at - now : 0, 0);
}

static void on_timer(uv_timer_t *t)
{
    struct udl_list *l = t->data;
    uint64_t now = uv_now(t->loop);

    while (l->list.head != NULL && l->list.head->at <= now) {
        struct deadline_item *it = l->list.head;

        deadline_list_remove(&l->list, it);
        l->expired(it); /* may add items again, at the tail */
    }
    arm(l);
}

void udl_init(struct udl_list *l, uv_loop_t *loop, void (*expired)(struct deadline_item *it))
{
    uv_timer_init(loop, &l->timer);
    l->timer.data = l;
    l->list.head = l->list.tail = NULL;
    l->expired = expired;
}

void udl_add(struct udl_list *l, struct deadline_item *it, uint64_t timeout_ms)
{
    deadline_list_add(&l->list, it, uv_now(l->timer.loop) + timeout_ms);
    if (l->list.head == it) /* the earliest changed (or the list was empty): the timer follows */
        arm(l);
}

void udl_remove(struct udl_list *l, struct deadline_item *it)
{
    if (!it->in)
        return;
    deadline_list_remove(&l->list, it);
    if (l->list.head == NULL) /* nothing under way: the timer no longer holds the loop */
        uv_timer_stop(&l->timer);
}

void udl_close(struct udl_list *l, uv_close_cb cb)
{
    uv_close((uv_handle_t *)&l->timer, cb);
}
