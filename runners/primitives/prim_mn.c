/* The M:N scheduler's own costs (green:sched=mn, two workers), next to the raw wake it rests on.
 *
 * mn_wake: a coroutine pinned on one worker wakes a coroutine pinned on the other, which wakes it
 * back: one round trip. A wake across workers sends the coroutine home (its worker's home list)
 * and kicks that worker when it is idle (a futex wake and an eventfd write), so the raw partner
 * is futex_wake: two threads waking each other through a futex word, measured in the same child.
 *
 * mn_steal: a coroutine keeps its worker busy (it spins, never parks) and wakes an unpinned one
 * there: the wake pushes it on the busy worker's deque and kicks the idle worker, which steals
 * and runs it. One operation is that push-to-run time, as the stolen coroutine reads the clock.
 * The idle worker may be asleep on its futex or still looking for work: both are what a real
 * push meets. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/clock.h"
#include "runners/green/green.h"
#include "runners/primitives/primitives.h"

#define MN_WORKERS 2

/* ---- the raw reference: a futex ping-pong between two threads ---- */

struct fx_pair {
    atomic_uint word; /* 1: the partner's turn, 0: the main thread's */
    long long trips;
};

static void fx_wait(atomic_uint *w, unsigned while_is)
{
    while (atomic_load(w) == while_is)
        syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, while_is, NULL, NULL, 0);
}

static void fx_set(atomic_uint *w, unsigned v)
{
    atomic_store(w, v);
    syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *fx_partner(void *arg)
{
    struct fx_pair *p = arg;

    for (long long i = 0; i < p->trips; i++) {
        fx_wait(&p->word, 0);
        fx_set(&p->word, 0);
    }
    return NULL;
}

/* The partner answers one trip more: the first, untimed, waits until it runs. */
int prim_futex_wake(long long n, double *seconds, char *err, size_t errlen)
{
    struct fx_pair p = {.trips = n + 1};
    pthread_t t;
    double t0;
    int rc = pthread_create(&t, NULL, fx_partner, &p);

    if (rc != 0)
        return prim_error(err, errlen, "pthread_create", rc);
    fx_set(&p.word, 1);
    fx_wait(&p.word, 1);
    t0 = clock_now_s();
    for (long long i = 0; i < n; i++) {
        fx_set(&p.word, 1);
        fx_wait(&p.word, 1);
    }
    *seconds = clock_now_s() - t0;
    pthread_join(t, NULL);
    return 0;
}

/* ---- the scheduler around both M:N primitives ---- */

/* Two workers, coroutines a and b spawned on the injection queue, run to their end; 0 or a
 * negative errno with err. */
static int mn_run(void (*a)(void *), void (*b)(void *), void *arg, char *err, size_t errlen)
{
    struct green_config cfg = {.stack_size = 64 * 1024, .guard = 1};
    struct green_mn *m = green_mn_new(MN_WORKERS, &cfg);
    int rc;

    if (m == NULL)
        return prim_error(err, errlen, "green_mn_new", errno);
    rc = green_mn_spawn(m, a, arg);
    if (rc == 0)
        rc = green_mn_spawn(m, b, arg);
    if (rc == 0)
        rc = green_mn_run(m);
    green_mn_free(m);
    return rc < 0 ? prim_error(err, errlen, "green:sched=mn", -rc) : 0;
}

/* Until the coroutine of the other worker has set *flag (a busy worker: no park). */
static void spin_until(atomic_llong *flag, long long value)
{
    for (unsigned k = 1; atomic_load(flag) != value; k++)
        if (k % 64 == 0)
            sched_yield(); /* a loaded machine: let the other worker's thread have a CPU */
}

/* ---- mn_wake ---- */

struct mw {
    atomic_int arrived;
    atomic_int first_worker; /* -1 until the first coroutine has pinned itself */
    struct green_thread *first, *second;
    atomic_int ready; /* the second is pinned on the other worker */
    atomic_int turn;  /* 1: the second's, 0: the first's */
    long long trips;
    double seconds;
};

/* The second coroutine: yields until another worker has stolen it, then pins itself there. */
static void mw_place_second(struct mw *x)
{
    while (atomic_load(&x->first_worker) < 0 || green_worker() == atomic_load(&x->first_worker))
        green_yield();
    green_pin(1);
    x->second = green_self();
    atomic_store(&x->ready, 1);
    green_wake(x->first);
}

static void mw_first(struct mw *x)
{
    double t0;

    while (!atomic_load(&x->ready))
        green_park();
    t0 = clock_now_s();
    for (long long i = 0; i < x->trips; i++) {
        atomic_store(&x->turn, 1);
        green_wake(x->second);
        while (atomic_load(&x->turn) != 0)
            green_park();
    }
    x->seconds = clock_now_s() - t0;
}

static void mw_side(void *arg)
{
    struct mw *x = arg;

    if (atomic_fetch_add(&x->arrived, 1) == 0) {
        green_pin(1);
        x->first = green_self();
        atomic_store(&x->first_worker, green_worker());
        mw_first(x);
        return;
    }
    mw_place_second(x);
    for (long long i = 0; i < x->trips; i++) {
        while (atomic_load(&x->turn) != 1)
            green_park();
        atomic_store(&x->turn, 0);
        green_wake(x->first);
    }
}

int prim_mn_wake(long long n, double *seconds, char *err, size_t errlen)
{
    struct mw x = {.first_worker = -1, .trips = n};
    int rc = mn_run(mw_side, mw_side, &x, err, errlen);

    *seconds = x.seconds;
    return rc;
}

/* ---- mn_steal ---- */

struct ms {
    atomic_int arrived;
    struct green_thread *stolen;
    atomic_int ready;
    atomic_llong ran;  /* operations the stolen coroutine has run */
    atomic_int worker; /* the pusher's worker */
    atomic_int moved;  /* operations that ran on the pusher's own worker: none expected */
    long long ops;
    double pushed_at, sum_s;
};

static void ms_pusher(struct ms *x)
{
    green_pin(1);
    atomic_store(&x->worker, green_worker());
    while (!atomic_load(&x->ready))
        green_yield(); /* the other one parks: then it is on no deque */
    for (long long i = 1; i <= x->ops; i++) {
        while (!green_parked(x->stolen))
            sched_yield();
        x->pushed_at = clock_now_s();
        green_wake(x->stolen); /* onto this busy worker's deque; the idle one is kicked */
        spin_until(&x->ran, i);
    }
}

static void ms_side(void *arg)
{
    struct ms *x = arg;

    if (atomic_fetch_add(&x->arrived, 1) == 0) {
        ms_pusher(x);
        return;
    }
    x->stolen = green_self();
    atomic_store(&x->ready, 1);
    for (long long i = 1; i <= x->ops; i++) {
        green_park(); /* the pusher wakes it only once it is parked: no stray permit */
        x->sum_s += clock_now_s() - x->pushed_at;
        if (green_worker() == atomic_load(&x->worker))
            atomic_fetch_add(&x->moved, 1);
        atomic_store(&x->ran, i);
    }
}

int prim_mn_steal(long long n, double *seconds, char *err, size_t errlen)
{
    struct ms x = {.ops = n};
    int rc = mn_run(ms_side, ms_side, &x, err, errlen);

    *seconds = x.sum_s;
    if (rc == 0 && atomic_load(&x.moved) > 0)
        rc = prim_error(err, errlen, "a pushed coroutine ran on its busy worker, not stolen",
                        EPROTO);
    return rc;
}
