/* The M:N green scheduler (runners/green/mn.c) and the green runner's sched=mn: coroutines that
 * yield, sleep and move between workers each run exactly once, all alive at once or 100,000 in a
 * relay with a bounded number alive (each finishing one spawns the next); wakes across workers
 * are never lost; a steal that must happen; spawns on the injection queue are not starved by a
 * busy worker; deadlock, pinning; with stack=copy the same, plus steals of unstarted coroutines
 * only (a started one never moves). The runner's sched=mn (compute in parallel) is tested with
 * the runner's others in unit_green_core.c. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "runners/green/green.h"
#include "testutil.h"

/* The relay test: 100,000 coroutines in all, a bounded number alive at once (when one finishes
 * it spawns the next), so slots and TSan's fibers (one per slot) are reused. TSan keeps a vector
 * clock per fiber, so its memory and the cost of every atomic operation grow with the fibers
 * alive: 2,000 alive took 2.4 GiB and ~40 s of CPU there (gcc 12), and its workers, never idle,
 * stole fewer than 20 times in 100,000. With 128 alive they steal hundreds to thousands of times,
 * and a move between threads is what TSan is here to check. */
#define RELAY_TOTAL 100000
#if defined(__SANITIZE_THREAD__)
#define RELAY_ALIVE 128
#else
#define RELAY_ALIVE 2000
#endif

/* All alive at once: ThreadSanitizer gives each fiber ~0.8 MiB of its own and ~4 mappings
 * (stacks.c), so 100,000 would need 80 GiB there; ASan's shadow of 100,000 stacks is also too
 * heavy for CI. The sanitizers run the relay's 100,000 instead. */
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define AT_ONCE 2000
#else
#define AT_ONCE 100000
#endif

/* A spin that cannot hang CI: gives up (the test fails) after this many seconds. */
#define GIVE_UP_S 120

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct green_mn *mn_new(int workers)
{
    struct green_config cfg = {.stack_size = 16 * 1024, .guard = -1};
    struct green_mn *m = green_mn_new(workers, &cfg);

    assert_non_null(m);
    assert_int_equal(green_mn_workers(m), workers);
    return m;
}

static struct green_mn *mn_copy_new(int workers)
{
    struct green_config cfg = {.stack_size = 64 * 1024, .copy_stack = 1};
    struct green_mn *m;

    if (!green_copy_stack_supported())
        skip(); /* sanitizer builds and the ucontext switch have no stack=copy */
    m = green_mn_new(workers, &cfg);
    assert_non_null(m);
    return m;
}

/* ---- every coroutine exactly once, through yields, sleeps and moves ---- */

struct many {
    struct green_mn *m;
    int total;          /* coroutines to run in all; green_id < total */
    atomic_int *count;  /* per coroutine: how many times it ran */
    atomic_int started; /* spawned so far: a relay's runner spawns the next while < total */
    atomic_int errors;  /* an id out of range or a failed spawn, seen inside a coroutine */
    atomic_long moved;  /* coroutines that resumed on another worker than they started on */
};

struct nap {
    uv_timer_t timer;
    struct green_thread *g;
    atomic_int fired, closed; /* set by the loop's thread, read by the coroutine's */
};

static void nap_fired(uv_timer_t *t)
{
    struct nap *n = t->data;

    atomic_store(&n->fired, 1);
    green_wake(n->g);
}

static void nap_closed(uv_handle_t *h)
{
    struct nap *n = h->data;

    atomic_store(&n->closed, 1);
    green_wake(n->g);
}

/* Sleeps on the loop of the worker it runs on, pinned from the timer's start to its close: a
 * libuv handle belongs to its loop's thread, and a coroutine stolen after the timer fired would
 * close it from another worker (a race on that loop, whose worker may then see it empty and park
 * for good: a false -EDEADLK). Unpinned before returning, it holds nothing and may move again
 * (under stack=copy it stays: bound since its first run). The timer is off the stack: under
 * stack=copy a parked coroutine's stack addresses hold another coroutine's frames. */
static void nap_ms(uint64_t ms)
{
    struct nap *n = calloc(1, sizeof(*n));
    uv_loop_t *loop = green_loop();

    assert_non_null(n);
    n->g = green_self();
    green_pin(1);
    assert_non_null(loop);
    assert_int_equal(uv_timer_init(loop, &n->timer), 0);
    n->timer.data = n;
    assert_int_equal(uv_timer_start(&n->timer, nap_fired, ms, 0), 0);
    while (!atomic_load(&n->fired))
        green_park();
    uv_close((uv_handle_t *)&n->timer, nap_closed);
    while (!atomic_load(&n->closed))
        green_park();
    green_pin(0);
    free(n);
}

/* Yields, sleeps and yields (unpinned at both yields: any worker may steal it there), counts
 * itself, then hands its place on: spawns the next coroutine (onto this worker's deque) until
 * total have been spawned, so that only those spawned first run alongside at any time. */
static void yield_sleep_yield(void *arg)
{
    struct many *mm = arg;
    int id = green_id(green_self());
    int first = green_worker(), moved = 0;

    green_yield();
    moved |= green_worker() != first;
    nap_ms(1 + (uint64_t)(id % 3));
    moved |= green_worker() != first;
    green_yield();
    moved |= green_worker() != first;
    if (moved)
        atomic_fetch_add(&mm->moved, 1);
    if (id < 0 || id >= mm->total)
        atomic_fetch_add(&mm->errors, 1);
    else
        atomic_fetch_add(&mm->count[id], 1);
    if (atomic_fetch_add(&mm->started, 1) < mm->total &&
        green_mn_spawn(mm->m, yield_sleep_yield, mm) != 0)
        atomic_fetch_add(&mm->errors, 1);
}

/* total coroutines on 2 workers, alive at once at most: the first spawned from here before the
 * run, each later one by a coroutine as it finishes. Each must have run exactly once; under
 * stack=copy (copy: skipped where the build has none) none may have moved once started. */
static void run_many(int total, int alive, int copy)
{
    int workers = 2;
    struct many mm = {.total = total, .m = copy ? mn_copy_new(workers) : mn_new(workers)};

    mm.count = calloc((size_t)total, sizeof(atomic_int)); /* after a skip: nothing to leak */
    assert_non_null(mm.count);
    atomic_store(&mm.started, alive);
    for (int i = 0; i < alive; i++)
        assert_int_equal(green_mn_spawn(mm.m, yield_sleep_yield, &mm), 0);
    assert_int_equal(green_mn_run(mm.m), 0);
    assert_int_equal(atomic_load(&mm.errors), 0);
    for (int i = 0; i < total; i++)
        if (atomic_load(&mm.count[i]) != 1)
            fail_msg("coroutine %d ran %d times", i, atomic_load(&mm.count[i]));
    assert_int_equal(green_mn_live(mm.m), 0);
    assert_int_equal(green_mn_failed(mm.m), 0);
    /* Slots were reused: a worker reuses the slot of the coroutine that spawned the next one
     * (freed just after) from then on, so each worker maps at most one beyond the first ones. */
    assert_true(green_mn_stacks(mm.m) <= (size_t)(alive + workers));
    if (copy) { /* one run stack per worker, nothing else mapped; bound once started */
        assert_int_equal(green_mn_stacks(mm.m), workers);
        assert_int_equal(atomic_load(&mm.moved), 0);
    }
    print_message("%d coroutines, at most %d alive, %zu stacks, %ld moved between workers, "
                  "%lu steals\n",
                  total, alive, green_mn_stacks(mm.m), atomic_load(&mm.moved),
                  green_mn_steals(mm.m));
    assert_int_equal(green_mn_free(mm.m), 0);
    free(mm.count);
}

static void test_every_coroutine_once(void **state)
{
    (void)state;
    run_many(AT_ONCE, AT_ONCE, 0);
}

/* The sanitizers' 100,000: a bounded number alive, each finishing one spawning the next. */
static void test_every_coroutine_once_relay(void **state)
{
    (void)state;
    run_many(RELAY_TOTAL, RELAY_ALIVE, 0);
}

/* ---- a steal that must happen ---- */

/* X starts Y on its worker, then yields until it has moved, or Y has moved. Either a thief took
 * Y (Y moved), or X's worker runs Y, which spins until X moved: X's worker is then busy, so the
 * only way X runs again is the other, idle worker stealing it. No timing decides the outcome. */
struct pair {
    struct green_mn *m;
    int home;
    atomic_int x_moved, y_moved;
};

static void y_spin(void *arg)
{
    struct pair *p = arg;
    double give_up = now_s() + GIVE_UP_S;

    if (green_worker() != p->home) {
        atomic_store(&p->y_moved, 1);
        return;
    }
    while (!atomic_load(&p->x_moved))
        if (now_s() > give_up)
            fail_msg("X never moved to the idle worker");
}

static void x_yield(void *arg)
{
    struct pair *p = arg;

    p->home = green_worker();
    assert_int_equal(green_mn_spawn(NULL, y_spin, p), -EINVAL);
    assert_int_equal(green_mn_spawn(p->m, y_spin, p), 0); /* onto this worker's deque */
    while (!atomic_load(&p->y_moved)) {
        green_yield();
        if (green_worker() != p->home) {
            atomic_store(&p->x_moved, 1);
            break;
        }
    }
}

static void test_steal_happens(void **state)
{
    struct pair p = {0};

    (void)state;
    p.m = mn_new(2);
    assert_int_equal(green_mn_spawn(p.m, x_yield, &p), 0);
    assert_int_equal(green_mn_run(p.m), 0);
    assert_true(atomic_load(&p.x_moved) || atomic_load(&p.y_moved));
    assert_true(green_mn_steals(p.m) >= 1);
    assert_int_equal(green_mn_free(p.m), 0);
}

/* ---- wakes across workers: a ping-pong where a lost wake would hang ---- */

#define PINGS 20000

struct pingpong {
    struct green_thread *g[2];
    atomic_int turn; /* whose move it is: 0 or 1 */
    atomic_int ready;
};

static void player(void *arg)
{
    struct pingpong *pp = arg;
    int me = green_id(green_self()), other = 1 - me;

    pp->g[me] = green_self();
    atomic_fetch_add(&pp->ready, 1);
    while (atomic_load(&pp->ready) < 2)
        green_yield();
    for (int i = 0; i < PINGS; i++) {
        while (atomic_load(&pp->turn) != me)
            green_park(); /* spurious returns are allowed: look again */
        atomic_store(&pp->turn, other);
        green_wake(pp->g[other]);
    }
}

static void test_cross_worker_wakes(void **state)
{
    struct pingpong pp = {0};
    struct green_mn *m = mn_new(2);

    (void)state;
    assert_int_equal(green_mn_spawn(m, player, &pp), 0);
    assert_int_equal(green_mn_spawn(m, player, &pp), 0);
    assert_int_equal(green_mn_run(m), 0);
    assert_int_equal(atomic_load(&pp.turn), 0); /* 2 * PINGS moves: back to the first */
    assert_int_equal(green_mn_free(m), 0);
}

/* ---- deadlock, pinning, refusals ---- */

static void park_forever(void *arg)
{
    (void)arg;
    green_park();
    fail_msg("woken although nobody wakes it");
}

static void nothing(void *arg)
{
    atomic_fetch_add((atomic_int *)arg, 1);
}

static void test_deadlock(void **state)
{
    atomic_int ran = 0;
    struct green_mn *m = mn_new(2);

    (void)state;
    assert_int_equal(green_mn_spawn(m, park_forever, NULL), 0);
    for (int i = 0; i < 10; i++)
        assert_int_equal(green_mn_spawn(m, nothing, &ran), 0);
    assert_int_equal(green_mn_run(m), -EDEADLK);
    assert_int_equal(atomic_load(&ran), 10);
    assert_int_equal(green_mn_live(m), 1);
    assert_int_equal(green_mn_free(m), 0); /* reclaims the stuck coroutine's stack */
}

/* One worker: the first coroutine yields until all the others have run. They wait on the
 * injection queue, more than one take of it, and its yields keep the worker busy for good: only
 * a worker that takes injected spawns although it has work of its own ever runs them all. */
#define STARVED       1000
#define STARVE_YIELDS 200000 /* it gives up after this many (the scheduler needs ~1,000) */

struct starve {
    atomic_int ran; /* first: `nothing` counts on it */
    int gave_up;
};

static void yield_until_all_ran(void *arg)
{
    struct starve *st = arg;

    for (long i = 0; atomic_load(&st->ran) < STARVED; i++) {
        if (i == STARVE_YIELDS) {
            st->gave_up = 1;
            return;
        }
        green_yield();
    }
}

static void test_injected_not_starved(void **state)
{
    struct starve st = {0};
    struct green_mn *m = mn_new(1);

    (void)state;
    assert_int_equal(green_mn_spawn(m, yield_until_all_ran, &st), 0);
    for (int i = 0; i < STARVED; i++)
        assert_int_equal(green_mn_spawn(m, nothing, &st.ran), 0);
    assert_int_equal(green_mn_run(m), 0);
    assert_int_equal(st.gave_up, 0);
    assert_int_equal(atomic_load(&st.ran), STARVED);
    assert_int_equal(green_mn_free(m), 0);
}

/* A pinned coroutine that yields many times while the other worker looks for work never moves. */
static void pinned_yielder(void *arg)
{
    int home = green_worker();

    green_pin(1);
    for (int i = 0; i < 2000; i++) {
        green_yield();
        if (green_worker() != home)
            atomic_fetch_add((atomic_int *)arg, 1);
    }
    green_pin(0);
}

static void test_pinned_stays(void **state)
{
    atomic_int moved = 0;
    struct green_mn *m = mn_new(2);

    (void)state;
    for (int i = 0; i < 4; i++)
        assert_int_equal(green_mn_spawn(m, pinned_yielder, &moved), 0);
    assert_int_equal(green_mn_run(m), 0);
    assert_int_equal(atomic_load(&moved), 0);
    assert_int_equal(green_mn_free(m), 0);
}

/* Two coroutines pinned on different workers wake each other: a wake from the other worker sends
 * a pinned coroutine home (it used to follow its waker, taking its loop-bound state along). */
struct homes {
    struct green_thread *g[2];
    atomic_int first_worker; /* -1 until the first has pinned itself */
    atomic_int arrived, ready, turn, moved;
};

static void home_player(void *arg)
{
    struct homes *h = arg;
    int me = atomic_fetch_add(&h->arrived, 1), home;

    if (me == 1) /* unpinned until another worker has stolen it */
        while (atomic_load(&h->first_worker) < 0 || green_worker() == atomic_load(&h->first_worker))
            green_yield();
    green_pin(1);
    home = green_worker();
    h->g[me] = green_self();
    if (me == 0)
        atomic_store(&h->first_worker, home);
    atomic_fetch_add(&h->ready, 1);
    while (atomic_load(&h->ready) < 2)
        green_yield();
    for (int i = 0; i < PINGS; i++) {
        while (atomic_load(&h->turn) != me)
            green_park();
        if (green_worker() != home)
            atomic_fetch_add(&h->moved, 1);
        atomic_store(&h->turn, 1 - me);
        green_wake(h->g[1 - me]);
    }
}

static void test_pinned_woken_elsewhere(void **state)
{
    struct homes h = {.first_worker = -1};
    struct green_mn *m = mn_new(2);

    (void)state;
    assert_int_equal(green_mn_spawn(m, home_player, &h), 0);
    assert_int_equal(green_mn_spawn(m, home_player, &h), 0);
    assert_int_equal(green_mn_run(m), 0);
    assert_int_equal(atomic_load(&h.turn), 0);
    assert_int_equal(atomic_load(&h.moved), 0);
    assert_int_equal(green_mn_free(m), 0);
}

/* ---- stack=copy: stolen only before the first run, bound to its worker from then on ---- */

/* Spins, never parking (its worker stays busy), until *v reaches want; fails after GIVE_UP_S
 * saying what never happened. */
static void spin_until(atomic_int *v, int want, const char *what)
{
    double give_up = now_s() + GIVE_UP_S;

    while (atomic_load(v) < want)
        if (now_s() > give_up)
            fail_msg("%s", what);
}

/* Notes the worker at every resume after the first; a copy coroutine that resumed on another
 * worker than it started on would run on frames copied to another run stack (and likely crash
 * before the count shows it). */
static void note_worker(atomic_long *moved, int first)
{
    if (green_worker() != first)
        atomic_fetch_add(moved, 1);
}

/* Both counts of run_many under stack=copy: each coroutine may be stolen before its first run,
 * never after (run_many checks that none moved). */
static void test_copy_every_coroutine_once(void **state)
{
    (void)state;
    run_many(AT_ONCE, AT_ONCE, 1);
    run_many(RELAY_TOTAL, RELAY_ALIVE, 1);
}

/* A parent spawns KIDS children onto its worker's deque and spins, never parking, until every
 * one has started: its worker is busy, so each child can only have been stolen, unstarted, by the
 * other worker. The children sleep (a worker steals only when it has nothing of its own to run)
 * until the parent has returned and its worker is idle, stealing what it can, then yield and
 * sleep some more: none may move. No timing decides the outcome. */
#define KIDS 64

struct brood {
    struct green_mn *m;
    int parent_worker;
    atomic_int started, parent_done;
    atomic_int kid_worker[KIDS];
    atomic_long moved;
};

static void kid(void *arg)
{
    struct brood *b = arg;
    int me = atomic_fetch_add(&b->started, 1), first = green_worker();

    atomic_store(&b->kid_worker[me], first);
    while (!atomic_load(&b->parent_done)) {
        nap_ms(1);
        note_worker(&b->moved, first);
    }
    for (int i = 0; i < 200; i++) {
        green_yield();
        note_worker(&b->moved, first);
    }
    nap_ms(1);
    note_worker(&b->moved, first);
}

static void parent(void *arg)
{
    struct brood *b = arg;

    b->parent_worker = green_worker();
    for (int i = 0; i < KIDS; i++)
        assert_int_equal(green_mn_spawn(b->m, kid, b), 0); /* onto this worker's deque */
    spin_until(&b->started, KIDS, "the idle worker never stole the unstarted children");
    atomic_store(&b->parent_done, 1);
}

static void test_copy_steal_unstarted_only(void **state)
{
    struct brood b = {0};

    (void)state;
    b.m = mn_copy_new(2);
    assert_int_equal(green_mn_spawn(b.m, parent, &b), 0);
    assert_int_equal(green_mn_run(b.m), 0);
    for (int i = 0; i < KIDS; i++)
        assert_int_not_equal(atomic_load(&b.kid_worker[i]), b.parent_worker);
    assert_true(green_mn_steals(b.m) >= KIDS); /* every child, none after it started */
    assert_int_equal(atomic_load(&b.moved), 0);
    assert_int_equal(green_mn_free(b.m), 0);
}

/* Two copy coroutines on different workers (the second stolen before its first run, as above)
 * wake each other: a bound coroutine woken from the other worker goes home, as a pinned one. */
struct copy_pair {
    struct green_mn *m;
    struct green_thread *g[2];
    int worker[2];
    atomic_int ready, turn;
    atomic_long moved;
};

static void copy_player(struct copy_pair *cp, int me)
{
    for (int i = 0; i < PINGS; i++) {
        while (atomic_load(&cp->turn) != me)
            green_park();
        note_worker(&cp->moved, cp->worker[me]);
        atomic_store(&cp->turn, 1 - me);
        green_wake(cp->g[1 - me]);
    }
}

static void copy_second(void *arg)
{
    struct copy_pair *cp = arg;

    cp->g[1] = green_self();
    cp->worker[1] = green_worker();
    atomic_store(&cp->ready, 1);
    copy_player(cp, 1);
}

static void copy_first(void *arg)
{
    struct copy_pair *cp = arg;

    cp->g[0] = green_self();
    cp->worker[0] = green_worker();
    assert_int_equal(green_mn_spawn(cp->m, copy_second, cp), 0);
    /* this worker busy: the second can only start on the other */
    spin_until(&cp->ready, 1, "the second coroutine was never stolen");
    copy_player(cp, 0);
}

static void test_copy_wakes_go_home(void **state)
{
    struct copy_pair cp = {0};

    (void)state;
    cp.m = mn_copy_new(2);
    assert_int_equal(green_mn_spawn(cp.m, copy_first, &cp), 0);
    assert_int_equal(green_mn_run(cp.m), 0);
    assert_int_not_equal(cp.worker[0], cp.worker[1]);
    assert_int_equal(atomic_load(&cp.turn), 0);
    assert_int_equal(atomic_load(&cp.moved), 0);
    assert_int_equal(green_mn_free(cp.m), 0);
}

/* A deadlock leaves a copy coroutine parked whose frames (4 KiB of locals: above the size
 * classes, malloc'd) were saved by the worker that stole it, in a struct of the worker that
 * created it: green_mn_free frees that buffer once (a double free or a leak would show under a
 * malloc checker; here it must at least not crash). */
struct stuck {
    struct green_mn *m;
    atomic_int started;
};

static void deep_park(void *arg)
{
    struct stuck *st = arg;
    volatile char frame[4096];

    frame[0] = 1;
    frame[sizeof(frame) - 1] = 1;
    atomic_fetch_add(&st->started, 1);
    green_park(); /* nobody wakes it */
    fail_msg("woken although nobody wakes it (%d)", frame[0] + frame[sizeof(frame) - 1]);
}

static void push_out(void *arg)
{
    atomic_fetch_add(&((struct stuck *)arg)->started, 1);
}

static void stuck_parent(void *arg)
{
    struct stuck *st = arg;

    assert_int_equal(green_mn_spawn(st->m, deep_park, st), 0);
    spin_until(&st->started, 1, "deep_park was never stolen");
    /* the next coroutine on that worker's run stack copies deep_park's frames out */
    assert_int_equal(green_mn_spawn(st->m, push_out, st), 0);
    spin_until(&st->started, 2, "push_out was never stolen");
}

static void test_copy_deadlock_frees(void **state)
{
    struct stuck st = {0};

    (void)state;
    st.m = mn_copy_new(2);
    assert_int_equal(green_mn_spawn(st.m, stuck_parent, &st), 0);
    assert_int_equal(green_mn_run(st.m), -EDEADLK);
    assert_int_equal(green_mn_live(st.m), 1);
    assert_int_equal(green_mn_free(st.m), 0);
}

static void spin_a_while(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++)
        green_yield();
}

/* In a child: on two workers, a coroutine overflows its stack (its own guarded one, or its
 * worker's copy run stack) for real while others run. It must die of SIGSEGV and (without a
 * sanitizer, whose own report takes over) name the coroutine that overflowed. */
static void mn_overflow_dies(const struct green_config *cfg)
{
    int status, fd, result = 0;
    char msg[1024];
    pid_t pid;

    pid = fork_stderr_piped(&fd);
    if (pid == 0) {
        struct green_mn *m;

        signal(SIGSEGV, SIG_DFL); /* sanitizer builds: die of the signal, no report */
        m = green_mn_new(2, cfg);
        if (m == NULL || green_mn_spawn(m, spin_a_while, NULL) != 0 ||
            green_mn_spawn(m, overflow_stack, &result) != 0 ||
            green_mn_spawn(m, spin_a_while, NULL) != 0)
            _exit(3);
        green_mn_run(m);
        _exit(0); /* not reached */
    }
    status = child_output_status(pid, fd, msg, sizeof(msg));
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSEGV)
        fail_msg("the overflow did not die of SIGSEGV (status %#x): %s", status, msg);
#if !defined(__SANITIZE_THREAD__) && !defined(__SANITIZE_ADDRESS__)
    if (strstr(msg, "green: stack overflow in coroutine 1:") == NULL)
        fail_msg("wanted the overflowing coroutine named in: %s", msg);
#endif
}

/* The overflow detection holds under sched=mn with both stack schemes. */
static void test_overflow_dies(void **state)
{
    struct green_config separate = {.stack_size = 16 * 1024, .guard = 1};
    struct green_config copy = {.stack_size = 16 * 1024, .copy_stack = 1};

    (void)state;
    mn_overflow_dies(&separate);
    if (green_copy_stack_supported())
        mn_overflow_dies(&copy);
}

static void test_refusals(void **state)
{
    struct green_config copy = {.stack_size = 64 * 1024, .copy_stack = 1};
    struct green_mn *m;

    (void)state;
    errno = 0;
    m = green_mn_new(2, &copy);
    if (green_copy_stack_supported()) {
        assert_non_null(m);
        assert_int_equal(green_mn_free(m), 0);
    } else { /* sanitizer builds: no stack=copy, with the reason */
        assert_null(m);
        assert_int_equal(errno, ENOTSUP);
    }
    assert_null(green_mn_new(-1, NULL));
    m = green_mn_new(0, NULL); /* one per CPU */
    assert_non_null(m);
    assert_true(green_mn_workers(m) >= 1);
    assert_null(green_mn_loop(m, green_mn_workers(m)));
    assert_non_null(green_mn_loop(m, 0));
    assert_int_equal(green_mn_run(m), 0); /* nothing spawned: returns at once */
    assert_int_equal(green_mn_free(m), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* the relay first: TSan's clocks still small (the other's fibers would widen them) */
        cmocka_unit_test(test_every_coroutine_once_relay),
        cmocka_unit_test(test_every_coroutine_once),
        cmocka_unit_test(test_steal_happens),
        cmocka_unit_test(test_cross_worker_wakes),
        cmocka_unit_test(test_deadlock),
        cmocka_unit_test(test_injected_not_starved),
        cmocka_unit_test(test_pinned_stays),
        cmocka_unit_test(test_pinned_woken_elsewhere),
        cmocka_unit_test(test_copy_every_coroutine_once),
        cmocka_unit_test(test_copy_steal_unstarted_only),
        cmocka_unit_test(test_copy_wakes_go_home),
        cmocka_unit_test(test_copy_deadlock_frees),
        cmocka_unit_test(test_overflow_dies),
        cmocka_unit_test(test_refusals),
    };

    alarm(400); /* a hang fails the run instead of stalling CI */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
