/* evloop: every task is a chain of callbacks on one libuv loop (the article's asyncio). Wait
 * steps use the workload's async face; compute steps go to libuv's thread pool (uv_queue_work,
 * like asyncio's run_in_executor) or, with compute=inline, run on the loop thread and block it. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/bulk_alloc.h"
#include "common/clock.h"
#include "runners/runner.h"

static const struct param_spec evloop_options[] = {
    {"compute", PARAM_CHOICE, "pool", 0, 0, "pool|inline",
     "pool = compute steps on libuv's thread pool (size --workers, else UV_THREADPOOL_SIZE or "
     "libuv's 4); inline = on the loop thread",
     0},
    GIL_OPTIONS,
    {0},
};

/* A task on the loop is its task_ctx and nothing else: a million sleepers cost 40 bytes each
 * here. The pool request of a compute step is allocated only while the step runs. */
struct evloop_task {
    struct task_ctx t;
};

struct evloop_work {
    uv_work_t req;
    struct evloop_task *et;
    struct run_ctx *ctx;
    int status; /* of the compute step that ran on the pool */
};

struct evloop {
    struct run_ctx *ctx;
    uv_loop_t loop;
    void *loop_state;
    int inline_compute;
    struct task_env env; /* every task's: the run's, with the loop */
};

static void evloop_advance(struct evloop_task *et, int status);

/* Pool threads number themselves on first use, so the timeline shows which one ran a task. */
static _Thread_local int pool_thread_id;
static int pool_threads_seen;

static void evloop_work(uv_work_t *req)
{
    struct evloop_work *w = req->data;

    if (pool_thread_id == 0)
        pool_thread_id = __atomic_add_fetch(&pool_threads_seen, 1, __ATOMIC_RELAXED);
    w->et->t.rec->worker = pool_thread_id;
    w->status = task_step_block(w->ctx, &w->et->t);
}

static void evloop_work_done(uv_work_t *req, int status)
{
    struct evloop_work *w = req->data;
    struct evloop_task *et = w->et;

    status = status < 0 ? status : w->status;
    free(w);
    evloop_advance(et, status);
}

/* Hands the compute step to the thread pool: 0, or a negative errno (then the step failed). */
static int evloop_queue_compute(struct evloop_task *et, struct run_ctx *ctx)
{
    struct evloop_work *w = malloc(sizeof(*w));
    int rc;

    if (w == NULL)
        return -ENOMEM;
    w->req.data = w;
    w->et = et;
    w->ctx = ctx;
    task_queued(&et->t);
    rc = uv_queue_work(et->t.env->loop, &w->req, evloop_work, evloop_work_done);
    if (rc < 0)
        free(w);
    return rc;
}

static void evloop_wait_done(struct task_ctx *t, int status)
{
    evloop_advance(t->owner, status);
}

/* Starts steps of a task until one is under way asynchronously or the task is over. */
static void evloop_run_steps(struct evloop_task *et)
{
    const struct evloop *ev = et->t.env->loop->data;
    struct run_ctx *ctx = ev->ctx;
    const struct workload *wl = ctx->wl;
    struct task_ctx *t = &et->t;
    int status;

    for (;;) {
        int compute = wl->step_kind(ctx->wl_instance, t->step) == STEP_COMPUTE;

        if (compute && !ev->inline_compute) {
            status = evloop_queue_compute(et, ctx);
            if (status == 0)
                return;
        } else if (compute || wl->step_start == NULL) {
            status = task_step_block(ctx, t);
        } else {
            status = wl->step_start(ctx->wl_instance, t);
            if (status == 0)
                return;
        }
        if (!task_step_done(ctx, t, status)) {
            task_end(ctx, t);
            return;
        }
    }
}

static void evloop_advance(struct evloop_task *et, int status)
{
    struct run_ctx *ctx = ((const struct evloop *)et->t.env->loop->data)->ctx;

    if (task_step_done(ctx, &et->t, status))
        evloop_run_steps(et);
    else
        task_end(ctx, &et->t);
}

static void close_leftover(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

/* libuv starts its thread pool at the first uv_queue_work and abort()s when a thread cannot be
 * created (a tiny ulimit -u or -v). So the pool's threads are tried first, as libuv will make
 * them (8 MiB stacks, libuv 1.44's threadpool.c), and a failure is named instead. The threads
 * are joined before libuv starts its own; the probe is part of what the model pays. */
#define POOL_STACK_BYTES (8u << 20)
#define POOL_MAX_THREADS 1024 /* libuv's MAX_THREADPOOL_SIZE */

/* Holds its thread alive until the probe closes the pipe's write end. */
static void *probe_thread(void *arg)
{
    char c;

    while (read(*(int *)arg, &c, 1) < 0 && errno == EINTR)
        ;
    return NULL;
}

static int pool_probe(struct run_ctx *ctx)
{
    const char *env = getenv("UV_THREADPOOL_SIZE");
    int n = env != NULL ? atoi(env) : 4, started = 0, rc = 0, hold[2];
    pthread_t threads[POOL_MAX_THREADS];
    pthread_attr_t attr;

    n = n < 1 ? 1 : n > POOL_MAX_THREADS ? POOL_MAX_THREADS : n;
    if (pipe(hold) != 0) {
        run_limit_error(ctx, "starting libuv's thread pool: pipe", errno, 0, n);
        return -errno;
    }
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, POOL_STACK_BYTES);
    for (; started < n && rc == 0; started += rc == 0)
        rc = pthread_create(&threads[started], &attr, probe_thread, &hold[0]);
    if (rc != 0)
        run_thread_error(ctx, "starting libuv's thread pool: pthread_create", rc, started, n,
                         POOL_STACK_BYTES);
    close(hold[1]); /* every probe thread's read returns */
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    close(hold[0]);
    pthread_attr_destroy(&attr);
    return -rc;
}

static int has_compute_steps(const struct run_ctx *ctx)
{
    for (int i = 0; i < ctx->wl->steps(ctx->wl_instance); i++)
        if (ctx->wl->step_kind(ctx->wl_instance, i) == STEP_COMPUTE)
            return 1;
    return 0;
}

static int evloop_run(struct run_ctx *ctx)
{
    struct evloop ev = {.ctx = ctx};
    size_t tasks_bytes = (size_t)ctx->tasks * sizeof(struct evloop_task);
    struct evloop_task *tasks = bulk_alloc(tasks_bytes);
    int rc;

    ev.inline_compute = strcmp(params_str(ctx->opts, evloop_options, "compute"), "inline") == 0;
    if (ctx->workers > 0) {
        /* libuv sizes its pool once per process from this variable; each repetition runs in a
         * fresh process, so setting it before the first uv_queue_work takes effect. */
        char size[16];
        snprintf(size, sizeof(size), "%d", ctx->workers);
        setenv("UV_THREADPOOL_SIZE", size, 1);
    }
    if (tasks == NULL) {
        run_limit_error(ctx, "allocating task table", ENOMEM, 0, ctx->tasks);
        return -ENOMEM;
    }
    rc = run_gil_setup(ctx, evloop_options);
    if (rc == 0 && !ev.inline_compute && has_compute_steps(ctx) && (rc = pool_probe(ctx)) < 0) {
        run_gil_free(ctx);
        bulk_free(tasks, tasks_bytes);
        return rc;
    }
    if (rc == 0)
        rc = uv_loop_init(&ev.loop);
    if (rc < 0) {
        run_limit_error(ctx, "uv_loop_init", -rc, 0, ctx->tasks);
        run_gil_free(ctx);
        bulk_free(tasks, tasks_bytes);
        return rc;
    }
    ev.loop.data = &ev;
    if (ctx->wl->loop_init != NULL &&
        (rc = ctx->wl->loop_init(ctx->wl_instance, &ev.loop, &ev.loop_state)) < 0) {
        run_limit_error(ctx, "workload loop setup", -rc, 0, ctx->tasks);
        goto out;
    }
    ev.env = ctx->env;
    ev.env.loop = &ev.loop;
    ev.env.loop_state = ev.loop_state;
    ev.env.done = evloop_wait_done;
    for (int i = 0; i < ctx->tasks; i++) {
        struct evloop_task *et = &tasks[i];
        if (task_begin(ctx, &et->t, i, 0) != 0) {
            task_end(ctx, &et->t);
            continue;
        }
        et->t.owner = et;
        et->t.env = &ev.env;
        evloop_run_steps(et);
    }
    uv_run(&ev.loop, UV_RUN_DEFAULT);
    run_memory_probe(ctx);
    if (ctx->wl->loop_fini != NULL)
        ctx->wl->loop_fini(ctx->wl_instance, ev.loop_state);
out:
    uv_walk(&ev.loop, close_leftover, NULL);
    uv_run(&ev.loop, UV_RUN_DEFAULT);
    if (uv_loop_close(&ev.loop) != 0 && ctx->warning[0] == '\0')
        snprintf(ctx->warning, sizeof(ctx->warning), "libuv loop still busy at close");
    run_gil_free(ctx);
    bulk_free(tasks, tasks_bytes);
    return rc < 0 ? rc : 0;
}

/* Compute steps on the pool run in parallel; inline ones block the loop, gil=on ones take turns. */
static int evloop_parallel(const struct param_set *opts)
{
    return strcmp(params_str(opts, evloop_options, "compute"), "inline") != 0 &&
           !run_gil_on(opts, evloop_options);
}

const struct runner runner_evloop = {
    .name = "evloop",
    .summary = "one libuv loop; waits as callbacks, compute on the thread pool or inline",
    .options = evloop_options,
    .run = evloop_run,
    .pool = 1,
    .compute = RUNNER_COMPUTE_POOL,
    .compute_pool = "libuv's thread pool",
    .parallel = evloop_parallel,
};
