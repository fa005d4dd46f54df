/* sleep: each task sleeps, the classroom example. Repeat ms= to give tasks different lengths:
 * -n 3 -p ms=2000 -p ms=1000 -p ms=3000 is the article's gather of 2 s, 1 s and 3 s. */
#include <stdio.h>
#include <stdlib.h>

#include "workloads/wait_timer.h"
#include "workloads/workload.h"

#define SLEEP_MAX_PATTERN 64

static const struct param_spec sleep_params[] = {
    {"ms", PARAM_INT, "100", 0, 3600000, NULL,
     "milliseconds each task sleeps; repeat to cycle tasks through several lengths", 1},
    {0},
};

struct sleep_wl {
    int count;
    long long ms[SLEEP_MAX_PATTERN];
};

static long long task_ms(const struct sleep_wl *s, int task)
{
    return s->ms[task % s->count];
}

static int sleep_prepare(const struct param_set *p, void **instance, char *err, size_t errlen)
{
    struct sleep_wl *s = calloc(1, sizeof(*s));
    const char *values[SLEEP_MAX_PATTERN];

    if (s == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    s->count = params_all(p, "ms", values, SLEEP_MAX_PATTERN);
    for (int i = 0; i < s->count; i++)
        s->ms[i] = strtoll(values[i], NULL, 10);
    if (s->count == 0) {
        s->ms[0] = strtoll(sleep_params[0].def, NULL, 10);
        s->count = 1;
    }
    *instance = s;
    return 0;
}

static void sleep_release(void *instance)
{
    free(instance);
}

static int sleep_steps(const void *instance)
{
    (void)instance;
    return 1;
}

static enum step_kind sleep_step_kind(const void *instance, int step)
{
    (void)instance;
    (void)step;
    return STEP_WAIT;
}

static int sleep_step_block(void *instance, struct task_ctx *t)
{
    long long ms = task_ms(instance, t->rec->task);

    int rc = wait_timer_block(ms, 1);

    if (rc == 0)
        t->rec->digest = (uint64_t)ms;
    return rc;
}

static int sleep_step_start(void *instance, struct task_ctx *t)
{
    long long ms = task_ms(instance, t->rec->task);
    int rc = wait_timer_start(t, ms);

    if (rc == 0)
        t->rec->digest = (uint64_t)ms;
    return rc;
}

static int sleep_check(const void *instance, const struct task_record *rec, char *err,
                       size_t errlen)
{
    long long ms = task_ms(instance, rec->task);
    double slept = rec->step_end_s[0] - rec->start_s;

    if (rec->digest != (uint64_t)ms) {
        snprintf(err, errlen, "task %d: slept for %llu ms, expected %lld ms", rec->task,
                 (unsigned long long)rec->digest, ms);
        return -1;
    }
    if (slept < (double)ms / 1000.0) {
        snprintf(err, errlen, "task %d: woke after %.3f ms, asked for %lld ms", rec->task,
                 slept * 1000.0, ms);
        return -1;
    }
    return 0;
}

const struct workload workload_sleep = {
    .name = "sleep",
    .summary = "each task sleeps ms (nanosleep when blocking, uv_timer on a loop); pure waiting",
    .params = sleep_params,
    .prepare = sleep_prepare,
    .release = sleep_release,
    .steps = sleep_steps,
    .step_kind = sleep_step_kind,
    .step_block = sleep_step_block,
    .step_start = sleep_step_start,
    .check = sleep_check,
};
