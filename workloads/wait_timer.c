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

void wait_timer_block(long long ms)
{
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
}

static void wait_timer_free(uv_handle_t *h)
{
    free(h->data);
}

static void wait_timer_fired(uv_timer_t *timer)
{
    struct wait_timer *wt = timer->data;
    double left = wt->due_s - clock_now_s();
    struct task_ctx *t = wt->task;

    /* libuv counts whole milliseconds from a cached loop time, so a timer can fire a fraction of
     * a millisecond early; sleep the rest rather than report a short sleep. */
    if (left > 0) {
        uv_timer_start(timer, wait_timer_fired, (uint64_t)ceil(left * 1000.0), 0);
        return;
    }
    uv_close((uv_handle_t *)timer, wait_timer_free);
    t->done(t, 0);
}

int wait_timer_start(struct task_ctx *t, long long ms)
{
    struct wait_timer *wt = malloc(sizeof(*wt));
    int rc;

    if (wt == NULL)
        return -ENOMEM;
    rc = uv_timer_init(t->loop, &wt->timer);
    if (rc < 0) {
        free(wt);
        return rc;
    }
    wt->timer.data = wt;
    wt->task = t;
    uv_update_time(t->loop); /* start from now, not from the loop's cached time */
    wt->due_s = clock_now_s() + (double)ms / 1000.0;
    uv_timer_start(&wt->timer, wait_timer_fired, (uint64_t)ms, 0);
    return 0;
}
