#include "workloads/uv_deadline_list.h"

#include <stddef.h>

static void on_timer(uv_timer_t *t);

/* The timer at the earliest deadline, or stopped when nothing waits. */
static void arm(struct udl_list *l)
{
    uint64_t now = uv_now(l->timer.loop);

    if (l->head == NULL) {
        uv_timer_stop(&l->timer);
        return;
    }
    uv_timer_start(&l->timer, on_timer, l->head->at_ms > now ? l->head->at_ms - now : 0, 0);
}

static void on_timer(uv_timer_t *t)
{
    struct udl_list *l = t->data;
    uint64_t now = uv_now(t->loop);

    while (l->head != NULL && l->head->at_ms <= now) {
        struct udl_item *it = l->head;

        udl_remove(l, it);
        l->expired(it); /* may add items again, at the tail */
    }
    arm(l);
}

void udl_init(struct udl_list *l, uv_loop_t *loop, void (*expired)(struct udl_item *it))
{
    uv_timer_init(loop, &l->timer);
    l->timer.data = l;
    l->head = l->tail = NULL;
    l->expired = expired;
}

void udl_add(struct udl_list *l, struct udl_item *it, uint64_t timeout_ms)
{
    struct udl_item *after = l->tail;

    it->at_ms = uv_now(l->timer.loop) + timeout_ms;
    while (after != NULL && after->at_ms > it->at_ms) /* in order: no step */
        after = after->prev;
    it->prev = after;
    it->next = after != NULL ? after->next : l->head;
    if (it->next != NULL)
        it->next->prev = it;
    else
        l->tail = it;
    if (after != NULL)
        after->next = it;
    else
        l->head = it;
    it->in = 1;
    if (l->head == it) /* the earliest changed (or the list was empty): the timer follows */
        arm(l);
}

void udl_remove(struct udl_list *l, struct udl_item *it)
{
    if (!it->in)
        return;
    it->in = 0;
    if (it->prev != NULL)
        it->prev->next = it->next;
    else
        l->head = it->next;
    if (it->next != NULL)
        it->next->prev = it->prev;
    else
        l->tail = it->prev;
    it->prev = it->next = NULL;
    if (l->head == NULL) /* nothing under way: the timer no longer holds the loop */
        uv_timer_stop(&l->timer);
}

void udl_close(struct udl_list *l, uv_close_cb cb)
{
    uv_close((uv_handle_t *)&l->timer, cb);
}
