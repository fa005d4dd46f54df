/* uring: every task is a chain of completions on one io_uring (liburing), as evloop's are
 * callbacks on one libuv loop. Wait steps go to the ring through the workload's io_uring face
 * (workloads/uring_face.h: sleep is a timeout request per task); a workload without that face has
 * its waits run blocking on the model's pool. Compute steps go to a pool of threads (-j, else one
 * per CPU) that hand them back through an eventfd read on the ring, or with compute=inline run on
 * the loop thread and block it. io_bound (client=raw) runs its requests on the ring too
 * (workloads/http_raw_uring.h; recv= says how it receives). The case's warning counts the
 * io_uring_enter calls, the model's system call per round. Built with liburing only; io_uring is
 * probed when the model runs: a kernel without it, kernel.io_uring_disabled, or
 * CONCBENCH_URING_DISABLE=1 in the environment (the tests' forced case) is an error on the case
 * that says so, and no task runs. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "common/bulk_alloc.h"
#include "common/clock.h"
#include "runners/runner.h"
#include "workloads/uring_face.h"

#define URING_ENTRIES    4096  /* submission queue; a full one is submitted, then refilled */
#define URING_CQ_ENTRIES 65536 /* completion queue; the kernel keeps overflow (FEAT_NODROP) */

static const struct param_spec uring_options[] = {
    {"compute", PARAM_CHOICE, "pool", 0, 0, "pool|inline",
     "pool = compute steps on a pool of threads (--workers, else one per CPU) that hand them back "
     "through an eventfd on the ring; inline = on the loop thread",
     0},
    {"recv", PARAM_CHOICE, "auto", 0, 0, "auto|multishot|provided|plain",
     "how io_bound (client=raw) receives: multishot = one multishot recv per connection into a "
     "provided-buffer ring (Linux 6.0); provided = a recv per read into that ring (5.19); plain = "
     "a recv per read into the connection's own buffer; auto = the first this kernel has (the "
     "case's warnings say which ran)",
     0},
    {0},
};

struct uring_task {
    struct task_ctx t;
    struct uring_wait w;
    struct uring_task *next; /* in the pool's queue or its done list */
    int status;              /* of the step the pool ran */
};

struct uring_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct uring_task *head, *tail, *done;
    int stop, efd, threads, outstanding;
    pthread_t *tid;
    struct run_ctx *ctx;
};

struct uring_loop {
    struct uring_ring ur;
    struct run_ctx *ctx;
    struct uring_pool *pool;
    struct uring_op efd_op;
    uint64_t efd_value;
    int efd_armed, inline_compute, remaining;
    int waits_on_ring;   /* the workload's waits go on the ring (else on the pool) */
    char note[160];      /* the workload's word on how it ran on the ring */
    struct task_env env; /* every task's: the run's, with the ring's completion callback */
};

static struct uring_loop *the_loop; /* one per repetition's process */

static void *pool_main(void *arg)
{
    struct uring_pool *p = arg;
    static int next_id;
    int id = __atomic_add_fetch(&next_id, 1, __ATOMIC_RELAXED);
    uint64_t one = 1;

    pthread_mutex_lock(&p->mu);
    for (;;) {
        struct uring_task *ut;
        while (p->head == NULL && !p->stop)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->head == NULL)
            break;
        ut = p->head;
        p->head = ut->next;
        if (p->head == NULL)
            p->tail = NULL;
        pthread_mutex_unlock(&p->mu);
        ut->t.rec->worker = id;
        ut->status = task_step_block(p->ctx, &ut->t);
        pthread_mutex_lock(&p->mu);
        ut->next = p->done;
        p->done = ut;
        pthread_mutex_unlock(&p->mu);
        while (write(p->efd, &one, sizeof(one)) < 0 && errno == EINTR)
            ;
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void pool_stop(struct uring_pool *p, int started)
{
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < started; i++)
        pthread_join(p->tid[i], NULL);
    if (p->efd >= 0)
        close(p->efd);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p->tid);
    free(p);
}

static struct uring_pool *pool_start(struct run_ctx *ctx, int threads)
{
    struct uring_pool *p = calloc(1, sizeof(*p));
    int rc = 0, started = 0;

    if (p == NULL || (p->tid = calloc((size_t)threads, sizeof(*p->tid))) == NULL) {
        free(p);
        run_limit_error(ctx, "allocating the uring pool", ENOMEM, 0, threads);
        return NULL;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->ctx = ctx;
    p->threads = threads;
    p->efd = eventfd(0, EFD_CLOEXEC);
    if (p->efd < 0) {
        run_limit_error(ctx, "eventfd for the uring pool", errno, 0, threads);
        pool_stop(p, 0);
        return NULL;
    }
    for (; started < threads; started++)
        if ((rc = pthread_create(&p->tid[started], NULL, pool_main, p)) != 0)
            break;
    if (rc != 0) {
        run_thread_error(ctx, "starting the uring pool: pthread_create", rc, started, threads, 0);
        pool_stop(p, started);
        return NULL;
    }
    return p;
}

static void uring_run_steps(struct uring_loop *l, struct uring_task *ut);

static void uring_advance(struct uring_loop *l, struct uring_task *ut, int status)
{
    if (task_step_done(l->ctx, &ut->t, status)) {
        uring_run_steps(l, ut);
    } else {
        task_end(l->ctx, &ut->t);
        l->remaining--;
    }
}

static void wait_done(struct task_ctx *t, int status)
{
    uring_advance(the_loop, t->owner, status);
}

static int arm_efd(struct uring_loop *l)
{
    struct io_uring_sqe *sqe;

    if (l->efd_armed)
        return 0;
    if ((sqe = uring_get_sqe(&l->ur)) == NULL)
        return -EBUSY;
    io_uring_prep_read(sqe, l->pool->efd, &l->efd_value, sizeof(l->efd_value), 0);
    io_uring_sqe_set_data(sqe, &l->efd_op);
    l->efd_armed = 1;
    return 0;
}

/* The pool said some steps are done: each task goes on from there, on the loop thread. */
static void pool_drained(struct uring_op *op, int res, unsigned flags)
{
    struct uring_loop *l = the_loop;
    struct uring_pool *p = l->pool;
    struct uring_task *done;

    (void)op;
    (void)res;
    (void)flags;
    l->efd_armed = 0;
    pthread_mutex_lock(&p->mu);
    done = p->done;
    p->done = NULL;
    pthread_mutex_unlock(&p->mu);
    while (done != NULL) {
        struct uring_task *ut = done;
        done = ut->next;
        p->outstanding--;
        uring_advance(l, ut, ut->status);
    }
    if (p->outstanding > 0)
        arm_efd(l);
}

static int pool_queue(struct uring_loop *l, struct uring_task *ut)
{
    struct uring_pool *p = l->pool;
    int rc;

    if (p == NULL)
        return -ENOSYS;
    if ((rc = arm_efd(l)) < 0)
        return rc;
    ut->next = NULL;
    task_queued(&ut->t);
    pthread_mutex_lock(&p->mu);
    if (p->tail != NULL)
        p->tail->next = ut;
    else
        p->head = ut;
    p->tail = ut;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    p->outstanding++;
    return 0;
}

/* Starts steps of a task until one is under way or the task is over. */
static void uring_run_steps(struct uring_loop *l, struct uring_task *ut)
{
    struct run_ctx *ctx = l->ctx;
    const struct workload *wl = ctx->wl;
    struct task_ctx *t = &ut->t;
    int status;

    for (;;) {
        int compute = wl->step_kind(ctx->wl_instance, t->step) == STEP_COMPUTE;

        if (!compute && l->waits_on_ring) {
            status = wl->uring->step_start(ctx->wl_instance, t, &ut->w);
            if (status == 0)
                return;
        } else if (compute && l->inline_compute) {
            status = task_step_block(ctx, t);
        } else {
            status = pool_queue(l, ut);
            if (status == 0)
                return;
        }
        if (!task_step_done(ctx, t, status)) {
            task_end(ctx, t);
            l->remaining--;
            return;
        }
    }
}

/* What the model needs of the pool: for compute steps (unless inline) and for waits that have no
 * io_uring face. */
static int needs_pool(const struct run_ctx *ctx, const struct uring_loop *l)
{
    for (int i = 0; i < ctx->wl->steps(ctx->wl_instance); i++) {
        int compute = ctx->wl->step_kind(ctx->wl_instance, i) == STEP_COMPUTE;
        if (compute ? !l->inline_compute : !l->waits_on_ring)
            return 1;
    }
    return 0;
}

/* Whether the workload's waits go on the ring; when it has a face that declines this instance,
 * the reason is the model's note. */
static int waits_on_ring(struct run_ctx *ctx, char *note, size_t len)
{
    const struct workload_uring *face = ctx->wl->uring;

    if (face == NULL)
        return 0;
    if (face->usable == NULL)
        return 1;
    return face->usable(ctx->wl_instance, note, len);
}

/* The case's warning: io_uring_enter calls per wait step (the model's point: how few system
 * calls a wait costs), and the workload's note on how it ran. */
static void note_warning(struct run_ctx *ctx, const struct uring_loop *l)
{
    long long waits = 0;
    char per[48] = "";

    for (int i = 0; i < ctx->wl->steps(ctx->wl_instance); i++)
        waits += ctx->wl->step_kind(ctx->wl_instance, i) == STEP_WAIT;
    waits *= ctx->tasks;
    if (ctx->warning[0] != '\0')
        return;
    if (waits > 0)
        snprintf(per, sizeof(per), ", %.2f per wait", (double)l->ur.enters / (double)waits);
    snprintf(ctx->warning, sizeof(ctx->warning), "io_uring_enter: %llu call%s%s%s%s", l->ur.enters,
             l->ur.enters == 1 ? "" : "s", per, l->note[0] != '\0' ? "; " : "", l->note);
}

/* io_uring, if this process may use it: 0, or a negative errno with ctx->error saying why not. */
static int ring_open(struct run_ctx *ctx, struct io_uring *ring)
{
    const char *off = getenv("CONCBENCH_URING_DISABLE");
    struct io_uring_params params = {.flags = IORING_SETUP_CQSIZE, .cq_entries = URING_CQ_ENTRIES};
    FILE *f = fopen("/proc/sys/kernel/io_uring_disabled", "r");
    int disabled = 0, rc;

    if (f != NULL) {
        if (fscanf(f, "%d", &disabled) != 1)
            disabled = 0;
        fclose(f);
    }
    if (off != NULL && off[0] != '\0' && strcmp(off, "0") != 0) {
        snprintf(ctx->error, sizeof(ctx->error),
                 "io_uring unavailable: CONCBENCH_URING_DISABLE=%s in the environment", off);
        return -ENOSYS;
    }
    if (disabled == 2) {
        snprintf(ctx->error, sizeof(ctx->error),
                 "io_uring unavailable: disabled on this machine (kernel.io_uring_disabled=2)");
        return -EPERM;
    }
    rc = io_uring_queue_init_params(URING_ENTRIES, ring, &params);
    if (rc == 0)
        return 0;
    if (rc == -EPERM && disabled == 1)
        snprintf(ctx->error, sizeof(ctx->error),
                 "io_uring unavailable: kernel.io_uring_disabled=1 allows it only to root and "
                 "the group kernel.io_uring_group");
    else if (rc == -ENOSYS)
        snprintf(ctx->error, sizeof(ctx->error),
                 "io_uring unavailable: this kernel has no io_uring (io_uring_setup: %s)",
                 strerror(-rc));
    else
        snprintf(ctx->error, sizeof(ctx->error), "io_uring unavailable: io_uring_setup: %s%s",
                 strerror(-rc), rc == -ENOMEM ? " (RLIMIT_MEMLOCK on older kernels)" : "");
    return rc;
}

static const struct {
    const char *name;
    enum uring_recv recv;
} recv_names[] = {
    {"auto", URING_RECV_AUTO},
    {"multishot", URING_RECV_MULTISHOT},
    {"provided", URING_RECV_PROVIDED},
    {"plain", URING_RECV_PLAIN},
};

static enum uring_recv recv_option(const struct param_set *opts)
{
    const char *v = params_str(opts, uring_options, "recv");

    for (size_t i = 0; i < sizeof(recv_names) / sizeof(recv_names[0]); i++)
        if (strcmp(v, recv_names[i].name) == 0)
            return recv_names[i].recv;
    return URING_RECV_AUTO;
}

/* One round: one io_uring_enter (submit what is queued, wait for wait_nr completions), then
 * every completion there is. A negative errno when the enter failed for good. */
static int ring_round(struct uring_loop *l, unsigned wait_nr)
{
    struct io_uring_cqe *cqe;
    unsigned head;

    l->ur.enters++;
    int rc = io_uring_submit_and_wait(&l->ur.ring, wait_nr);
    if (rc < 0 && rc != -EINTR && rc != -EBUSY && rc != -EAGAIN)
        return rc;
    io_uring_for_each_cqe(&l->ur.ring, head, cqe)
    {
        struct uring_op *op = io_uring_cqe_get_data(cqe);
        int res = cqe->res;
        unsigned flags = cqe->flags;

        /* the slot goes back before the callback, which may queue more */
        io_uring_cqe_seen(&l->ur.ring, cqe);
        op->complete(op, res, flags);
    }
    return 0;
}

/* Runs the ring until every task is over, a round at a time, each waiting for one completion. */
static int ring_loop(struct uring_loop *l)
{
    while (l->remaining > 0) {
        int rc = ring_round(l, 1);
        if (rc < 0) {
            snprintf(l->ctx->error, sizeof(l->ctx->error), "io_uring_enter: %s (%d tasks not done)",
                     strerror(-rc), l->remaining);
            return rc;
        }
    }
    return 0;
}

/* The workload's per-ring state, when its waits go on the ring. */
static int ring_workload_init(struct uring_loop *l)
{
    const struct workload_uring *face = l->ctx->wl->uring;
    int rc;

    if (!l->waits_on_ring || face->ring_init == NULL)
        return 0;
    rc = face->ring_init(l->ctx->wl_instance, &l->ur, l->note, sizeof(l->note));
    if (rc < 0)
        snprintf(l->ctx->error, sizeof(l->ctx->error), "io_uring: %s", l->note);
    return rc;
}

static void ring_workload_fini(struct uring_loop *l)
{
    const struct workload_uring *face = l->ctx->wl->uring;

    if (l->waits_on_ring && face->ring_fini != NULL)
        face->ring_fini(l->ctx->wl_instance, &l->ur, l->note, sizeof(l->note));
}

/* While tasks are started, a round that does not wait runs once starting them took
 * START_ROUND_NS (the clock is read every START_CHECK tasks). Started all before the first round,
 * 1,000 io_bound tasks had every connect run in one io_uring_enter (25 ms here: the kernel does a
 * loopback handshake inline) before the first request could be sent; now the first requests leave
 * while later tasks are still being started, as with evloop. By time, not by count: a round every
 * 32 tasks made 100,000 sleeps 45 ms slower (3,125 enters of 32 timeouts each). */
#define START_CHECK    32
#define START_ROUND_NS 500000

/* Starts every task: each runs steps until its first one is under way. */
static void start_tasks(struct uring_loop *l, struct uring_task *tasks)
{
    struct run_ctx *ctx = l->ctx;

    uint64_t last_round = clock_now_ns();

    the_loop = l;
    l->env = ctx->env; /* no libuv loop: the ring's face gets its own state */
    l->env.done = wait_done;
    for (int i = 0; i < ctx->tasks; i++) {
        struct uring_task *ut = &tasks[i];
        if (task_begin(ctx, &ut->t, i, 0) != 0) {
            task_end(ctx, &ut->t);
            continue;
        }
        ut->t.owner = ut;
        ut->t.env = &l->env;
        ut->w.ur = &l->ur;
        ut->w.t = &ut->t;
        l->remaining++;
        uring_run_steps(l, ut);
        if (i % START_CHECK == START_CHECK - 1 && io_uring_sq_ready(&l->ur.ring) > 0 &&
            clock_now_ns() - last_round >= START_ROUND_NS) {
            /* an enter that fails here fails again in ring_loop, which reports it */
            (void)ring_round(l, 0);
            last_round = clock_now_ns();
        }
    }
}

static int uring_run(struct run_ctx *ctx)
{
    struct uring_loop l = {.ctx = ctx, .remaining = 0};
    size_t tasks_bytes = (size_t)ctx->tasks * sizeof(struct uring_task);
    struct uring_task *tasks = NULL;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int rc;

    l.inline_compute = strcmp(params_str(ctx->opts, uring_options, "compute"), "inline") == 0;
    l.efd_op.complete = pool_drained;
    l.ur.recv = recv_option(ctx->opts);
    l.waits_on_ring = waits_on_ring(ctx, l.note, sizeof(l.note));
    if ((rc = ring_open(ctx, &l.ur.ring)) < 0)
        return rc;
    if ((rc = ring_workload_init(&l)) < 0)
        goto out_ring;
    tasks = bulk_alloc(tasks_bytes);
    if (tasks == NULL) {
        run_limit_error(ctx, "allocating task table", ENOMEM, 0, ctx->tasks);
        rc = -ENOMEM;
        goto out_workload;
    }
    if (needs_pool(ctx, &l) && (l.pool = pool_start(ctx, ctx->workers > 0 ? ctx->workers
                                                         : cpus > 0       ? (int)cpus
                                                                          : 1)) == NULL) {
        rc = -EAGAIN;
        goto out_workload;
    }
    start_tasks(&l, tasks);
    rc = ring_loop(&l);
    run_memory_probe(ctx);
    if (l.pool != NULL)
        pool_stop(l.pool, l.pool->threads);
out_workload:
    ring_workload_fini(&l);
    if (tasks != NULL && rc == 0)
        note_warning(ctx, &l);
out_ring:
    io_uring_queue_exit(&l.ur.ring);
    the_loop = NULL;
    if (tasks != NULL)
        bulk_free(tasks, tasks_bytes);
    return rc;
}

/* Compute steps on the pool run in parallel; inline ones block the loop. */
static int uring_parallel(const struct param_set *opts)
{
    return strcmp(params_str(opts, uring_options, "compute"), "inline") != 0;
}

const struct runner runner_uring = {
    .name = "uring",
    .summary = "one io_uring loop (liburing); waits as requests, compute on a pool or inline",
    .options = uring_options,
    .run = uring_run,
    .pool = 1,
    .compute = RUNNER_COMPUTE_POOL,
    .compute_pool = "a pool of its own",
    .parallel = uring_parallel,
};
