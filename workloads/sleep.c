/* sleep: each task sleeps, the classroom example. Repeat ms= to give tasks different lengths:
 * -n 3 -p ms=2000 -p ms=1000 -p ms=3000 is the article's gather of 2 s, 1 s and 3 s. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "common/clock.h"
#include "workloads/deadlines.h"
#ifdef CONCBENCH_HAVE_URING
#include "workloads/uring_face.h"
#endif
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

/* A sleep is a cancellation point under every model (run --cancel-after). */
static int sleep_step_block(void *instance, struct task_ctx *t)
{
    long long ms = task_ms(instance, t->rec->task);

    t->rec->digest = (uint64_t)ms;
    return wait_timer_block(ms, 1);
}

/* On a loop, every sleeping task is one 16-byte entry in a queue of deadlines, served by one
 * uv_timer armed for the earliest: a uv_timer_t per task would cost 152 bytes and a malloc each
 * (libuv keeps its own timers in a heap too), which at a million sleepers was most of the
 * model's memory and time. */
struct sleep_loop {
    uv_timer_t timer;
    struct dl_queue due;
    double armed_s; /* deadline the timer is armed for; 0 = not armed */
};

static void sleep_fired(uv_timer_t *timer);

/* Arms the timer for the earliest deadline unless it is armed for that one or an earlier one.
 * libuv counts whole milliseconds from its cached loop time: refresh it, and round up. */
static void sleep_arm(struct sleep_loop *sl)
{
    double first, left;

    if (!dl_first(&sl->due, &first))
        return;
    if (sl->armed_s != 0 && sl->armed_s <= first)
        return;
    uv_update_time(sl->timer.loop);
    left = first - clock_now_s();
    uv_timer_start(&sl->timer, sleep_fired, left > 0 ? (uint64_t)ceil(left * 1000.0) : 0, 0);
    sl->armed_s = first;
}

/* Wakes every task whose deadline has passed (never one a fraction of a millisecond early),
 * then re-arms for the next. */
static void sleep_fired(uv_timer_t *timer)
{
    struct sleep_loop *sl = timer->data;
    double now = clock_now_s(), first;

    sl->armed_s = 0;
    while (dl_first(&sl->due, &first) && first <= now) {
        struct task_ctx *t = dl_pop(&sl->due);
        /* may start another sleep: it joins the queue */
        t->env->done(t, wait_timer_cut_at(first) ? -ECANCELED : 0);
    }
    sleep_arm(sl);
}

static int sleep_loop_init(void *instance, uv_loop_t *loop, void **loop_state)
{
    struct sleep_loop *sl = calloc(1, sizeof(*sl));
    int rc;

    (void)instance;
    if (sl == NULL)
        return -ENOMEM;
    rc = uv_timer_init(loop, &sl->timer);
    if (rc < 0) {
        free(sl);
        return rc;
    }
    sl->timer.data = sl;
    *loop_state = sl;
    return 0;
}

static void sleep_loop_closed(uv_handle_t *h)
{
    struct sleep_loop *sl = h->data;

    dl_free(&sl->due);
    free(sl);
}

static void sleep_loop_fini(void *instance, void *loop_state)
{
    struct sleep_loop *sl = loop_state;

    (void)instance;
    uv_close((uv_handle_t *)&sl->timer, sleep_loop_closed);
}

static int sleep_step_start(void *instance, struct task_ctx *t)
{
    long long ms = task_ms(instance, t->rec->task);
    struct sleep_loop *sl = t->env->loop_state;

    if (sl == NULL)
        return -EINVAL;
    if (dl_push(&sl->due, wait_timer_until(clock_now_s() + (double)ms / 1000.0), t) != 0)
        return -ENOMEM;
    t->rec->digest = (uint64_t)ms;
    sleep_arm(sl);
    return 0;
}

#ifdef CONCBENCH_HAVE_URING
/* On io_uring: one timeout request per sleeping task, absolute on CLOCK_MONOTONIC (the clock of
 * clock_now_s and of io_uring's timeouts), rounded up to the next nanosecond; it completes with
 * -ETIME when the time has passed. */
static void sleep_uring_fired(struct uring_op *op, int res, unsigned flags)
{
    struct uring_wait *w = (struct uring_wait *)op;

    (void)flags;
    if (res == -ETIME || res == 0)
        res = wait_timer_cut_at(w->due_s) ? -ECANCELED : 0;
    w->t->env->done(w->t, res);
}

static int sleep_uring_start(void *instance, struct task_ctx *t, struct uring_wait *w)
{
    long long ms = task_ms(instance, t->rec->task);
    struct io_uring_sqe *sqe = uring_get_sqe(w->ur);
    double due = wait_timer_until(clock_now_s() + (double)ms / 1000.0), whole = floor(due);
    long long ns = (long long)ceil((due - whole) * 1e9);

    if (sqe == NULL)
        return -EBUSY;
    w->due_s = due;
    w->ts.tv_sec = (long long)whole + ns / 1000000000;
    w->ts.tv_nsec = ns % 1000000000;
    w->op.complete = sleep_uring_fired;
    io_uring_prep_timeout(sqe, &w->ts, 0, IORING_TIMEOUT_ABS);
    io_uring_sqe_set_data(sqe, &w->op);
    t->rec->digest = (uint64_t)ms;
    return 0;
}

static const struct workload_uring sleep_uring = {.step_start = sleep_uring_start};
#define SLEEP_URING (&sleep_uring)
#else
#define SLEEP_URING NULL
#endif

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
    .loop_init = sleep_loop_init,
    .loop_fini = sleep_loop_fini,
    .check = sleep_check,
    .cancellable = 1,
    .uring = SLEEP_URING,
};
