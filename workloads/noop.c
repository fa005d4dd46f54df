/* noop: each task does nothing but prove it ran (one compute step that stamps a digest of its
 * own index). What a model then costs is its own: creating, running and joining the tasks and
 * bringing their records back. `primitives` times the pthreads and processes runners on it next
 * to the raw pthread_create and fork; `run -w noop` shows it at any N. */
#include <stdint.h>
#include <stdio.h>

#include "common/hash.h"
#include "workloads/workload.h"

static const struct param_spec noop_params[] = {{0}};

/* A value only this task's own step writes: a record that comes back wrong or from another
 * task is caught. */
static uint64_t noop_digest(int32_t task)
{
    return hash_fnv1a(HASH_FNV1A_INIT, &task, sizeof(task));
}

static int noop_prepare(const struct param_set *p, void **instance, char *err, size_t errlen)
{
    (void)p;
    (void)err;
    (void)errlen;
    *instance = NULL;
    return 0;
}

static void noop_release(void *instance)
{
    (void)instance;
}

static int noop_steps(const void *instance)
{
    (void)instance;
    return 1;
}

static enum step_kind noop_step_kind(const void *instance, int step)
{
    (void)instance;
    (void)step;
    return STEP_COMPUTE;
}

static int noop_step_block(void *instance, struct task_ctx *t)
{
    (void)instance;
    t->rec->digest = noop_digest(t->rec->task);
    return 0;
}

static int noop_check(const void *instance, const struct task_record *rec, char *err, size_t errlen)
{
    (void)instance;
    if (rec->digest != noop_digest(rec->task)) {
        snprintf(err, errlen, "task %d: its record came back without its own digest", rec->task);
        return -1;
    }
    return 0;
}

const struct workload workload_noop = {
    .name = "noop",
    .summary = "each task does nothing (one empty step): what is left is the model's own cost "
               "per task",
    .params = noop_params,
    .prepare = noop_prepare,
    .release = noop_release,
    .steps = noop_steps,
    .step_kind = noop_step_kind,
    .step_block = noop_step_block,
    .check = noop_check,
};
