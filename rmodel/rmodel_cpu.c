/* A timeline's three states: queued (for a pool worker, or for the loop), runnable (its thread
 * alive but not on a CPU) and running. A step records its wall span, the CPU time its thread ran
 * and how long it first waited for a pool worker; a CPU total cannot say *when* inside the span it
 * ran, so the span is read as its queued part first, then the rest with a running density cpu /
 * (wall - queued): the share of a CPU the step had. Summed over tasks, densities give the expected
 * number of busy CPUs, which stays under the CPUs the run had when tasks of a case share them
 * fairly (CFS does); steps with very different spans can overshoot by what the averaging hides. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rmodel/rmodel.h"

/* A figure read from a file: anything but a finite number >= 0 counts as 0. */
static double nonneg(double v)
{
    return isfinite(v) && v > 0 ? v : 0;
}

int rm_task_has_cpu(const struct rm_task *t)
{
    return t->ncpu > 0 && t->ncpu >= t->nsteps;
}

int rm_case_has_cpu(const struct rm_case *c)
{
    for (int i = 0; i < c->ntimeline; i++)
        if (c->timeline[i].worker >= 0 && rm_task_has_cpu(&c->timeline[i]))
            return 1;
    return 0;
}

void rm_task_span(const struct rm_task *t, int k, struct rm_span *sp)
{
    double wall;

    sp->from = k == 0 ? t->start_s : fmin(t->steps_end_s[k - 1], t->end_s);
    sp->to = k < t->nsteps ? fmin(t->steps_end_s[k], t->end_s) : t->end_s;
    if (!(sp->to > sp->from)) /* NAN too */
        sp->to = sp->from;
    wall = sp->to - sp->from;
    sp->queued = k < t->nqueued ? fmin(nonneg(t->steps_queued_s[k]), wall) : 0;
    sp->cpu = k < t->ncpu ? nonneg(t->steps_cpu_s[k]) : 0;
    /* Every step marked: the last span holds no step, only the wait until the loop (or the
     * thread) takes the last step's news and ends the task: queued, for the loop. */
    if (k == t->nsteps && k > 0 && t->ncpu <= k)
        sp->queued = wall;
    sp->density = wall - sp->queued > 0 ? fmin(sp->cpu / (wall - sp->queued), 1.0) : 0;
    if (!rm_task_has_cpu(t))
        sp->density = -1;
}

enum rm_tstate rm_task_state_at(const struct rm_task *t, double when, int *step, double *density)
{
    struct rm_span sp;
    int k = rm_task_step_at(t, when);

    *step = k;
    *density = 0;
    if (k < 0)
        return RM_TS_IDLE;
    rm_task_span(t, k, &sp);
    *density = sp.density;
    if (when < sp.from + sp.queued) {
        *density = 0;
        return RM_TS_QUEUED;
    }
    return RM_TS_ACTIVE;
}

double rm_running_at(const struct rm_case *c, double when)
{
    double n = 0, d;
    int step;

    for (int i = 0; i < c->ntimeline; i++)
        if (rm_task_state_at(&c->timeline[i], when, &step, &d) == RM_TS_ACTIVE)
            n += d < 0 ? 1 : d; /* a task without CPU time counts as running */
    return n;
}

struct density_ev {
    double t, d;
};

static int by_time_ends_first(const void *a, const void *b)
{
    const struct density_ev *x = a, *y = b;

    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->d < y->d ? -1 : x->d > y->d ? 1 : 0;
}

/* Adds task t's spans past their queue to ev (+weight at the start, - at the end), weighed by
 * their running density (running) or 1 (holding a worker); its CPU time to *cpu_s. */
static int task_events(const struct rm_task *t, int running, struct density_ev *ev, double *cpu_s)
{
    int n = 0;

    for (int k = 0; k <= t->nsteps; k++) {
        struct rm_span sp;
        double w;
        rm_task_span(t, k, &sp);
        *cpu_s += sp.cpu;
        w = running ? sp.density : 1;
        if (w <= 0 || !(sp.to > sp.from + sp.queued))
            continue;
        ev[n++] = (struct density_ev){sp.from + sp.queued, w};
        ev[n++] = (struct density_ev){sp.to, -w};
    }
    return n;
}

/* Every task's events in time order (ends first at equal times); their number. */
static int sorted_events(const struct rm_case *c, int running, struct density_ev **ev,
                         double *cpu_s)
{
    size_t cap = 1;
    int n = 0;

    for (int i = 0; i < c->ntimeline; i++)
        cap += 2 * ((size_t)c->timeline[i].nsteps + 1);
    *ev = malloc(cap * sizeof(**ev));
    if (*ev == NULL)
        abort();
    *cpu_s = 0;
    for (int i = 0; i < c->ntimeline; i++)
        if (c->timeline[i].worker >= 0 && rm_task_has_cpu(&c->timeline[i]))
            n += task_events(&c->timeline[i], running, *ev + n, cpu_s);
    qsort(*ev, (size_t)n, sizeof(**ev), by_time_ends_first);
    return n;
}

/* The greatest sum of weights at one instant. */
static double sweep_most(const struct rm_case *c, int running, double *cpu_s)
{
    struct density_ev *ev;
    double now = 0, most = 0;
    int n = sorted_events(c, running, &ev, cpu_s);

    for (int i = 0; i < n; i++) {
        now += ev[i].d;
        most = now > most ? now : most;
    }
    free(ev);
    return most;
}

void rm_timeline_running(const struct rm_case *c, double *most, int *holding, double *cpu_s)
{
    *holding = (int)lround(sweep_most(c, 0, cpu_s));
    *most = sweep_most(c, 1, cpu_s);
}

int rm_running_steps(const struct rm_case *c, double **at, double **value)
{
    struct density_ev *ev;
    double cpu_s, now = 0;
    int n = sorted_events(c, 1, &ev, &cpu_s), m = 0;

    *at = malloc(((size_t)n + 1) * sizeof(**at));
    *value = malloc(((size_t)n + 1) * sizeof(**value));
    if (*at == NULL || *value == NULL)
        abort();
    for (int i = 0; i < n; i++) {
        now += ev[i].d;
        if (i + 1 < n && ev[i + 1].t == ev[i].t)
            continue; /* one sample per instant, after all its changes */
        (*at)[m] = ev[i].t;
        (*value)[m++] = fabs(now) < 1e-9 ? 0 : now; /* rounding leaves crumbs of nothing */
    }
    free(ev);
    return m;
}
