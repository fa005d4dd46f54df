/* script: each task follows a plan of timed steps, the articles' examples as a workload. A plan
 * is a comma-separated list of steps, one plan per task (repeat plan= to give tasks different
 * plans; tasks cycle through them):
 *   wMS  wait MS milliseconds (nanosleep when blocking, a uv_timer on a loop): like await sleep
 *   bMS  block MS milliseconds: a compute step that sleeps its thread, like time.sleep() in
 *        run_in_executor or blocking code in a coroutine; it holds whatever runs it
 *   cMS  compute MS milliseconds of CPU (a busy loop of hashing); with gil=on a b or c step holds
 *        the lock for its whole length, like a C extension call that keeps the GIL
 * Steps at the same position must be of the same kind in every plan (waits with waits, b and c
 * with each other); shorter plans are padded with zero-length steps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "workloads/wait_timer.h"
#include "workloads/workload.h"

#define SCRIPT_MAX_PLANS 64
#define SCRIPT_MAX_STEPS 16

static const struct param_spec script_params[] = {
    {"plan", PARAM_STRING, "w100", 0, 0, NULL,
     "one task's steps, e.g. w2000,c500,b1000 (w wait, b blocking sleep, c CPU; ms); repeat for "
     "more tasks",
     1},
    {0},
};

struct script_step {
    char op; /* 'w', 'b' or 'c' */
    long long ms;
};

struct script_wl {
    int nplans, nsteps;
    struct script_step plan[SCRIPT_MAX_PLANS][SCRIPT_MAX_STEPS];
    enum step_kind kind[SCRIPT_MAX_STEPS];
};

static int parse_plan(const char *text, struct script_step *steps, char *err, size_t errlen)
{
    int n = 0;

    for (const char *p = text; *p != '\0';) {
        char *end;
        long long ms;
        if (n == SCRIPT_MAX_STEPS)
            return snprintf(err, errlen, "plan '%s': at most %d steps", text, SCRIPT_MAX_STEPS), -1;
        ms = strtoll(p + 1, &end, 10);
        if (strchr("wbc", *p) == NULL || *p == '\0' || end == p + 1 || ms < 0 || ms > 3600000 ||
            (*end != ',' && *end != '\0'))
            return snprintf(err, errlen,
                            "plan '%s': steps are w, b or c followed by 0..3600000 ms, separated "
                            "by commas (e.g. w2000,c500)",
                            text),
                   -1;
        steps[n++] = (struct script_step){*p, ms};
        p = *end == ',' ? end + 1 : end;
    }
    if (n == 0)
        return snprintf(err, errlen, "plan '': a plan has at least one step (e.g. w100)"), -1;
    return n;
}

/* Every plan padded to the longest, kinds agreeing at each position. */
static int script_align(struct script_wl *s, const int *len, char *err, size_t errlen)
{
    for (int k = 0; k < SCRIPT_MAX_STEPS; k++)
        s->kind[k] = STEP_WAIT;
    for (int i = 0; i < s->nplans; i++)
        for (int k = 0; k < len[i]; k++)
            s->kind[k] = s->plan[i][k].op == 'w' ? STEP_WAIT : STEP_COMPUTE;
    for (int i = 0; i < s->nplans; i++)
        for (int k = 0; k < s->nsteps; k++) {
            enum step_kind want = s->kind[k];
            if (k >= len[i])
                s->plan[i][k] = (struct script_step){want == STEP_WAIT ? 'w' : 'b', 0};
            else if ((s->plan[i][k].op == 'w') != (want == STEP_WAIT))
                return snprintf(err, errlen,
                                "plans disagree at step %d: one waits (w), another computes or "
                                "blocks (c, b); pad with w0 or b0 to line them up",
                                k + 1),
                       -1;
        }
    return 0;
}

static int script_prepare(const struct param_set *p, void **instance, char *err, size_t errlen)
{
    struct script_wl *s = calloc(1, sizeof(*s));
    const char *values[SCRIPT_MAX_PLANS];
    int len[SCRIPT_MAX_PLANS];

    if (s == NULL)
        return snprintf(err, errlen, "out of memory"), -1;
    s->nplans = params_all(p, "plan", values, SCRIPT_MAX_PLANS);
    if (s->nplans == 0) {
        values[0] = script_params[0].def;
        s->nplans = 1;
    }
    for (int i = 0; i < s->nplans; i++) {
        len[i] = parse_plan(values[i], s->plan[i], err, errlen);
        if (len[i] < 0) {
            free(s);
            return -1;
        }
        s->nsteps = len[i] > s->nsteps ? len[i] : s->nsteps;
    }
    if (script_align(s, len, err, errlen) != 0) {
        free(s);
        return -1;
    }
    *instance = s;
    return 0;
}

static void script_release(void *instance)
{
    free(instance);
}

static int script_steps(const void *instance)
{
    return ((const struct script_wl *)instance)->nsteps;
}

static enum step_kind script_step_kind(const void *instance, int step)
{
    return ((const struct script_wl *)instance)->kind[step];
}

static const struct script_step *step_of(const struct script_wl *s, const struct task_ctx *t)
{
    return &s->plan[t->rec->task % s->nplans][t->step];
}

/* Burns CPU until ms have passed; the hash keeps the loop from being optimised away. */
static uint64_t busy_ms(long long ms)
{
    double until = clock_now_s() + (double)ms / 1000.0;
    volatile uint64_t h = 1469598103934665603ULL;

    while (clock_now_s() < until)
        for (int i = 0; i < 1000; i++)
            h = (h ^ (uint64_t)i) * 1099511628211ULL;
    return h;
}

static int script_step_block(void *instance, struct task_ctx *t)
{
    const struct script_step *st = step_of(instance, t);
    int rc = 0;

    if (st->op == 'c')
        (void)busy_ms(st->ms);
    else
        rc = wait_timer_block(st->ms, st->op == 'w');
    if (rc == 0)
        t->rec->digest += (uint64_t)st->ms;
    return rc;
}

static int script_step_start(void *instance, struct task_ctx *t)
{
    const struct script_step *st = step_of(instance, t);
    int rc = wait_timer_start(t, st->ms);

    if (rc == 0)
        t->rec->digest += (uint64_t)st->ms;
    return rc;
}

/* Correct: every step ran (the digest sums their ms) and the task lasted at least their sum. */
static int script_check(const void *instance, const struct task_record *rec, char *err,
                        size_t errlen)
{
    const struct script_wl *s = instance;
    const struct script_step *plan = s->plan[rec->task % s->nplans];
    uint64_t want = 0;

    for (int k = 0; k < s->nsteps; k++)
        want += (uint64_t)plan[k].ms;
    if (rec->digest != want)
        return snprintf(err, errlen, "task %d: its steps add up to %llu ms, expected %llu ms",
                        rec->task, (unsigned long long)rec->digest, (unsigned long long)want),
               -1;
    if (rec->end_s - rec->start_s < (double)want / 1000.0 - 1e-6)
        return snprintf(err, errlen, "task %d: took %.3f ms, its steps plan %llu ms", rec->task,
                        (rec->end_s - rec->start_s) * 1000.0, (unsigned long long)want),
               -1;
    return 0;
}

const struct workload workload_script = {
    .name = "script",
    .summary = "each task follows a plan of timed steps (w wait, b blocking sleep, c CPU); the "
               "demos",
    .params = script_params,
    .prepare = script_prepare,
    .release = script_release,
    .steps = script_steps,
    .step_kind = script_step_kind,
    .step_block = script_step_block,
    .step_start = script_step_start,
    .check = script_check,
    .cancellable = 1,
};
