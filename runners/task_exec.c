#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "common/clock.h"
#include "runners/runner.h"
#include "workloads/gil.h"

int task_begin(struct run_ctx *ctx, struct task_ctx *t, int index, int worker)
{
    memset(t, 0, sizeof(*t));
    t->rec = &ctx->records[index];
    t->gil = ctx->gil;
    t->rec->worker = worker;
    t->rec->start_s = clock_now_s();
    if (ctx->wl->task_init != NULL) {
        int rc = ctx->wl->task_init(ctx->wl_instance, t);
        if (rc < 0)
            return task_fail(t->rec, rc, "task setup failed (%s)", strerror(-rc));
    }
    return 0;
}

int task_step_done(struct run_ctx *ctx, struct task_ctx *t, int status)
{
    struct task_record *rec = t->rec;

    if (t->step < TASK_STEP_MARKS)
        rec->step_end_s[t->step] = t->held_end_s > 0 ? t->held_end_s : clock_now_s();
    t->held_end_s = 0;
    if (status < 0) {
        task_fail(rec, status, "step %d failed (%s)", t->step, strerror(-status));
        return 0;
    }
    rec->steps_done++;
    if (t->step + 1 >= ctx->wl->steps(ctx->wl_instance))
        return 0;
    t->step++;
    return 1;
}

void task_end(struct run_ctx *ctx, struct task_ctx *t)
{
    if (ctx->wl->task_fini != NULL)
        ctx->wl->task_fini(ctx->wl_instance, t);
    t->rec->end_s = clock_now_s();
}

void task_run_blocking(struct run_ctx *ctx, int index, int worker)
{
    struct task_ctx t;

    if (task_begin(ctx, &t, index, worker) == 0) {
        while (task_step_done(ctx, &t, task_step_block(ctx, &t)))
            ;
    }
    task_end(ctx, &t);
}

int task_step_block(struct run_ctx *ctx, struct task_ctx *t)
{
    int rc,
        hold = ctx->gil != NULL && ctx->wl->step_kind(ctx->wl_instance, t->step) == STEP_COMPUTE;

    if (hold)
        gil_acquire(ctx->gil);
    rc = ctx->wl->step_block(ctx->wl_instance, t);
    if (hold) {
        /* the step ends while its thread still holds the lock: the next holder starts after */
        t->held_end_s = clock_now_s();
        gil_release(ctx->gil);
    }
    return rc;
}

int run_gil_setup(struct run_ctx *ctx, const struct param_spec *options)
{
    ctx->gil = NULL;
    if (strcmp(params_str(ctx->opts, options, "gil"), "on") != 0)
        return 0;
    ctx->gil = gil_new(params_int(ctx->opts, options, "gil_interval_ms") / 1000.0);
    return ctx->gil != NULL ? 0 : -ENOMEM;
}

void run_gil_free(struct run_ctx *ctx)
{
    gil_free(ctx->gil);
    ctx->gil = NULL;
}

/* Names the limit an EAGAIN/ENOMEM/EMFILE most likely hit, so the reader knows what to raise. */
static const char *limit_hint(int err)
{
    static char hint[160];
    struct rlimit rl;

    switch (err) {
    case EAGAIN:
        getrlimit(RLIMIT_NPROC, &rl);
        snprintf(hint, sizeof(hint),
                 "threads+processes limit: RLIMIT_NPROC=%lld, kernel.pid_max, kernel.threads-max",
                 (long long)rl.rlim_cur);
        return hint;
    case EMFILE:
        getrlimit(RLIMIT_NOFILE, &rl);
        snprintf(hint, sizeof(hint), "open files limit: RLIMIT_NOFILE=%lld",
                 (long long)rl.rlim_cur);
        return hint;
    case ENFILE:
        return "system-wide open files limit: fs.file-max";
    case ENOMEM:
        return "memory or mappings limit: vm.max_map_count, vm.overcommit_memory";
    default:
        return "";
    }
}

void run_limit_error(struct run_ctx *ctx, const char *what, int err, int done, int wanted)
{
    const char *hint = limit_hint(err);

    snprintf(ctx->error, sizeof(ctx->error), "%s failed after %d of %d: %s%s%s%s", what, done,
             wanted, strerror(err), *hint ? " (" : "", hint, *hint ? ")" : "");
}
