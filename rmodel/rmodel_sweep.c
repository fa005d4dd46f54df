/* A sweep in the results model: the N asked per workload, the time bounds, the points left out
 * (the "sweep" object of results/README.md; its dump is rmodel_dump.c's), and the figures a
 * sweep's table derives per case. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rmodel/rmodel.h"
#include "rmodel/rmodel_read.h"
#include "runners/runner.h"

static void *sweep_grow(void *v, int n, size_t size)
{
    void *p = realloc(v, (size_t)(n + 1) * size);

    if (p == NULL)
        abort();
    return p;
}

void rm_sweep_plan_add(struct rm_sweep *s, const char *workload, const long long *tasks, int n)
{
    struct rm_sweep_plan *p;

    s->plans = sweep_grow(s->plans, s->nplans, sizeof(*s->plans));
    p = &s->plans[s->nplans++];
    p->workload = rm_strdup(workload);
    p->tasks = calloc((size_t)n + 1, sizeof(*p->tasks));
    if (p->tasks == NULL)
        abort();
    memcpy(p->tasks, tasks, (size_t)n * sizeof(*tasks));
    p->n = n;
}

void rm_sweep_skip_add(struct rm_sweep *s, const char *workload, const char *label, long long tasks,
                       const char *kind, const char *reason)
{
    s->skipped = sweep_grow(s->skipped, s->nskipped, sizeof(*s->skipped));
    s->skipped[s->nskipped++] = (struct rm_sweep_skip){
        rm_strdup(workload), rm_strdup(label), tasks, rm_strdup(kind), rm_strdup(reason), NULL};
}

void rm_sweep_free(struct rm_sweep *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < s->nplans; i++) {
        free(s->plans[i].workload);
        free(s->plans[i].tasks);
    }
    for (int i = 0; i < s->nskipped; i++) {
        struct rm_sweep_skip *k = &s->skipped[i];
        free(k->workload);
        free(k->label);
        free(k->kind);
        free(k->reason);
        json_decref(k->extra);
    }
    free(s->plans);
    free(s->skipped);
    json_decref(s->extra);
    free(s);
}

/* "tasks": {"sleep": [10, 100, ...], ...}, each N a positive whole number. */
static int sweep_load_plans(struct rmr *r, json_t *o, struct rm_sweep *s)
{
    json_t *tasks, *a, *v;
    const char *wl;
    char where[128], item[160];

    if (rmr_object(r, o, "sweep", "tasks", RMR_REQUIRED, &tasks) != 0)
        return -1;
    json_object_foreach(tasks, wl, a)
    {
        long long n[64];
        size_t i;

        rmr_path(where, sizeof(where), "sweep.tasks", wl);
        if (!json_is_array(a) || json_array_size(a) > 64)
            return rmr_fail(r, where, "expected an array of at most 64 task counts");
        json_array_foreach(a, i, v)
        {
            if (!json_is_integer(v) || json_integer_value(v) < 1)
                return rmr_fail(r, rmr_index(item, sizeof(item), where, i),
                                "expected a whole number of tasks, 1 or more");
            n[i] = (long long)json_integer_value(v);
        }
        rm_sweep_plan_add(s, wl, n, (int)json_array_size(a));
    }
    return 0;
}

static int sweep_load_skip(struct rmr *r, json_t *p, const char *where, struct rm_sweep_skip *k)
{
    static const char *const keys[] = {"workload", "label", "tasks", "kind", "reason", NULL};

    if (!json_is_object(p))
        return rmr_fail(r, where, "expected an object");
    if (rmr_str(r, p, where, "workload", RMR_REQUIRED, &k->workload) ||
        rmr_str(r, p, where, "label", RMR_REQUIRED, &k->label) ||
        rmr_int(r, p, where, "tasks", RMR_REQUIRED, &k->tasks) ||
        rmr_str(r, p, where, "kind", RMR_REQUIRED, &k->kind) ||
        rmr_str(r, p, where, "reason", RMR_REQUIRED, &k->reason))
        return -1;
    k->extra = rmr_extra(p, keys);
    return 0;
}

int rm_sweep_load(struct rmr *r, json_t *root, struct rm_sweep **out)
{
    static const char *const keys[] = {"tasks", "max_seconds", "sequential_max_seconds", "skipped",
                                       NULL};
    struct rm_sweep *s;
    json_t *o, *skipped;
    char where[64];

    *out = NULL;
    if (rmr_object(r, root, "", "sweep", RMR_OPTIONAL, &o) != 0)
        return -1;
    if (o == NULL)
        return 0;
    s = *out = calloc(1, sizeof(*s)); /* freed with the file, also after a failure */
    if (s == NULL)
        abort();
    s->max_seconds = s->sequential_max_seconds = NAN;
    if (sweep_load_plans(r, o, s) != 0 ||
        rmr_num(r, o, "sweep", "max_seconds", RMR_OPTIONAL, &s->max_seconds) ||
        rmr_num(r, o, "sweep", "sequential_max_seconds", RMR_OPTIONAL,
                &s->sequential_max_seconds) ||
        rmr_array(r, o, "sweep", "skipped", RMR_OPTIONAL, &skipped))
        return -1;
    for (size_t i = 0; i < json_array_size(skipped); i++) {
        s->skipped = sweep_grow(s->skipped, s->nskipped, sizeof(*s->skipped));
        memset(&s->skipped[s->nskipped], 0, sizeof(s->skipped[0]));
        s->nskipped++;
        if (sweep_load_skip(r, json_array_get(skipped, i),
                            rmr_index(where, sizeof(where), "sweep.skipped", i),
                            &s->skipped[s->nskipped - 1]) != 0)
            return -1;
    }
    s->extra = rmr_extra(o, keys);
    return 0;
}

/* sleep's bound: the ms values cycle over the tasks (workloads/sleep.c). */
static double sleep_ideal_s(const struct rm_case *c, int sequential)
{
    const struct rm_param *ms = NULL;
    double sum = 0, max = 0;

    for (int i = 0; i < c->params.n && ms == NULL; i++)
        if (strcmp(c->params.v[i].key, "ms") == 0)
            ms = &c->params.v[i];
    if (ms == NULL || ms->n == 0 || c->tasks < 1)
        return -1;
    for (long long t = 0; t < c->tasks && (sequential || t < ms->n); t++) {
        const struct rm_scalar *v = &ms->v[t % ms->n];
        if (!v->is_int)
            return -1;
        sum += (double)v->i / 1000.0;
        max = (double)v->i / 1000.0 > max ? (double)v->i / 1000.0 : max;
    }
    return sequential ? sum : max;
}

/* The workload's name without a variant's parameters ("io_bound:client=raw" is io_bound). */
static int workload_is(const struct rm_case *c, const char *name)
{
    size_t n = strlen(name);

    return strncmp(c->workload, name, n) == 0 && (c->workload[n] == '\0' || c->workload[n] == ':');
}

double rm_ideal_wall_s(const struct rm_case *c)
{
    int sequential;

    if (c == NULL || c->workload == NULL || c->model == NULL)
        return -1;
    sequential = runner_is_serial(c->model);
    if (c->workers > 0 && !sequential)
        return -1; /* a pool's bound depends on how the tasks fall on its workers */
    if (workload_is(c, "sleep"))
        return sleep_ideal_s(c, sequential);
    if (workload_is(c, "io_bound"))
        return rm_latency_bound_s(c);
    return -1;
}

double rm_efficiency(const struct rm_case *c)
{
    double ideal = rm_ideal_wall_s(c), wall = rm_median(c);

    return ideal > 0 && wall > 0 ? ideal / wall : -1;
}

double rm_cpu_per_task_s(const struct rm_case *c)
{
    double user, sys;

    if (c == NULL || c->tasks < 1 || rm_median(c) < 0)
        return -1;
    user = c->fig[RM_USER].st.median;
    sys = c->fig[RM_SYS].st.median;
    if (!isfinite(user) || !isfinite(sys))
        return -1;
    return (user + sys) / (double)c->tasks;
}
