/* The green-thread hub: a FIFO run queue of coroutines, switched to and from the hub, with libuv
 * for everything that waits (see green.h). Stacks come from stacks.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "runners/green/green_internal.h"

_Thread_local struct green_sched *green_tls;

struct green_sched *green_sched_new(uv_loop_t *loop, const struct green_config *cfg)
{
    struct green_sched *s;

    if (loop == NULL || (cfg != NULL && (cfg->guard < -1 || cfg->guard > 1))) {
        errno = EINVAL;
        return NULL;
    }
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        return NULL;
    s->loop = loop;
    s->hub = aligned_alloc(GREEN_ALIGN, round_up(green_ctx_size(), GREEN_ALIGN));
    if (s->hub == NULL || green_stacks_init(s, cfg) != 0) {
        int err = s->hub == NULL || errno == 0 ? ENOMEM : errno;
        free(s->hub);
        free(s);
        errno = err;
        return NULL;
    }
    return s;
}

static void runq_push(struct green_sched *s, struct green_thread *g)
{
    g->next = NULL;
    if (s->runq_tail != NULL)
        s->runq_tail->next = g;
    else
        s->runq_head = g;
    s->runq_tail = g;
    s->runq_len++;
}

static struct green_thread *runq_pop(struct green_sched *s)
{
    struct green_thread *g = s->runq_head;

    if (g != NULL) {
        s->runq_head = g->next;
        if (s->runq_head == NULL)
            s->runq_tail = NULL;
        s->runq_len--;
    }
    return g;
}

static void switch_to_hub(struct green_sched *s, struct green_thread *g);

/* The bottom of every slot's stack. One context serves every coroutine that ever runs in the
 * slot: after fn returns, the slot parks here as G_DONE, and a later spawn that reuses the slot
 * just sets fn/arg and lets the hub resume it. No context to rebuild, and the sanitizers see
 * balanced calls on a fiber that lives as long as the slot. */
void green_entry(void *arg)
{
    struct green_thread *g = arg;

#ifdef GREEN_ASAN
    __sanitizer_finish_switch_fiber(NULL, &g->sched->hub_bottom, &g->sched->hub_size);
#endif
    for (;;) {
        g->fn(g->arg);
        g->state = G_DONE;
        g->sched->live--;
        switch_to_hub(g->sched, g);
    }
}

int green_spawn(struct green_sched *s, void (*fn)(void *arg), void *arg)
{
    struct green_thread *g;
    int err = 0;

    if (s == NULL || fn == NULL)
        return -EINVAL;
    g = green_slot_get(s, &err);
    if (g == NULL)
        return -(err > 0 ? err : ENOMEM);
    g->sched = s;
    g->fn = fn;
    g->arg = arg;
    g->id = s->next_id++;
    g->state = G_RUNNABLE;
    g->woken = 0;
    if (!g->started && !s->copy) { /* stack=copy builds it on the run stack when it runs */
        green_ctx_make(ctx_of(g), g->lo, usable_of(g), green_entry, g);
        g->started = 1;
    }
    runq_push(s, g);
    s->live++;
    return 0;
}

/* Hub side: run g until it parks, yields or returns. */
static void hub_run_one(struct green_sched *s, struct green_thread *g)
{
    if (s->copy)
        green_copy_enter(s, g);
    s->current = g;
    g->state = G_RUNNING;
#ifdef GREEN_TSAN
    if (g->tsan_fiber == NULL)
        g->tsan_fiber = __tsan_create_fiber(0); /* once per slot, destroyed with the scheduler */
    __tsan_switch_to_fiber(g->tsan_fiber, 0);
#endif
#ifdef GREEN_ASAN
    __sanitizer_start_switch_fiber(&s->hub_fake, g->lo, usable_of(g));
#endif
    green_ctx_switch(s->hub, ctx_of(g));
#ifdef GREEN_ASAN
    __sanitizer_finish_switch_fiber(s->hub_fake, NULL, NULL);
#endif
    s->current = NULL;
    if (!g->guarded)
        green_canary_check(s, g);
    if (g->state == G_DONE)
        green_slot_release(s, g);
}

/* Coroutine side: back to the hub; returns when the hub runs g again (for a finished coroutine:
 * when its slot is reused). */
static void switch_to_hub(struct green_sched *s, struct green_thread *g)
{
#ifdef GREEN_TSAN
    __tsan_switch_to_fiber(s->hub_fiber, 0);
#endif
#ifdef GREEN_ASAN
    __sanitizer_start_switch_fiber(&g->asan_fake, s->hub_bottom, s->hub_size);
#endif
    green_ctx_switch(ctx_of(g), s->hub);
#ifdef GREEN_ASAN
    __sanitizer_finish_switch_fiber(g->asan_fake, &s->hub_bottom, &s->hub_size);
#endif
}

int green_sched_run(struct green_sched *s)
{
    struct green_sched *outer = green_tls;
    int rc = 0;

    if (s == NULL)
        return -EINVAL;
    if (outer != NULL && outer->current != NULL)
        return -EINVAL; /* called from inside a coroutine */
    green_tls = s;
    green_hint_install(s);
#ifdef GREEN_TSAN
    s->hub_fiber = __tsan_get_current_fiber();
#endif
    while (s->live > 0) {
        if (s->runq_head != NULL) {
            /* One round: the coroutines queued now. Those queued meanwhile (yield, wake from a
             * coroutine) wait for the next round, after a non-blocking look at the loop, so a
             * coroutine that keeps yielding cannot starve I/O. */
            for (size_t n = s->runq_len; n > 0 && s->runq_head != NULL; n--)
                hub_run_one(s, runq_pop(s));
            if (s->runq_head != NULL)
                uv_run(s->loop, UV_RUN_NOWAIT);
            continue;
        }
        if (!uv_loop_alive(s->loop)) {
            rc = -EDEADLK; /* parked coroutines, and nothing left that could wake one */
            break;
        }
        uv_run(s->loop, UV_RUN_ONCE);
    }
    green_hint_remove(s);
    green_tls = outer;
    return rc;
}

void green_sched_free(struct green_sched *s)
{
    if (s == NULL)
        return;
    green_stacks_free(s);
    green_hint_free(s);
    free(s->hub);
    free(s);
}

static struct green_thread *current_or_die(const char *what)
{
    struct green_sched *s = green_tls;

    if (s == NULL || s->current == NULL) {
        fprintf(stderr, "green: %s called outside a coroutine\n", what);
        abort();
    }
    return s->current;
}

struct green_thread *green_self(void)
{
    return green_tls != NULL ? green_tls->current : NULL;
}

int green_id(const struct green_thread *g)
{
    return g != NULL ? g->id : -1;
}

void green_park(void)
{
    struct green_thread *g = current_or_die("green_park");

    if (g->woken) {
        g->woken = 0;
        return;
    }
    g->state = G_PARKED;
    switch_to_hub(g->sched, g);
}

void green_yield(void)
{
    struct green_thread *g = current_or_die("green_yield");

    g->state = G_RUNNABLE;
    runq_push(g->sched, g);
    switch_to_hub(g->sched, g);
}

void green_wake(struct green_thread *g)
{
    if (g == NULL)
        return;
    switch (g->state) {
    case G_PARKED:
        g->state = G_RUNNABLE;
        runq_push(g->sched, g);
        break;
    case G_RUNNING:
    case G_RUNNABLE:
        g->woken = 1;
        break;
    default: /* returned already: a late wake is harmless */
        break;
    }
}

size_t green_sched_live(const struct green_sched *s)
{
    return s->live;
}
