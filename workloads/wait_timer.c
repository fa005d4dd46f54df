#include "workloads/wait_timer.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "common/clock.h"

/* Timer state of one task on a loop; freed by the close callback, after the task moved on. */
struct wait_timer {
    uv_timer_t timer;
    struct task_ctx *task;
    double due_s;
};

static double cancel_at_s; /* 0 = no cancellation */

void wait_timer_cancel_at(double at_s)
{
    cancel_at_s = at_s;
}

static int cancelled_before(double due_s)
{
    return cancel_at_s > 0 && cancel_at_s < due_s;
}

double wait_timer_until(double due_s)
{
    return cancelled_before(due_s) ? cancel_at_s : due_s;
}

int wait_timer_cut_at(double at_s)
{
    return cancel_at_s > 0 && at_s == cancel_at_s;
}

int wait_timer_block(long long ms, int cancellable)
{
    double due_s = clock_now_s() + (double)ms / 1000.0;
    int cancel = cancellable && cancelled_before(due_s);
    double until = cancel ? cancel_at_s : due_s;
    struct timespec at = {(time_t)until, (long)((until - (double)(time_t)until) * 1e9)};

    /* An absolute deadline: a signal that interrupts the sleep cannot shorten or lengthen it. */
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == EINTR)
        ;
    return cancel ? -ECANCELED : 0;
}

static void wait_timer_free(uv_handle_t *h)
{
    free(h->data);
}

static void wait_timer_fired(uv_timer_t *timer)
{
    struct wait_timer *wt = timer->data;
    int cancel = cancelled_before(wt->due_s);
    double now = clock_now_s(), left = (cancel ? cancel_at_s : wt->due_s) - now;
    struct task_ctx *t = wt->task;

    /* libuv counts whole milliseconds from a cached loop time, so a timer can fire a fraction of
     * a millisecond early; sleep the rest (to the deadline, when that comes first) rather than
     * report a short sleep or miss the cancellation. */
    if (left > 0) {
        uv_timer_start(timer, wait_timer_fired, (uint64_t)ceil(left * 1000.0), 0);
        return;
    }
    uv_close((uv_handle_t *)timer, wait_timer_free);
    t->env->done(t, cancel ? -ECANCELED : 0);
}

int wait_timer_start(struct task_ctx *t, long long ms)
{
    struct wait_timer *wt = malloc(sizeof(*wt));
    int rc;

    if (wt == NULL)
        return -ENOMEM;
    rc = uv_timer_init(t->env->loop, &wt->timer);
    if (rc < 0) {
        free(wt);
        return rc;
    }
    wt->timer.data = wt;
    wt->task = t;
    uv_update_time(t->env->loop); /* start from now, not from the loop's cached time */
    wt->due_s = clock_now_s() + (double)ms / 1000.0;
    if (cancelled_before(wt->due_s)) /* wake at the deadline instead */
        ms = (long long)ceil(fmax(cancel_at_s - clock_now_s(), 0) * 1000.0);
    uv_timer_start(&wt->timer, wait_timer_fired, (uint64_t)ms, 0);
    return 0;
}
