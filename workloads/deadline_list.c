#include "workloads/deadline_list.h"

#include <stddef.h>

void deadline_list_add(struct deadline_list *l, struct deadline_item *it, uint64_t at)
{
    struct deadline_item *after = l->tail;

    it->at = at;
    while (after != NULL && after->at > at) /* in order: no step */
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
}

void deadline_list_remove(struct deadline_list *l, struct deadline_item *it)
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
}
