/* A model's own spawn path as a primitive: its runner, unchanged, running batches of no-op tasks
 * (the noop workload) exactly as `run` calls it, records and all. Next to the raw call it rests
 * on (pthread_create, fork), measured in the same process, the ratio is what the model adds per
 * task. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/clock.h"
#include "runners/primitives/primitives.h"
#include "runners/runner.h"

extern const struct runner runner_pthreads;
extern const struct runner runner_processes;

/* Every task of a finished batch ran to its end and left its own digest. 0, or -EPROTO. */
static int prim_batch_check(const struct run_ctx *ctx, char *err, size_t errlen)
{
    char why[160];

    for (int i = 0; i < ctx->tasks; i++) {
        const struct task_record *r = &ctx->env.table->records[i];
        if (r->worker < 0 || r->status != 0) {
            snprintf(err, errlen, "task %d of a batch of %d %s", i, ctx->tasks,
                     r->worker < 0 ? "never ran" : "failed");
            return -EPROTO;
        }
        if (ctx->wl->check(ctx->wl_instance, r, why, sizeof(why)) != 0) {
            snprintf(err, errlen, "%s", why);
            return -EPROTO;
        }
    }
    return 0;
}

/* n tasks of runner r, PRIM_MODEL_BATCH at a time; only the runner's run() is timed, as the
 * harness times it (resetting and checking the records is not). */
static int prim_model_tasks(const struct runner *r, long long n, double *seconds, char *err,
                            size_t errlen)
{
    const struct workload *wl = workload_find("noop");
    struct task_table *tt = task_table_new(PRIM_MODEL_BATCH, 0, 1);
    struct param_set none = {0};
    int rc = 0;

    if (wl == NULL || tt == NULL) {
        task_table_free(tt);
        return prim_error(err, errlen, "setting up the noop tasks", wl == NULL ? ENOENT : errno);
    }
    *seconds = 0;
    for (long long done = 0; done < n && rc == 0; done += PRIM_MODEL_BATCH) {
        struct run_ctx ctx = {.wl = wl, .opts = &none, .env.table = tt};
        double t0;

        ctx.tasks = n - done < PRIM_MODEL_BATCH ? (int)(n - done) : PRIM_MODEL_BATCH;
        task_table_reset(tt);
        t0 = clock_now_s();
        rc = r->run(&ctx);
        *seconds += clock_now_s() - t0;
        if (rc != 0)
            snprintf(err, errlen, "%s: %s", r->name, ctx.error[0] ? ctx.error : strerror(-rc));
        else
            rc = prim_batch_check(&ctx, err, errlen);
    }
    task_table_free(tt);
    return rc;
}

int prim_pthreads_task(long long n, double *seconds, char *err, size_t errlen)
{
    return prim_model_tasks(&runner_pthreads, n, seconds, err, errlen);
}

int prim_processes_task(long long n, double *seconds, char *err, size_t errlen)
{
    return prim_model_tasks(&runner_processes, n, seconds, err, errlen);
}
