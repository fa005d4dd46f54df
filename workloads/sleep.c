/* sleep: each task sleeps, the classroom example. Repeat ms= to give tasks different lengths:
 * -n 3 -p ms=2000 -p ms=1000 -p ms=3000 is the article's gather of 2 s, 1 s and 3 s. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "common/clock.h"
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

/* Timer state of one task on a loop; freed by the close callback, after the task moved on. */
struct sleep_timer {
    uv_timer_t timer;
    struct task_ctx *task;
    double due_s;
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
    struct timespec due;

    clock_gettime(CLOCK_MONOTONIC, &due);
    due.tv_sec += ms / 1000;
    due.tv_nsec += (ms % 1000) * 1000000L;
    if (due.tv_nsec >= 1000000000L) {
        due.tv_sec++;
        due.tv_nsec -= 1000000000L;
    }
    /* An absolute deadline: a signal that interrupts the sleep cannot shorten or lengthen it. */
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) == EINTR)
        ;
    t->rec->digest = (uint64_t)ms;
    return 0;
}

static void sleep_timer_free(uv_handle_t *h)
{
    free(h->data);
}

static void sleep_timer_fired(uv_timer_t *timer)
{
    struct sleep_timer *st = timer->data;
    double left = st->due_s - clock_now_s();
    struct task_ctx *t = st->task;

    /* libuv counts whole milliseconds from a cached loop time, so a timer can fire a fraction of
     * a millisecond early; sleep the rest rather than report a short sleep. */
    if (left > 0) {
        uv_timer_start(timer, sleep_timer_fired, (uint64_t)ceil(left * 1000.0), 0);
        return;
    }
    uv_close((uv_handle_t *)timer, sleep_timer_free);
    t->done(t, 0);
}

static int sleep_step_start(void *instance, struct task_ctx *t)
{
    long long ms = task_ms(instance, t->rec->task);
    struct sleep_timer *st = malloc(sizeof(*st));
    int rc;

    if (st == NULL)
        return -ENOMEM;
    rc = uv_timer_init(t->loop, &st->timer);
    if (rc < 0) {
        free(st);
        return rc;
    }
    st->timer.data = st;
    st->task = t;
    uv_update_time(t->loop); /* start from now, not from the loop's cached time */
    st->due_s = clock_now_s() + (double)ms / 1000.0;
    t->rec->digest = (uint64_t)ms;
    uv_timer_start(&st->timer, sleep_timer_fired, (uint64_t)ms, 0);
    return 0;
}

static int sleep_check(const void *instance, const struct task_record *rec, char *err,
                       size_t errlen)
{
    long long ms = task_ms(instance, rec->task);
    /* Its one step is the sleep, and nothing runs after it but taking the end time. */
    double slept = rec->end_s - rec->start_s;

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
