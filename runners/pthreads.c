/* pthreads: one POSIX thread per task (the article's threading.Thread), or a pool of --workers
 * threads taking tasks from a shared counter. Creating and joining the threads is timed. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "runners/runner.h"

/* 256 KiB, not the system default (RLIMIT_STACK, 8 MiB): glibc keeps the stacks of joined
 * threads for reuse up to 40 MiB in all, five 8 MiB stacks, so at N=10 half the threads got a
 * fresh mapping and its page faults, and gave it back with munmap (TLB shootdowns) at the join,
 * which tripled the cost per thread next to a bare pthread_create+join (docs/design-notes.md,
 * Spawn cost).
 * 256 KiB is twice green's coroutine stack, which GMP's deepest power (66 KiB) and curl fit. */
static const struct param_spec pthreads_options[] = {
    {"stack_kib", PARAM_INT, "256", 0, 1048576, NULL,
     "thread stack size in KiB; 0 = the system default (RLIMIT_STACK, often 8 MiB)", 0},
    GIL_OPTIONS,
    {0},
};

struct pthreads_worker {
    pthread_t thread;
    struct run_ctx *ctx;
    int id;   /* task index (per-task mode) or worker index (pool) */
    int pool; /* take tasks from next_task until none is left */
};

static int next_task; /* shared task counter of the pool */

static void *pthreads_worker_main(void *arg)
{
    struct pthreads_worker *w = arg;

    if (!w->pool) {
        task_run_blocking(w->ctx, w->id, w->id);
        return NULL;
    }
    for (;;) {
        int i = __atomic_fetch_add(&next_task, 1, __ATOMIC_RELAXED);
        if (i >= w->ctx->tasks)
            break;
        task_run_blocking(w->ctx, i, w->id);
    }
    return NULL;
}

static int pthreads_run(struct run_ctx *ctx)
{
    int pool = ctx->workers > 0;
    int count = pool ? ctx->workers : ctx->tasks;
    long long stack_kib = params_int(ctx->opts, pthreads_options, "stack_kib");
    struct pthreads_worker *w = calloc((size_t)count, sizeof(*w));
    pthread_attr_t attr;
    int started = 0, rc = 0;

    if (w == NULL) {
        run_limit_error(ctx, "allocating thread table", ENOMEM, 0, count);
        return -ENOMEM;
    }
    pthread_attr_init(&attr);
    if (stack_kib > 0 && (rc = pthread_attr_setstacksize(&attr, (size_t)stack_kib * 1024)) != 0) {
        snprintf(ctx->error, sizeof(ctx->error), "stack_kib=%lld refused by pthreads: %s",
                 stack_kib, "below PTHREAD_STACK_MIN or not a valid size");
        pthread_attr_destroy(&attr);
        free(w);
        return -rc;
    }
    if (run_gil_setup(ctx, pthreads_options) != 0) {
        run_limit_error(ctx, "allocating the GIL", ENOMEM, 0, count);
        pthread_attr_destroy(&attr);
        free(w);
        return -ENOMEM;
    }
    __atomic_store_n(&next_task, 0, __ATOMIC_RELAXED);
    for (; started < count; started++) {
        w[started].ctx = ctx;
        w[started].id = started;
        w[started].pool = pool;
        rc = pthread_create(&w[started].thread, &attr, pthreads_worker_main, &w[started]);
        if (rc != 0) {
            /* Out of threads: the ones already running finish their tasks; the rest never run. */
            size_t stack = 0;

            pthread_attr_getstacksize(&attr, &stack);
            run_thread_error(ctx, "pthread_create", rc, started, count, stack);
            break;
        }
    }
    for (int i = 0; i < started; i++)
        pthread_join(w[i].thread, NULL);
    run_gil_free(ctx);
    pthread_attr_destroy(&attr);
    free(w);
    return rc ? -rc : 0;
}

static int pthreads_parallel(const struct param_set *opts)
{
    return !run_gil_on(opts, pthreads_options);
}

static const struct runner_spawn pthreads_spawn = {"threads", "pthread_spawn", "pthreads_task"};

const struct runner runner_pthreads = {
    .name = "pthreads",
    .summary = "one POSIX thread per task, or a pool of --workers threads",
    .options = pthreads_options,
    .run = pthreads_run,
    .pool = 1,
    .compute = RUNNER_COMPUTE_THREADS,
    .spawn = &pthreads_spawn,
    .parallel = pthreads_parallel,
};
