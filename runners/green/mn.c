/* M:N green threads (green.h: green_mn_*): coroutines on one worker thread per CPU, as Go and
 * Tokio schedule them.
 *
 * Per-worker hubs, not one shared poller. Every worker is a hub of sched.c with its own libuv
 * loop: a coroutine's wait step registers on the loop of the worker it runs on, and that loop's
 * callback wakes it onto that worker's queue. libuv loops are single-threaded, so one shared
 * poller would need either a lock around every handle operation or a hand-off of every wait to
 * the poller thread and of every wake back (two cross-thread queue operations and a wake-up per
 * wait); per-worker loops need neither, keep the hub design and its code, and a wake from a
 * callback stays on the thread whose cache holds the coroutine. The price: a parked coroutine
 * stays with the loop it waits on, so only runnable coroutines balance (Go's netpoller is shared
 * and hands woken goroutines to any P; Tokio's I/O driver is per runtime, polled by one worker at
 * a time).
 *
 * Balancing: each worker's run queue is a Chase–Lev deque (deque.c). The owner pushes at the
 * bottom and takes from the top (FIFO, like Go's local run queue: a coroutine that yields goes
 * behind the others, which a LIFO pop would starve); an idle worker steals one coroutine from the
 * top of another's deque and sets its g->sched to itself. The initial spawns wait on a global
 * injection queue (a mutex-guarded array: spawns before the run, and wakes from threads that are
 * no worker) and are created by the worker that takes them, a share at a time (Go's globrunqget:
 * len/(2*workers)+1), so stacks come from that worker's free list. A worker takes them when it
 * has nothing else to run, and every MN_INJECT_EVERY rounds even when it has. Finished coroutines'
 * slots go to the free list of the worker they finished on; each slot stays in its creator's `all`
 * list, so green_stacks_free unmaps each exactly once, and every scheduler is freed only after
 * every worker has been joined and every loop closed (a handle on one loop may live on a stack
 * another worker created).
 *
 * Idle workers: with waits pending on its loop a worker blocks in uv_run(UV_RUN_ONCE), woken by a
 * uv_async_t (an eventfd); with nothing pending it parks on a futex. A push wakes one idle worker
 * (at most one kick per idle spell). A global live counter ends the run when it reaches 0; when
 * every worker would park on its futex with coroutines still live and no work anywhere, nothing
 * can ever wake them: -EDEADLK, as one hub reports it.
 *
 * Both stack schemes. stack=separate: any coroutine not pinned may move, its stack goes with it.
 * stack=copy: each worker has its own run stack (with its guard page), struct chunks and frame
 * pool; a started coroutine's frames hold absolute addresses of the run stack it started on, so
 * it could not resume on another worker's. So a copy-stack coroutine may be stolen only before
 * its first run (it has no frames yet; the thief builds them on its own run stack), and from then
 * on it is bound to that worker as if pinned for good (G_PIN_BOUND: thieves leave it, a wake from
 * elsewhere sends it home), its saved frames in that worker's pool. Compute still spreads, since
 * a task's coroutine is stolen before it starts, and a million parked sleepers cost their saved
 * frames (a few hundred bytes), not a stack page each. What balances less: a started coroutine
 * that later computes (a -j coroutine taking task after task) stays where it started. A struct
 * may end on another worker's free list than the chunk it came from: every chunk is freed by its
 * creator after all workers are joined, and a malloc'd frame by whichever chunk holds its struct
 * (green_copy_free_mallocs over all workers first).
 *
 * Sanitizers: TSan fibers may be switched to on any thread, and every hand-over between threads
 * goes through an atomic (the deque, the state CAS of a wake), so it sees the happens-before.
 * ASan's fiber calls take the hub bounds from g->sched after the switch (sched.c), so a
 * coroutine resumed by another worker reports that worker's hub; ASan's fake stacks (detection of
 * use after return) are per thread and off by default: with them on, a migrated coroutine's fake
 * frames would belong to the thread it left.
 *
 * Pinning (green_pin): a coroutine may hold state bound to its worker's loop across several
 * waits (io_bound keeps a task's keep-alive connection, a libuv handle, and its curl multi shard
 * from one request to the next); libuv handles are single-threaded, so such a coroutine must not
 * move. Thieves leave a pinned coroutine at the top of a deque (and steal nothing from that
 * worker this time); its own worker runs it. A wake from another thread (a coroutine on another
 * worker, a thread that is none) sends a pinned coroutine home: onto its worker's home list,
 * which that worker moves to its deque (only a deque's owner pushes), kicked if idle. The green
 * runner pins a task's coroutine from its first wait step to the task's end: cpu_bound's tasks and
 * (stack=separate) -j's coroutines between tasks move. Thread-locals: the scheduler reads green_tls
 * anew after every switch; code inside a coroutine must not keep the address of a thread-local
 * (e.g. errno's) across a park, which the runner's steps do not. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runners/green/green_internal.h"

#define MN_DEQUE_CAPACITY 256
#define MN_INJECT_BATCH   64   /* at most this many injected spawns taken at once */
#define MN_INJECT_COMPACT 4096 /* the injection queue shrinks once this many were taken */
/* Every this many rounds a worker takes from the injection queue even with work of its own (Go
 * looks at its global queue every 61st schedule for the same reason): coroutines that spawn or
 * wake others on their worker would otherwise keep it busy, and the spawns waiting there would
 * wait until the end of the run. */
#define MN_INJECT_EVERY 61

struct mn_spawn {
    void (*fn)(void *arg);
    void *arg;
    int id;
};

struct mn_worker {
    struct green_mn *m;
    struct green_sched *s;
    uv_loop_t loop;
    uv_async_t kick; /* wakes the worker out of uv_run; unreferenced: not a pending wait */
    pthread_t thread;
    int loop_ok;       /* loop and kick initialised: green_mn_free closes them */
    atomic_uint futex; /* bumped by every kick; the parked worker waits on it */
    atomic_int idle;   /* looking for work or waiting for it */
    atomic_int kicked; /* kicked in this idle spell already */
    unsigned seed;     /* where stealing starts */
    unsigned long steals;
    unsigned long rounds; /* of worker_main's loop: MN_INJECT_EVERY */
    /* its pinned coroutines woken from another thread: only the owner pushes on its deque, so
     * they wait here until it takes them (a mutex: a rare path, woken by a kick) */
    pthread_mutex_t home_lock;
    struct green_thread *home;
    atomic_long home_avail;
};

struct green_mn {
    int n;
    struct mn_worker *w;
    struct green_sched **scheds;
    atomic_long live;
    atomic_int next_id;
    atomic_int nidle;
    /* workers parked or about to (low 32 bits) and how many parkings have ended (high 32), in
     * one word so that the last to park sees any change while it looks for work */
    atomic_ullong parking;
    atomic_int stop; /* 0, or the run's end: -EDEADLK, or an error starting a thread */
    atomic_long failed;
    atomic_int spawn_err;
    /* the injection queue */
    pthread_mutex_t lock;
    struct mn_spawn *inj;
    size_t inj_head, inj_len, inj_cap;
    struct green_thread *inj_woken; /* woken from a thread that is no worker */
    atomic_long inj_avail;
};

static int cpus_here(void)
{
    cpu_set_t set;

    if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    return 1;
}

static void kick_noop(uv_async_t *h)
{
    (void)h;
}

static int worker_init(struct green_mn *m, int i, const struct green_config *cfg)
{
    struct mn_worker *w = &m->w[i];
    int rc;

    w->m = m;
    w->seed = (unsigned)i * 2654435761u + 1;
    pthread_mutex_init(&w->home_lock, NULL);
    if ((rc = uv_loop_init(&w->loop)) < 0)
        return -rc;
    w->loop_ok = 1;
    if ((rc = uv_async_init(&w->loop, &w->kick, kick_noop)) < 0)
        return -rc;
    uv_unref((uv_handle_t *)&w->kick);
    w->s = green_sched_new(&w->loop, cfg);
    if (w->s == NULL)
        return errno;
    if (green_deque_init(&w->s->dq, MN_DEQUE_CAPACITY) != 0)
        return ENOMEM;
    w->s->mn = m;
    w->s->worker = i;
    m->scheds[i] = w->s;
    return 0;
}

struct green_mn *green_mn_new(int workers, const struct green_config *cfg)
{
    struct green_mn *m;
    struct green_config one;
    int err = 0;

    if (workers < 0) {
        errno = EINVAL;
        return NULL;
    }
    m = calloc(1, sizeof(*m));
    if (m == NULL)
        return NULL;
    m->n = workers > 0 ? workers : cpus_here();
    m->w = calloc((size_t)m->n, sizeof(*m->w));
    m->scheds = calloc((size_t)m->n, sizeof(*m->scheds));
    pthread_mutex_init(&m->lock, NULL);
    if (m->w == NULL || m->scheds == NULL)
        err = ENOMEM;
    if (cfg != NULL) { /* stack=copy: each worker sizes its first chunk for its share */
        one = *cfg;
        one.expected = (cfg->expected + (size_t)m->n - 1) / (size_t)m->n;
        cfg = &one;
    }
    for (int i = 0; i < m->n && err == 0; i++) {
        err = worker_init(m, i, cfg);
        if (err != 0)
            m->n = i + 1; /* green_mn_free undoes what the failed one got to */
    }
    if (err != 0) {
        green_mn_free(m);
        errno = err;
        return NULL;
    }
    return m;
}

int green_mn_workers(const struct green_mn *m)
{
    return m->n;
}

uv_loop_t *green_mn_loop(struct green_mn *m, int worker)
{
    return worker >= 0 && worker < m->n ? &m->w[worker].loop : NULL;
}

static int finished(struct green_mn *m)
{
    return atomic_load(&m->live) == 0 || atomic_load(&m->stop) != 0;
}

static void kick(struct mn_worker *w)
{
    atomic_fetch_add(&w->futex, 1);
    syscall(SYS_futex, &w->futex, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    uv_async_send(&w->kick);
}

static void kick_all(struct green_mn *m)
{
    for (int i = 0; i < m->n; i++)
        kick(&m->w[i]);
}

/* Work appeared: wake one idle worker that no one has kicked yet. The seq_cst fence orders the
 * caller's push before the load of nidle, against an idle worker's increment of nidle before it
 * looks at the queues: one of the two sees the other. */
static void notify(struct green_mn *m, const struct green_sched *self)
{
    atomic_thread_fence(memory_order_seq_cst);
    if (atomic_load(&m->nidle) == 0)
        return;
    for (int i = 0; i < m->n; i++) {
        struct mn_worker *w = &m->w[i];
        if (w->s != self && atomic_load(&w->idle) && !atomic_exchange(&w->kicked, 1)) {
            kick(w);
            return;
        }
    }
}

void green_mn_done(struct green_mn *m)
{
    if (atomic_fetch_sub(&m->live, 1) == 1)
        kick_all(m);
}

/* Under the lock: the injection queue's woken list. */
static void inject_woken(struct green_mn *m, struct green_thread *g)
{
    pthread_mutex_lock(&m->lock);
    g->next = m->inj_woken;
    m->inj_woken = g;
    atomic_fetch_add(&m->inj_avail, 1);
    pthread_mutex_unlock(&m->lock);
}

/* Pinned g, woken on another thread than its worker's: back to its own worker, which is kicked
 * if idle. The fence pairs with idle()'s, as in notify. */
static void send_home(struct green_mn *m, struct green_thread *g)
{
    struct mn_worker *w = &m->w[g->sched->worker];

    pthread_mutex_lock(&w->home_lock);
    g->next = w->home;
    w->home = g;
    atomic_fetch_add(&w->home_avail, 1);
    pthread_mutex_unlock(&w->home_lock);
    atomic_thread_fence(memory_order_seq_cst);
    if (atomic_load(&w->idle) && !atomic_exchange(&w->kicked, 1))
        kick(w);
}

/* g could not go on a deque (it could not grow): the injection queue, or its own worker's home
 * list if it must not move (pinned or bound), for that worker's next round. */
static void requeue(struct green_mn *m, struct green_thread *g)
{
    if (G_LOAD(g->pinned))
        send_home(m, g);
    else
        inject_woken(m, g);
}

void green_mn_enqueue(struct green_mn *m, struct green_thread *g)
{
    struct green_sched *s = green_tls;

    if (G_LOAD(g->pinned) && g->sched != NULL && g->sched->mn == m && g->sched != s) {
        send_home(m, g); /* a pinned coroutine never moves, whoever wakes it */
        return;
    }
    if (s != NULL && s->mn == m) {
        g->sched = s; /* runnable and not running: it is ours to move */
        if (green_deque_push(&s->dq, g) != 0)
            requeue(m, g);
    } else {
        inject_woken(m, g);
    }
    notify(m, s);
}

int green_mn_spawn(struct green_mn *m, void (*fn)(void *arg), void *arg)
{
    struct green_sched *s = green_tls;
    int err = 0;

    if (m == NULL || fn == NULL)
        return -EINVAL;
    if (s != NULL && s->mn == m) { /* from a coroutine: on its worker */
        struct green_thread *g =
            green_thread_new(s, fn, arg, atomic_fetch_add(&m->next_id, 1), &err);
        if (g == NULL)
            return -(err > 0 ? err : ENOMEM); /* its id stays unused */
        atomic_fetch_add(&m->live, 1);
        green_mn_enqueue(m, g);
        return 0;
    }
    pthread_mutex_lock(&m->lock);
    if (m->inj_len == m->inj_cap) {
        size_t cap = m->inj_cap > 0 ? m->inj_cap * 2 : 1024;
        struct mn_spawn *n = realloc(m->inj, cap * sizeof(*n));
        if (n == NULL) {
            pthread_mutex_unlock(&m->lock);
            return -ENOMEM;
        }
        m->inj = n;
        m->inj_cap = cap;
    }
    m->inj[m->inj_len++] = (struct mn_spawn){fn, arg, atomic_fetch_add(&m->next_id, 1)};
    atomic_fetch_add(&m->live, 1);
    atomic_fetch_add(&m->inj_avail, 1);
    pthread_mutex_unlock(&m->lock);
    notify(m, NULL);
    return 0;
}

/* A spawn that could not get a stack: dropped, counted, the first error kept for green_mn_run. */
static void spawn_failed(struct green_mn *m, int err)
{
    int none = 0;

    atomic_compare_exchange_strong(&m->spawn_err, &none, err > 0 ? err : ENOMEM);
    atomic_fetch_add(&m->failed, 1);
    green_mn_done(m);
}

/* Under the lock, once half of a large injection queue is taken: what is left moves to the front
 * and the array shrinks, so that a million spawns queued before the run (24 bytes each) do not
 * stay in memory beside the million coroutines made from them. */
static void inj_compact(struct green_mn *m)
{
    size_t left = m->inj_len - m->inj_head, cap = left > 1024 ? left : 1024;
    struct mn_spawn *n;

    if (m->inj_head < MN_INJECT_COMPACT || 2 * m->inj_head < m->inj_len)
        return;
    memmove(m->inj, m->inj + m->inj_head, left * sizeof(*m->inj));
    m->inj_head = 0;
    m->inj_len = left;
    n = realloc(m->inj, cap * sizeof(*n));
    if (n != NULL) { /* else the larger array stays: nothing lost */
        m->inj = n;
        m->inj_cap = cap;
    }
}

/* Takes a share of the injection queue onto w's deque (creating the spawns' coroutines here);
 * returns how many it queued. */
static int take_injected(struct mn_worker *w)
{
    struct green_mn *m = w->m;
    struct mn_spawn batch[MN_INJECT_BATCH];
    struct green_thread *woken;
    size_t k, left;
    int queued = 0;

    if (atomic_load(&m->inj_avail) == 0)
        return 0;
    pthread_mutex_lock(&m->lock);
    left = m->inj_len - m->inj_head;
    k = left / (2 * (size_t)m->n) + 1;
    k = k > left ? left : k > MN_INJECT_BATCH ? MN_INJECT_BATCH : k;
    memcpy(batch, m->inj + m->inj_head, k * sizeof(batch[0]));
    m->inj_head += k;
    inj_compact(m);
    woken = m->inj_woken;
    m->inj_woken = NULL;
    for (struct green_thread *g = woken; g != NULL; g = g->next)
        atomic_fetch_sub(&m->inj_avail, 1);
    atomic_fetch_sub(&m->inj_avail, (long)k);
    pthread_mutex_unlock(&m->lock);
    for (size_t i = 0; i < k; i++) {
        int err = 0;
        struct green_thread *g =
            green_thread_new(w->s, batch[i].fn, batch[i].arg, batch[i].id, &err);
        if (g == NULL)
            spawn_failed(m, err);
        else if (green_deque_push(&w->s->dq, g) == 0)
            queued++;
        else
            inject_woken(m, g);
    }
    while (woken != NULL) {
        struct green_thread *g = woken;
        woken = g->next;
        g->sched = w->s;
        if (green_deque_push(&w->s->dq, g) == 0)
            queued++;
        else
            inject_woken(m, g);
    }
    if (queued > 1)
        notify(m, w->s); /* more than this worker runs at once: others may take some */
    return queued;
}

/* Onto w's deque: its pinned coroutines woken elsewhere. How many it queued. */
static int take_home(struct mn_worker *w)
{
    struct green_thread *g;
    int queued = 0;

    if (atomic_load(&w->home_avail) == 0)
        return 0;
    pthread_mutex_lock(&w->home_lock);
    g = w->home;
    w->home = NULL;
    atomic_store(&w->home_avail, 0);
    pthread_mutex_unlock(&w->home_lock);
    while (g != NULL) {
        struct green_thread *next = g->next;
        if (green_deque_push(&w->s->dq, g) == 0) {
            queued++;
        } else { /* the deque could not grow: back home, for the next round */
            pthread_mutex_lock(&w->home_lock);
            g->next = w->home;
            w->home = g;
            atomic_fetch_add(&w->home_avail, 1);
            pthread_mutex_unlock(&w->home_lock);
        }
        g = next;
    }
    return queued;
}

/* A thief's test: a pinned or bound coroutine stays where it is. Its slot outlives it (slots are
 * never unmapped during a run), so reading the flag is safe even if the owner took it meanwhile;
 * the bound bit was set before the owner's push that queued it. */
static int stealable(void *item)
{
    const struct green_thread *g = item;

    return !G_LOAD(g->pinned);
}

/* Idle workers sleep while the other deques' tops are pinned or bound (they could take nothing
 * there): w, having just taken such a top, wakes one if the next is not. */
static void notify_if_stealable(struct mn_worker *w)
{
    void *top = green_deque_peek(&w->s->dq);

    if (top != NULL && stealable(top))
        notify(w->m, w->s);
}

/* One round of w's own queue, oldest first: the coroutines queued now (those queued meanwhile
 * wait for the next round, after a look at the loop, as on one hub). */
static int run_local(struct mn_worker *w)
{
    long n = green_deque_size(&w->s->dq);
    int ran = 0;

    while (n-- > 0) {
        struct green_thread *g;

        while ((g = green_deque_steal(&w->s->dq)) == GREEN_DEQUE_ABORT)
            ; /* a thief took the oldest: the next is ours to try */
        if (g == NULL)
            break;
        if (!stealable(g)) /* the top may now be one a thief can take, where it saw none */
            notify_if_stealable(w);
        green_hub_run_one(w->s, g);
        ran++;
    }
    return ran;
}

/* Steals one runnable coroutine from another worker, starting at a pseudo-random one, and runs
 * it here: 1, or 0 when every other queue was empty. */
static int steal_run(struct mn_worker *w)
{
    struct green_mn *m = w->m;
    int start;

    w->seed = w->seed * 1103515245u + 12345u;
    start = (int)((w->seed >> 16) % (unsigned)m->n);
    for (int k = 0; k < m->n; k++) {
        struct mn_worker *v = &m->w[(start + k) % m->n];
        struct green_thread *g;

        if (v == w)
            continue;
        while ((g = green_deque_steal_if(&v->s->dq, stealable)) == GREEN_DEQUE_ABORT)
            ;
        if (g != NULL) {
            g->sched = w->s;
            w->steals++;
            green_hub_run_one(w->s, g);
            return 1;
        }
    }
    return 0;
}

/* Work w may take: the injection queue, its home list, its deque, another deque's top unless
 * pinned or bound (stack=copy's started coroutines: else an idle worker would spin while another
 * worker's sleepers wake; the owner notifies once such a top is gone, run_local). */
static int work_for(const struct mn_worker *w)
{
    struct green_mn *m = w->m;

    if (atomic_load(&m->inj_avail) > 0 || atomic_load(&w->home_avail) > 0 ||
        green_deque_size(&w->s->dq) > 0)
        return 1;
    for (int i = 0; i < m->n; i++) {
        void *top = &m->w[i] != w ? green_deque_peek(&m->w[i].s->dq) : NULL;
        if (top != NULL && stealable(top))
            return 1;
    }
    return 0;
}

/* Another worker's home list: only that worker takes it, so it is no reason for w to stay up,
 * but the last worker to park must see a coroutine sent home to a worker that is only now waking
 * from its kick, or it would call a deadlock. */
static int work_elsewhere(const struct green_mn *m)
{
    for (int i = 0; i < m->n; i++)
        if (atomic_load(&m->w[i].home_avail) > 0)
            return 1;
    return 0;
}

#define PARK_ONE   1ull
#define PARK_LEAVE ((1ull << 32) - 1) /* one parking ended: count - 1, ends + 1 */

/* Nothing to run: wait on the loop (its waits pending) or on the futex, until a kick. Says
 * deadlock when this is the last worker to park with coroutines live and no work anywhere, and
 * the parking word did not change while it looked: every worker was parked for the whole look
 * (a count alone could be stale: a worker counted when this one arrived may have left since,
 * taken work from its home list out of sight, and even come back). */
static void idle(struct mn_worker *w)
{
    struct green_mn *m = w->m;
    int alive = uv_loop_alive(&w->loop);
    unsigned seq = atomic_load(&w->futex);
    unsigned long long parked = 0;

    atomic_store(&w->kicked, 0);
    atomic_store(&w->idle, 1);
    atomic_fetch_add(&m->nidle, 1);
    if (!alive)
        parked = atomic_fetch_add(&m->parking, PARK_ONE) + PARK_ONE;
    if (!work_for(w) && !finished(m)) {
        if (alive) {
            uv_run(&w->loop, UV_RUN_ONCE);
        } else if ((parked & 0xffffffffull) == (unsigned)m->n && !work_elsewhere(m) &&
                   atomic_load(&m->parking) == parked) {
            atomic_store(&m->stop, -EDEADLK);
            kick_all(m);
        } else {
            syscall(SYS_futex, &w->futex, FUTEX_WAIT_PRIVATE, seq, NULL, NULL, 0);
        }
    }
    if (!alive)
        atomic_fetch_add(&m->parking, PARK_LEAVE);
    atomic_fetch_sub(&m->nidle, 1);
    atomic_store(&w->idle, 0);
}

static void *worker_main(void *arg)
{
    struct mn_worker *w = arg;

    green_tls = w->s;
    green_hint_install(w->s);
#ifdef GREEN_TSAN
    w->s->hub_fiber = __tsan_get_current_fiber();
#endif
    while (!finished(w->m)) {
        int ran;

        take_home(w);
        if (++w->rounds % MN_INJECT_EVERY == 0)
            take_injected(w);
        ran = run_local(w);

        if (ran == 0)
            ran = take_injected(w) > 0 ? run_local(w) : steal_run(w);
        if (ran > 0)
            uv_run(&w->loop, UV_RUN_NOWAIT); /* a worker busy with coroutines still polls */
        else
            idle(w);
    }
    green_hint_remove(w->s);
    green_tls = NULL;
    return NULL;
}

int green_mn_run(struct green_mn *m)
{
    int started = 0, rc = 0;

    if (m == NULL || (green_tls != NULL && green_tls->current != NULL))
        return -EINVAL;
    atomic_store(&m->stop, 0);
    green_hint_share(m->scheds, m->n);
    for (; started < m->n; started++) {
        rc = pthread_create(&m->w[started].thread, NULL, worker_main, &m->w[started]);
        if (rc != 0) {
            atomic_store(&m->stop, -rc);
            kick_all(m);
            break;
        }
    }
    for (int i = 0; i < started; i++)
        pthread_join(m->w[i].thread, NULL);
    green_hint_unshare(m->scheds[0]);
    if (atomic_load(&m->stop) != 0)
        return atomic_load(&m->stop);
    return -atomic_load(&m->spawn_err);
}

static void close_leftover(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

int green_mn_free(struct green_mn *m)
{
    int busy = 0;

    if (m == NULL)
        return 0;
    for (int i = 0; i < m->n && m->w != NULL; i++) { /* every loop first: see the top */
        if (!m->w[i].loop_ok)
            continue;
        uv_walk(&m->w[i].loop, close_leftover, NULL);
        uv_run(&m->w[i].loop, UV_RUN_DEFAULT);
        busy += uv_loop_close(&m->w[i].loop) != 0;
    }
    if (m->scheds != NULL) { /* stack=copy: scheds fill in order, so the first k exist */
        int k = 0;
        while (k < m->n && m->scheds[k] != NULL)
            k++;
        green_copy_free_mallocs(m->scheds, k);
    }
    for (int i = 0; i < m->n && m->w != NULL; i++) {
        pthread_mutex_destroy(&m->w[i].home_lock);
        if (m->w[i].s != NULL) {
            green_deque_free(&m->w[i].s->dq);
            green_sched_free(m->w[i].s);
        }
    }
    pthread_mutex_destroy(&m->lock);
    free(m->inj);
    free(m->scheds);
    free(m->w);
    free(m);
    return busy;
}

size_t green_mn_live(const struct green_mn *m)
{
    return (size_t)atomic_load(&((struct green_mn *)m)->live);
}

size_t green_mn_failed(const struct green_mn *m)
{
    return (size_t)atomic_load(&((struct green_mn *)m)->failed);
}

size_t green_mn_stacks(const struct green_mn *m)
{
    size_t n = 0;

    for (int i = 0; i < m->n; i++)
        n += green_sched_stacks(m->w[i].s);
    return n;
}

size_t green_mn_unguarded(const struct green_mn *m)
{
    size_t n = 0;

    for (int i = 0; i < m->n; i++)
        n += green_sched_unguarded(m->w[i].s);
    return n;
}

size_t green_mn_guard_off_at(const struct green_mn *m)
{
    size_t at = 0;

    for (int i = 0; i < m->n; i++)
        if (green_sched_guard_off_at(m->w[i].s) > at)
            at = green_sched_guard_off_at(m->w[i].s);
    return at;
}

unsigned long green_mn_steals(const struct green_mn *m)
{
    unsigned long n = 0;

    for (int i = 0; i < m->n; i++)
        n += m->w[i].steals;
    return n;
}
