#ifndef CONCBENCH_GREEN_INTERNAL_H
#define CONCBENCH_GREEN_INTERNAL_H

/* The scheduler's private types, shared by its three files: sched.c (the hub), stacks.c (where
 * stacks come from) and overflow_hint.c (naming a coroutine whose stack overflowed). */
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "runners/green/deque.h"
#include "runners/green/green.h"

#if defined(__SANITIZE_ADDRESS__)
#define GREEN_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define GREEN_TSAN 1
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer) && !defined(GREEN_ASAN)
#define GREEN_ASAN 1
#endif
#if __has_feature(thread_sanitizer) && !defined(GREEN_TSAN)
#define GREEN_TSAN 1
#endif
#endif

/* Without a sanitizer (which reports overflows itself), a SIGSEGV handler on an alternate stack
 * names the coroutine whose stack overflowed before the process dies of the signal. */
#if !defined(GREEN_ASAN) && !defined(GREEN_TSAN)
#define GREEN_SEGV_HINT 1
#endif

#ifdef GREEN_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef GREEN_TSAN
#include <sanitizer/tsan_interface.h>
#endif

#define GREEN_ALIGN        16
#define GREEN_CANARY_BYTES 16 /* at the low end of an unguarded stack */

enum green_state {
    G_FREE,     /* slot on a free list */
    G_RUNNABLE, /* in the run queue */
    G_RUNNING,
    G_PARKED,
    G_DONE,    /* returned; the hub puts the slot on a free list */
    G_PARKING, /* green_park switching to its hub: the hub makes it G_PARKED once it is off its
                * stack, so no other worker can resume it while its registers are being saved */
};

/* state and woken are read by other threads under sched=mn (a wake from another worker), so
 * every access is atomic; relaxed ones are plain moves. Where a wake and a park race, both sides
 * use seq_cst (green_wake, hub_after_switch). */
#define G_LOAD(field)         __atomic_load_n(&(field), __ATOMIC_RELAXED)
#define G_STORE(field, value) __atomic_store_n(&(field), (value), __ATOMIC_RELAXED)

/* Why a coroutine stays on its worker (struct green_thread's pinned; sched=mn only reads them):
 * it asked (green_pin, which leaves the other bit alone), or it is bound: a stack=copy coroutine
 * that has started keeps absolute addresses of its worker's run stack in its frames, so from its
 * first run on it is that worker's, to its end (green_copy_enter sets it, green_thread_new
 * clears both for the struct's next coroutine). Only the thread running it writes the byte. */
#define G_PIN_ASKED 1
#define G_PIN_BOUND 2

/* Lives at the top of its own stack slot, followed by the saved context; with stack=copy, in a
 * chunk of them. A million parked coroutines keep a million of these, so it holds only what a
 * parked one needs: its stack's bounds follow from the scheduler (green_lo, green_top), and what
 * starts it (fn, arg) shares room with what stack=copy keeps once it has run (its saved frames).
 * 48 bytes on 64-bit targets; with stack=copy the context takes the place of all_next, which
 * only stack=separate uses: 48 bytes with it. */
struct green_thread {
    struct green_thread *next; /* run queue or free list */
    struct green_sched *sched;
    union {
        struct { /* until it starts: green_entry takes them */
            void (*fn)(void *arg);
            void *arg;
        } start;
        struct { /* stack=copy, once started: its frames while another runs (NULL: none) */
            void *saved;
            uint32_t len; /* their size (a stack is < 4 GiB); the buffer's follows from it */
        } copy;
    } u;
    int id;
    unsigned char state;
    unsigned char woken;  /* a wake arrived while running or queued: next park returns */
    unsigned char pinned; /* sched=mn: no other worker may steal it (G_PIN_* bits) */
    unsigned char guarded : 1;
    unsigned char started : 1; /* the slot's context exists (green_entry's loop is on the stack) */
    unsigned char copied : 1;  /* stack=copy: its context follows at all_next */
    struct green_thread *all_next; /* stack=separate: every slot, for green_sched_free */
#ifdef GREEN_ASAN
    void *asan_fake;
#endif
#ifdef GREEN_TSAN
    void *tsan_fiber;
#endif
};

struct green_region;
struct green_copy_chunk;
struct green_copy_pool;

struct green_sched {
    /* the hub (sched.c) */
    uv_loop_t *loop;
    struct green_mn *mn;   /* sched=mn: the M:N scheduler this hub is a worker of (mn.c) */
    struct green_deque dq; /* sched=mn: this worker's run queue, stolen from by the others */
    int worker;            /* sched=mn: this worker's index */
    int hint_shared;       /* sched=mn: the SIGSEGV hint's handler is installed once for all */
    size_t live;           /* spawned, not returned */
    int next_id;
    struct green_thread *runq_head, *runq_tail;
    size_t runq_len;
    struct green_thread *current;
    struct green_ctx *hub;
#ifdef GREEN_ASAN
    void *hub_fake;
    const void *hub_bottom;
    size_t hub_size;
#endif
#ifdef GREEN_TSAN
    void *hub_fiber;
#endif

    /* the stacks (stacks.c) */
    int guard;     /* -1 auto, 0 off, 1 on */
    int guard_off; /* auto mode ran out of map budget: new stacks come unguarded */
    size_t page;
    size_t stack_size;  /* configured usable size, page rounded */
    size_t hdr;         /* struct + context at the top of each slot */
    size_t guarded_len; /* one guarded mapping, guard page included */
    size_t slot_len;    /* one slot of a shared region, canary included */
    size_t guard_limit; /* from the config; 0 = only the map budget limits */
    long map_cap;       /* mappings all schedulers' stacks may use together */
    size_t n_guarded, n_unguarded, guard_off_at;
    unsigned long overflows;
    struct green_thread *free_guarded, *free_unguarded;
    struct green_thread *all;
    struct green_region *regions;
    size_t region_next_slots;

    /* stack=copy (copy_stack.c): every coroutine runs on one guarded run stack; a parked one's
     * frames wait in its saved buffer while another runs there */
    int copy;
    char *run_map; /* guard page, then the run stack */
    size_t run_map_len;
    struct green_thread *run_owner; /* whose frames are on the run stack */
    struct green_thread *copy_free; /* returned coroutines' structs, for reuse */
    struct green_copy_chunk *chunks;
    size_t copy_expected;         /* from the config: the first chunk's size, if larger */
    struct green_copy_pool *pool; /* saved frames by size class */
    size_t saved_bytes;           /* in malloc'd saved buffers (frames above the largest class) */
    size_t saved_mallocs;         /* coroutines with such a buffer */

#ifdef GREEN_SEGV_HINT
    /* the overflow hint (overflow_hint.c) */
    void *altstack;
    stack_t old_altstack;
    struct sigaction old_segv, old_bus;
#endif
};

/* The scheduler running on this thread (sched.c). */
extern _Thread_local struct green_sched *green_tls;

static inline size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) / to * to;
}

/* A slot's context sits below the struct, 16-aligned for the stack under it; a stack=copy
 * coroutine has no stack there, so its context (a saved stack pointer) takes all_next's room. */
static inline struct green_ctx *ctx_of(struct green_thread *g)
{
    return (struct green_ctx *)((char *)g + (g->copied ? offsetof(struct green_thread, all_next)
                                                       : round_up(sizeof(*g), GREEN_ALIGN)));
}

/* g's stack, from what s says of every stack like it: stack=copy runs everyone on one run stack;
 * a slot holds the struct at its top, its usable stack below (a guard page or a canary under
 * that). s is the scheduler whose stacks g's slot came from, or any other of the same M:N
 * scheduler (they share one configuration). */
static inline size_t green_usable(const struct green_sched *s, const struct green_thread *g)
{
    if (s->copy)
        return s->stack_size;
    return g->guarded ? s->guarded_len - s->page - s->hdr
                      : s->slot_len - s->hdr - GREEN_CANARY_BYTES;
}

static inline char *green_top(const struct green_sched *s, const struct green_thread *g)
{
    return s->copy ? s->run_map + s->run_map_len : (char *)g;
}

static inline char *green_lo(const struct green_sched *s, const struct green_thread *g)
{
    return green_top(s, g) - green_usable(s, g);
}

/* stacks.c */
/* Sets up s's stack sizes from cfg (NULL: defaults) and its share of the map budget. Returns 0,
 * or -1 when the stack size is too large to map. */
int green_stacks_init(struct green_sched *s, const struct green_config *cfg);
/* Unmaps every stack of s and gives its mappings back to the process-wide budget. */
void green_stacks_free(struct green_sched *s);
/* A stack for a new coroutine, or NULL with *err set. */
struct green_thread *green_slot_get(struct green_sched *s, int *err);
/* Puts the slot of a returned coroutine on its free list. */
void green_slot_release(struct green_sched *s, struct green_thread *g);
/* Aborts, with a message, if g (unguarded) wrote below its stack. */
void green_canary_check(struct green_sched *s, struct green_thread *g);

/* sched.c: the bottom frame of every coroutine context; stack=copy's, which runs once. */
void green_entry(void *arg);
void green_copy_entry(void *arg);
/* sched.c: a coroutine for fn(arg) in a slot of s, G_RUNNABLE, not queued; NULL with *err set. */
struct green_thread *green_thread_new(struct green_sched *s, void (*fn)(void *arg), void *arg,
                                      int id, int *err);
/* sched.c: the hub runs g until it parks, yields or returns; a yielded or woken g is queued. */
void green_hub_run_one(struct green_sched *s, struct green_thread *g);

/* mn.c: queues runnable g on the worker this thread is (g moves there), or on the injection
 * queue from a thread that is none of m's workers; wakes an idle worker. */
void green_mn_enqueue(struct green_mn *m, struct green_thread *g);
/* mn.c: a coroutine returned; the last one ends the run on every worker. */
void green_mn_done(struct green_mn *m);

/* copy_stack.c: stack=copy. Maps the run stack (0, or -1 with errno set). */
int green_copy_init(struct green_sched *s);
struct green_thread *green_copy_slot_get(struct green_sched *s, int *err);
/* Hub side, before switching to g: saves the frames on the run stack (if another coroutine's)
 * and puts g's there, or builds g's first frame. */
void green_copy_enter(struct green_sched *s, struct green_thread *g);
void green_copy_release(struct green_sched *s, struct green_thread *g);
/* Frees the malloc'd frames of coroutines still parked (a deadlock leaves them) in the chunks of
 * s[0..n-1]: under sched=mn a struct from one worker's chunk may have run, and saved its frames,
 * on another, so the M:N scheduler calls it for all its workers at once before freeing any. */
void green_copy_free_mallocs(struct green_sched **s, int n);
void green_copy_free(struct green_sched *s);

/* overflow_hint.c: installed while a hub runs; nothing to do under a sanitizer. */
#ifdef GREEN_SEGV_HINT
void green_hint_install(struct green_sched *s);
void green_hint_remove(struct green_sched *s);
void green_hint_free(struct green_sched *s);
/* sched=mn: the handlers once for the whole process, their previous ones copied into every
 * worker's scheduler (which then only sets its own thread's alternate stack); and back. */
void green_hint_share(struct green_sched **s, int n);
void green_hint_unshare(struct green_sched *first);
#else
static inline void green_hint_install(struct green_sched *s)
{
    (void)s;
}
static inline void green_hint_remove(struct green_sched *s)
{
    (void)s;
}
static inline void green_hint_free(struct green_sched *s)
{
    (void)s;
}
static inline void green_hint_share(struct green_sched **s, int n)
{
    (void)s;
    (void)n;
}
static inline void green_hint_unshare(struct green_sched *first)
{
    (void)first;
}
#endif

#endif
