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

static void switch_to_hub(struct green_thread *g);

/* A coroutine returned (its live count: the hub's, or the M:N scheduler's across workers). */
static void thread_done(struct green_sched *s)
{
    if (s->mn != NULL)
        green_mn_done(s->mn);
    else
        s->live--;
}

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
        g->u.start.fn(g->u.start.arg);
        G_STORE(g->state, G_DONE);
        thread_done(g->sched);
        switch_to_hub(g);
    }
}

/* stack=copy: the bottom of a coroutine's frames, which the switch copies out and back with the
 * rest, so it keeps g alone (16 bytes; green_entry's loop kept 32). It runs once: a struct's next
 * coroutine gets a context of its own (green_copy_enter). */
void green_copy_entry(void *arg)
{
    struct green_thread *g = arg;
    void (*fn)(void *arg) = g->u.start.fn;
    void *fn_arg = g->u.start.arg;

    g->u.copy.saved = NULL; /* the room is its saved frames' from now on */
    g->u.copy.len = 0;
    fn(fn_arg);
    G_STORE(g->state, G_DONE);
    thread_done(g->sched);
    switch_to_hub(g);
    abort(); /* never resumed: a returned coroutine's frames are dropped */
}

struct green_thread *green_thread_new(struct green_sched *s, void (*fn)(void *arg), void *arg,
                                      int id, int *err)
{
    struct green_thread *g = green_slot_get(s, err);

    if (g == NULL)
        return NULL;
    g->sched = s;
    g->u.start.fn = fn;
    g->u.start.arg = arg;
    g->id = id;
    G_STORE(g->state, G_RUNNABLE);
    G_STORE(g->woken, 0);
    G_STORE(g->pinned, 0);
    if (!g->started && !s->copy) { /* stack=copy builds it on the run stack when it runs */
        green_ctx_make(ctx_of(g), green_lo(s, g), green_usable(s, g), green_entry, g);
        g->started = 1;
    }
    return g;
}

int green_spawn(struct green_sched *s, void (*fn)(void *arg), void *arg)
{
    struct green_thread *g;
    int err = 0;

    if (s == NULL || fn == NULL)
        return -EINVAL;
    if (s->mn != NULL)
        return green_mn_spawn(s->mn, fn, arg);
    g = green_thread_new(s, fn, arg, s->next_id, &err);
    if (g == NULL)
        return -(err > 0 ? err : ENOMEM);
    s->next_id++;
    runq_push(s, g);
    s->live++;
    return 0;
}

static void enqueue(struct green_sched *s, struct green_thread *g)
{
    if (s->mn != NULL)
        green_mn_enqueue(s->mn, g);
    else
        runq_push(s, g);
}

/* Hub side, g just switched out: finish what it asked for. A park becomes G_PARKED only now
 * that g is off its stack; a wake that came meanwhile (woken) makes it runnable again. The
 * store and the exchange are seq_cst against green_wake's store of woken and load of state:
 * one of the two sides sees the other, so no wake is lost. */
static void hub_after_switch(struct green_sched *s, struct green_thread *g)
{
    unsigned char st = G_LOAD(g->state);

    if (st == G_DONE) {
        green_slot_release(s, g);
    } else if (st == G_RUNNABLE) { /* green_yield */
        enqueue(s, g);
    } else if (st == G_PARKING) {
        unsigned char parked = G_PARKED;

        __atomic_store_n(&g->state, G_PARKED, __ATOMIC_SEQ_CST);
        if (__atomic_exchange_n(&g->woken, 0, __ATOMIC_SEQ_CST) &&
            __atomic_compare_exchange_n(&g->state, &parked, G_RUNNABLE, 0, __ATOMIC_SEQ_CST,
                                        __ATOMIC_RELAXED))
            enqueue(s, g);
    }
}

/* Hub side: run g until it parks, yields or returns. */
void green_hub_run_one(struct green_sched *s, struct green_thread *g)
{
    if (s->copy)
        green_copy_enter(s, g);
    s->current = g;
    G_STORE(g->state, G_RUNNING);
#ifdef GREEN_TSAN
    if (g->tsan_fiber == NULL)
        g->tsan_fiber = __tsan_create_fiber(0); /* once per slot, destroyed with the scheduler */
    __tsan_switch_to_fiber(g->tsan_fiber, 0);
#endif
#ifdef GREEN_ASAN
    __sanitizer_start_switch_fiber(&s->hub_fake, green_lo(s, g), green_usable(s, g));
#endif
    green_ctx_switch(s->hub, ctx_of(g));
#ifdef GREEN_ASAN
    __sanitizer_finish_switch_fiber(s->hub_fake, NULL, NULL);
#endif
    s->current = NULL;
    if (!g->guarded)
        green_canary_check(s, g);
    hub_after_switch(s, g);
}

/* Coroutine side: back to the hub; returns when a hub runs g again (for a finished coroutine:
 * when its slot is reused). Under sched=mn that may be another worker's hub: g->sched is read
 * again after the switch, where the thief has set it. */
static void switch_to_hub(struct green_thread *g)
{
    struct green_sched *s = g->sched;

#ifdef GREEN_TSAN
    __tsan_switch_to_fiber(s->hub_fiber, 0);
#endif
#ifdef GREEN_ASAN
    __sanitizer_start_switch_fiber(&g->asan_fake, s->hub_bottom, s->hub_size);
#endif
    green_ctx_switch(ctx_of(g), s->hub);
#ifdef GREEN_ASAN
    s = g->sched;
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
    if (s->mn != NULL)
        return -EINVAL; /* a worker of an M:N scheduler: green_mn_run runs it */
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
                green_hub_run_one(s, runq_pop(s));
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

    if (__atomic_exchange_n(&g->woken, 0, __ATOMIC_SEQ_CST))
        return;
    G_STORE(g->state, G_PARKING);
    switch_to_hub(g);
}

void green_yield(void)
{
    struct green_thread *g = current_or_die("green_yield");

    G_STORE(g->state, G_RUNNABLE); /* the hub queues it once it is off its stack */
    switch_to_hub(g);
}

/* The state is read and changed with atomics: under sched=mn the waker may be another worker
 * than g's (see hub_after_switch for the race with a park). */
void green_wake(struct green_thread *g)
{
    if (g == NULL)
        return;
    for (;;) {
        unsigned char st = __atomic_load_n(&g->state, __ATOMIC_SEQ_CST);

        if (st == G_PARKED) {
            if (__atomic_compare_exchange_n(&g->state, &st, G_RUNNABLE, 0, __ATOMIC_SEQ_CST,
                                            __ATOMIC_RELAXED)) {
                enqueue(g->sched, g);
                return;
            }
            continue; /* another waker, or the hub, got it first: look again */
        }
        if (st != G_RUNNING && st != G_RUNNABLE && st != G_PARKING)
            return; /* returned already: a late wake is harmless */
        __atomic_store_n(&g->woken, 1, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&g->state, __ATOMIC_SEQ_CST) != G_PARKED)
            return; /* its next park, or its hub, sees the permit */
        /* its hub finished the park before seeing the permit: make it runnable here */
    }
}

uv_loop_t *green_loop(void)
{
    return green_tls != NULL ? green_tls->loop : NULL;
}

int green_worker(void)
{
    return green_tls != NULL ? green_tls->worker : -1;
}

void green_pin(int on)
{
    struct green_thread *g = current_or_die("green_pin");

    G_STORE(g->pinned, (G_LOAD(g->pinned) & G_PIN_BOUND) | (on ? G_PIN_ASKED : 0));
}

int green_parked(const struct green_thread *g)
{
    return __atomic_load_n(&g->state, __ATOMIC_SEQ_CST) == G_PARKED;
}

size_t green_sched_live(const struct green_sched *s)
{
    return s->live;
}
