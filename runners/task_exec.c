#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/fork_path.h"
#include "common/limits.h"
#include "runners/runner.h"
#include "workloads/gil.h"

int task_begin(struct run_ctx *ctx, struct task_ctx *t, int index, int worker)
{
    return task_begin_record(ctx, t, &ctx->env.table->records[index], worker);
}

FORK_PATH int task_begin_record(struct run_ctx *ctx, struct task_ctx *t, struct task_record *rec,
                                int worker)
{
    struct task_detail *d;

    memset(t, 0, sizeof(*t));
    t->env = &ctx->env;
    t->rec = rec;
    t->rec->worker = worker;
    t->rec->start_s = ctx->task_clock != NULL ? ctx->task_clock() : clock_now_s();
    d = task_sampled(ctx->env.table, t->rec);
    if (d != NULL) {
        d->cpu_timed = 1; /* steps no thread ran (async waits) keep 0 */
        d->queued_at_s = d->held_end_s = 0;
    }
    if (ctx->wl->task_init != NULL) {
        int rc = ctx->wl->task_init(ctx->wl_instance, t);
        if (rc < 0)
            return task_fail(ctx->env.table, t->rec, rc, "task setup failed (%s)", strerror(-rc));
    }
    return 0;
}

FORK_PATH int task_step_done(struct run_ctx *ctx, struct task_ctx *t, int status)
{
    struct task_record *rec = t->rec;
    struct task_detail *d = task_sampled(ctx->env.table, rec);

    if (d != NULL) {
        task_mark_step_at(ctx->env.table, rec, t->step, d->held_end_s);
        d->held_end_s = 0;
    }
    if (status < 0) {
        task_fail(ctx->env.table, rec, status, "step %d failed (%s)", t->step, strerror(-status));
        return 0;
    }
    rec->steps_done++;
    if (t->step + 1 >= ctx->wl->steps(ctx->wl_instance))
        return 0;
    t->step++;
    return 1;
}

FORK_PATH void task_end(struct run_ctx *ctx, struct task_ctx *t)
{
    if (ctx->wl->task_fini != NULL)
        ctx->wl->task_fini(ctx->wl_instance, t);
    t->rec->end_s = ctx->task_clock != NULL ? ctx->task_clock() : clock_now_s();
}

void task_run_blocking(struct run_ctx *ctx, int index, int worker)
{
    task_run_record(ctx, &ctx->env.table->records[index], worker);
}

FORK_PATH void task_run_record(struct run_ctx *ctx, struct task_record *rec, int worker)
{
    struct task_ctx t;

    if (task_begin_record(ctx, &t, rec, worker) == 0) {
        while (task_step_done(ctx, &t, task_step_block(ctx, &t)))
            ;
    }
    task_end(ctx, &t);
}

void task_queued(struct task_ctx *t)
{
    struct task_detail *d = task_sampled(t->env->table, t->rec);

    if (d != NULL)
        d->queued_at_s = clock_now_s();
}

/* A sampled task's step starts on this thread: how long it waited for a pool worker. Returns 1
 * when it was queued (only a sampled task's queueing is noted: only its times are kept). */
FORK_PATH static int note_queued(struct task_detail *d, int step)
{
    int queued = d != NULL && d->queued_at_s > 0;

    if (queued && step < TASK_STEP_MARKS)
        d->step_queued_s[step] = clock_now_s() - d->queued_at_s;
    if (d != NULL)
        d->queued_at_s = 0;
    return queued;
}

FORK_PATH int task_step_block(struct run_ctx *ctx, struct task_ctx *t)
{
    int rc, pooled,
        hold =
            ctx->env.gil != NULL && ctx->wl->step_kind(ctx->wl_instance, t->step) == STEP_COMPUTE;
    /* CPU time is read for the sampled tasks alone, on the thread that runs the step */
    struct task_detail *d = task_sampled(ctx->env.table, t->rec);
    double cpu0 = d != NULL ? clock_thread_cpu_s() : 0;

    pooled = note_queued(d, t->step);
    if (hold)
        gil_acquire(ctx->env.gil);
    rc = ctx->wl->step_block(ctx->wl_instance, t);
    if (hold) {
        /* the step ends while its thread still holds the lock: the next holder starts after */
        if (d != NULL)
            d->held_end_s = clock_now_s();
        gil_release(ctx->env.gil);
    } else if (pooled) {
        /* the step ends as its worker lets go, not when the loop gets round to the news */
        d->held_end_s = clock_now_s();
    }
    if (d != NULL)
        d->step_cpu_s[t->step < TASK_STEP_MARKS ? t->step : TASK_STEP_MARKS] +=
            clock_thread_cpu_s() - cpu0;
    return rc;
}

int run_gil_on(const struct param_set *opts, const struct param_spec *options)
{
    return params_find_spec(options, "gil") != NULL &&
           strcmp(params_str(opts, options, "gil"), "on") == 0;
}

int run_gil_setup(struct run_ctx *ctx, const struct param_spec *options)
{
    ctx->env.gil = NULL;
    if (!run_gil_on(ctx->opts, options))
        return 0;
    ctx->env.gil = gil_new(params_int(ctx->opts, options, "gil_interval_ms") / 1000.0);
    return ctx->env.gil != NULL ? 0 : -ENOMEM;
}

void run_gil_free(struct run_ctx *ctx)
{
    gil_free(ctx->env.gil);
    ctx->env.gil = NULL;
}

static void limit_error(struct run_ctx *ctx, const char *what, int err, int done, int wanted,
                        const char *hint)
{
    snprintf(ctx->error, sizeof(ctx->error), "%s failed after %d of %d: %s%s%s%s", what, done,
             wanted, strerror(err), *hint ? " (" : "", hint, *hint ? ")" : "");
}

void run_limit_error(struct run_ctx *ctx, const char *what, int err, int done, int wanted)
{
    char hint[200];

    limits_hint(err, hint, sizeof hint);
    limit_error(ctx, what, err, done, wanted, hint);
}

void run_thread_error(struct run_ctx *ctx, const char *what, int err, int done, int wanted,
                      size_t stack_bytes)
{
    char hint[200];

    if (err == EAGAIN) /* the stack's memory, or the number of threads? */
        limits_thread_hint(stack_bytes, hint, sizeof hint);
    else
        limits_hint(err, hint, sizeof hint);
    limit_error(ctx, what, err, done, wanted, hint);
}

/* The number after "key:" in a /proc file (kB), or -1. */
static double proc_kib(const char *path, const char *key)
{
    char buf[8192];
    size_t klen = strlen(key);
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return -1;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    for (char *line = buf; line != NULL && *line != '\0';) {
        if (strncmp(line, key, klen) == 0 && line[klen] == ':')
            return strtod(line + klen + 1, NULL);
        line = strchr(line, '\n');
        line = line != NULL ? line + 1 : NULL;
    }
    return -1;
}

void run_memory_probe(struct run_ctx *ctx)
{
    double t0 = clock_now_s();

    if (ctx->pss_kib != 0)
        return;
    ctx->pss_kib = proc_kib("/proc/self/smaps_rollup", "Pss");
    ctx->pte_kib = proc_kib("/proc/self/status", "VmPTE");
    ctx->probe_s += clock_now_s() - t0;
}

double run_rss_kib(void)
{
    return proc_kib("/proc/self/status", "VmRSS");
}
