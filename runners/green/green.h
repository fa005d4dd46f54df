#ifndef CONCBENCH_GREEN_H
#define CONCBENCH_GREEN_H

#include <stddef.h>
#include <uv.h>

/* Green threads: coroutines with their own stacks, switched by us, never by the kernel. A hub
 * (the thread that calls green_sched_run) runs runnable coroutines in FIFO order; when none is
 * runnable it runs one iteration of its libuv loop, whose callbacks wake parked coroutines.
 * This is the gevent design: greenlets on a hub loop. One scheduler per thread. */

struct green_sched;
struct green_thread;

struct green_config {
    size_t stack_size; /* usable bytes per coroutine stack, rounded up to pages */
    int guard;         /* 1 = guard page below every stack, 0 = none, -1 = auto (see below) */
    /* Extension: at most this many guarded stacks (0 = as many as vm.max_map_count allows).
     * Lets tests reach the "budget exhausted" paths without creating 30,000 mappings. */
    size_t guard_limit;
    /* 1 = stack=copy: every coroutine runs on one shared run stack of stack_size bytes with a
     * guard page; when another coroutine needs it, the used part of a parked one's stack (a few
     * hundred bytes) is copied out to a buffer of its own, and back before it runs again. A
     * million parked coroutines then cost their used stack each, not a page or more. The price:
     * a copy on switches between coroutines, and a parked coroutine's stack addresses are not
     * its own (nothing outside it may point into its stack while it is parked). Needs the
     * assembly switch and no sanitizer (green_sched_new fails with ENOTSUP otherwise). */
    int copy_stack;
    /* stack=copy: how many coroutines the caller will spawn (0 = unknown). Their structs then
     * come from one allocation of that size, on huge pages, rather than from chunks that grow:
     * memory touched for the first time costs a fault per 4 KiB page, and on a virtual machine
     * with shadow page tables that is tens of microseconds each. */
    size_t expected;
};

/* M:N: coroutines on several worker threads (runners/green/mn.c says why it is built so). Each
 * worker is a hub as above, with its own libuv loop; a worker with nothing to run steals runnable
 * coroutines from the others, so a coroutine may resume on another thread than it parked on.
 * With copy_stack, every worker has its own run stack and a coroutine moves only before its first
 * run: once started it stays on that worker to its end (green_worker() never changes for it).
 * cfg->expected is the whole run's: each worker sizes its first chunk for its share. */
struct green_mn;

/* workers: threads (0 = one per CPU this process may run on). Creates their loops and hubs.
 * NULL with errno set. */
struct green_mn *green_mn_new(int workers, const struct green_config *cfg);
int green_mn_workers(const struct green_mn *m);
/* Worker i's loop: the caller may set up per-loop state on it before green_mn_run and tear it
 * down after (green_mn_free closes what is left on it, then the loop). */
uv_loop_t *green_mn_loop(struct green_mn *m, int worker);
/* Before green_mn_run (from any thread but a worker): queued on the injection queue, created by
 * whichever worker takes it. From a coroutine of m: created on its worker and queued there.
 * 0 or a negative errno. green_id is the spawn order, as with one hub. */
int green_mn_spawn(struct green_mn *m, void (*fn)(void *arg), void *arg);
/* Runs the workers until every coroutine has returned; 0, -EDEADLK (every worker idle, coroutines
 * parked, no loop has anything pending), or the first error creating a coroutine or a thread
 * (the coroutines it could not create are dropped: green_mn_failed counts them). */
int green_mn_run(struct green_mn *m);
/* Closes what is left on the loops, the loops, and frees every worker's stacks. Returns how many
 * loops could not be closed (handles still busy). */
int green_mn_free(struct green_mn *m);
size_t green_mn_live(const struct green_mn *m);
size_t green_mn_failed(const struct green_mn *m);
/* Summed over the workers: as green_sched_stacks, _unguarded; the largest guard_off_at. */
size_t green_mn_stacks(const struct green_mn *m);
size_t green_mn_unguarded(const struct green_mn *m);
size_t green_mn_guard_off_at(const struct green_mn *m);
/* Coroutines taken from another worker's queue, in all. */
unsigned long green_mn_steals(const struct green_mn *m);

/* Inside a coroutine (either scheduler): the loop of the hub it runs on now (register waits
 * there: its callbacks wake the coroutine onto that hub), and that worker's index (0: one hub). */
uv_loop_t *green_loop(void);
int green_worker(void);
/* Inside a coroutine: on = from now on it stays on the worker it runs on (no other worker
 * steals it), for state bound to that worker's loop across several waits (a connection's libuv
 * handle); off = it may move again (not under stack=copy: a started coroutine stays on its
 * worker to its end). Without sched=mn nothing moves anyway. */
void green_pin(int on);
/* Whether g is parked now (a wake would queue it): for primitives and tests that must wake a
 * coroutine only once it has parked. g must not have returned. */
int green_parked(const struct green_thread *g);

/* Stack layout. Every stack is one slot: the coroutine's struct and saved context sit at the top,
 * the usable stack (>= stack_size bytes) grows down below them. A guarded slot is its own
 * mapping with a PROT_NONE page below it (2 entries of vm.max_map_count). An unguarded slot is
 * carved from a large shared MAP_NORESERVE region and has a 16-byte canary at its low end, checked
 * every time the coroutine switches back to the hub (park, yield, return). A damaged canary means
 * the stack overflowed into the slot below, which holds another coroutine's live frames: the
 * scheduler counts it, prints which coroutine overflowed and by how much stack, and aborts,
 * because continuing would run a coroutine on a corrupted stack.
 *
 * Finished coroutines' slots go to a free list and are reused by later spawns: no syscall, no new
 * mapping. Pages a coroutine touched stay resident until green_sched_free. */

/* Creates a scheduler on loop. With guard = -1 guard pages are used while the process's
 * vm.max_map_count allows two mappings per stack (keeping max/8, at least 2048, for the rest of
 * the process); beyond that stacks come from large shared regions and are checked with a canary
 * instead. guard = 1 makes green_spawn fail with -ENOMEM at that point. cfg may be NULL (64 KiB,
 * auto). Returns NULL with errno set. */
struct green_sched *green_sched_new(uv_loop_t *loop, const struct green_config *cfg);
void green_sched_free(struct green_sched *s);

/* Creates a coroutine that will run fn(arg), and queues it. Returns 0 or a negative errno
 * (-ENOMEM when no stack could be mapped). */
int green_spawn(struct green_sched *s, void (*fn)(void *arg), void *arg);

/* Runs until every coroutine has returned. Returns 0, or a negative errno: -EDEADLK when
 * coroutines are parked, none is runnable and the loop has nothing left that could wake them
 * (no active handle or request). The stuck coroutines stay parked; green_sched_free reclaims
 * their stacks without running them. */
int green_sched_run(struct green_sched *s);

/* Inside a coroutine: the running coroutine, and its index in spawn order. */
struct green_thread *green_self(void);
int green_id(const struct green_thread *g);

/* Inside a coroutine: give the hub control until green_wake(self) is called. A wake that arrives
 * while the coroutine is running or queued is remembered (one permit): the next park then returns
 * at once. So callers park in a loop until their own condition holds. */
void green_park(void);
/* Inside a coroutine: go to the back of the run queue. */
void green_yield(void);
/* From a libuv callback or another coroutine: make a parked coroutine runnable. A wake for a
 * coroutine that has returned is ignored, but its slot may already run a newer coroutine: do not
 * keep green_thread pointers past the coroutine's end. */
void green_wake(struct green_thread *g);

/* Whether guard pages ended up in use, and the stack size in use (for reports).
 * green_sched_guarded is 1 when every stack allocated so far has a guard page, 0 otherwise
 * (guard = 0, or auto mode ran out of mapping budget and continued without guards). */
int green_sched_guarded(const struct green_sched *s);
size_t green_sched_stack_size(const struct green_sched *s);
/* Number of stack overflows detected by canary checks (stacks without guard pages). The check
 * aborts right after counting (see the layout comment above), so a running process sees 0. */
unsigned long green_sched_overflows(const struct green_sched *s);

/* Extensions, for reports and tests. */
/* Stacks mapped so far (live + free list), and how many of them have no guard page. */
size_t green_sched_stacks(const struct green_sched *s);
size_t green_sched_unguarded(const struct green_sched *s);
/* In auto mode: how many guarded stacks there were when the map budget ran out (0 = not yet). */
size_t green_sched_guard_off_at(const struct green_sched *s);
/* Coroutines spawned and not yet returned (after -EDEADLK: the ones stuck parked). */
size_t green_sched_live(const struct green_sched *s);
/* stack=copy: 1 when in use, and the bytes of saved frames larger than the largest size class
 * (malloc'd buffers). */
int green_sched_copy_stack(const struct green_sched *s);
/* Whether this build can run stack=copy at all. */
int green_copy_stack_supported(void);
size_t green_sched_saved_bytes(const struct green_sched *s);
/* stack=copy: bytes of size-class buffers that coroutines hold now (each parked coroutine's
 * frames rounded up to the next 16 bytes). */
size_t green_sched_pooled_bytes(const struct green_sched *s);
/* The vm.max_map_count the budget was computed from. */
long green_max_map_count(void);
/* The usable stack of g: [*lo, *lo + *size). */
void green_stack_bounds(const struct green_thread *g, void **lo, size_t *size);

/* The low-level switch (switch_*.S / switch_ucontext.c). A context is the saved stack pointer
 * (assembly) or a ucontext_t (fallback). green_ctx_make prepares ctx so that the first switch to
 * it calls entry(arg) on the given stack; entry must never return. */
struct green_ctx;
size_t green_ctx_size(void);
void green_ctx_make(struct green_ctx *ctx, void *stack_base, size_t stack_size,
                    void (*entry)(void *arg), void *arg);
void green_ctx_switch(struct green_ctx *from, struct green_ctx *to);
/* The stack pointer a switched-out context saved (its registers lie from there up); NULL for
 * ucontext, which keeps them in the context. */
void *green_ctx_sp(const struct green_ctx *ctx);
const char *green_ctx_impl(void); /* "x86_64-asm", "aarch64-asm" or "ucontext" */

#endif
