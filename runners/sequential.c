/* sequential: one task after another on the calling thread; the baseline for speedups. */
#include "runners/runner.h"

static int sequential_run(struct run_ctx *ctx)
{
    for (int i = 0; i < ctx->tasks; i++)
        task_run_blocking(ctx, i, 0);
    return 0;
}

const struct runner runner_sequential = {
    .name = "sequential",
    .summary = "tasks one after another on one thread (the baseline)",
    .run = sequential_run,
    .baseline = 1,
    .serial = 1,
    .compute = RUNNER_COMPUTE_SERIAL,
};
