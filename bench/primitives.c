/* The primitives measured as a run into a results model (bench/primitives.h). */
#include "bench/primitives.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/results.h"
#include "runners/primitives/primitives.h"

void primrun_defaults(struct primrun_opts *o)
{
    *o = (struct primrun_opts){.runs = 5, .target_ms = 100};
    for (const struct prim *p = prims; p->name != NULL; p++)
        o->chosen[p - prims] = p->launch == 0;
}

int primrun_select(struct primrun_opts *o, const char *list, char *bad, size_t badlen)
{
    char buf[512], *save = NULL;

    snprintf(buf, sizeof(buf), "%s", list);
    memset(o->chosen, 0, sizeof(o->chosen));
    for (char *name = strtok_r(buf, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
        const struct prim *p = prim_find(name);
        if (p == NULL) {
            snprintf(bad, badlen, "%s", name);
            return -1;
        }
        o->chosen[p - prims] = 1;
        if (p->vs != NULL) /* a model's own path is only read next to its raw primitive */
            o->chosen[prim_find(p->vs) - prims] = 1;
    }
    return 0;
}

static void param_add(struct rm_params *ps, const char *key, const char *s, long long i)
{
    struct rm_param *p;

    ps->v = realloc(ps->v, (size_t)(ps->n + 1) * sizeof(*ps->v));
    if (ps->v == NULL)
        abort();
    p = &ps->v[ps->n++];
    memset(p, 0, sizeof(*p));
    p->key = rm_strdup(key);
    p->v = calloc(1, sizeof(*p->v));
    if (p->v == NULL)
        abort();
    p->n = 1;
    p->v[0].is_int = s == NULL;
    p->v[0].i = i;
    p->v[0].s = rm_strdup(s);
}

/* One figure of a case from one field of the samples, scaled (ns to s). */
static void figure_set(struct rm_figure *fig, const struct prim_sample *s, int runs, size_t field,
                       double scale)
{
    double v[PRIMRUN_MAX_RUNS];

    for (int i = 0; i < runs; i++)
        v[i] = *(const double *)((const char *)&s[i] + field) * scale;
    rm_figure_set(fig, v, runs);
}

/* One primitive's runs, or why it has none. */
struct measured {
    const struct prim *p;
    struct prim_sample s[PRIMRUN_MAX_RUNS];
    long long n;
    int rc;
    char err[256];
};

/* One primitive's case: per operation, wall_s and CPU seconds, context switches; peak RSS of
 * the process. Or the error that stopped it. */
static struct rm_case *case_file(struct rm_file *f, const struct measured *m, int runs)
{
    const struct prim *p = m->p;
    struct rm_case *c = rm_case_add(f);
    char workload[96];
    int got = m->rc == 0 ? runs : 0;

    if (c == NULL)
        abort();
    snprintf(workload, sizeof(workload), "primitive:%s", p->name);
    c->implementation = rm_strdup("c");
    c->model = rm_strdup(p->model);
    c->label = rm_strdup(p->name);
    c->workload = rm_strdup(workload);
    c->tasks = m->n;
    param_add(&c->params, "group", p->group, 0);
    param_add(&c->params, "operation", p->what, 0);
    param_add(&c->params, "ops_per_run", NULL, m->n);
    if (p->vs != NULL)
        param_add(&c->params, "compared_with", p->vs, 0);
    if (p->impl != NULL)
        param_add(&c->params, "impl", p->impl(), 0);
    c->reps_done = got;
    figure_set(&c->fig[RM_WALL], m->s, got, offsetof(struct prim_sample, wall_ns), 1e-9);
    figure_set(&c->fig[RM_USER], m->s, got, offsetof(struct prim_sample, user_ns), 1e-9);
    figure_set(&c->fig[RM_SYS], m->s, got, offsetof(struct prim_sample, sys_ns), 1e-9);
    figure_set(&c->fig[RM_RSS], m->s, got, offsetof(struct prim_sample, max_rss_kib), 1);
    figure_set(&c->fig[RM_CTXV], m->s, got, offsetof(struct prim_sample, ctx_voluntary), 1);
    figure_set(&c->fig[RM_CTXI], m->s, got, offsetof(struct prim_sample, ctx_involuntary), 1);
    c->validation_ok = m->rc == 0;
    c->tasks_checked = got;
    if (m->rc != 0) {
        c->error_count = 1;
        rm_strs_note(&c->errors, m->err, 1);
    }
    rm_strs_note(&f->config.workloads, workload, 64);
    rm_strs_note(&f->config.models, p->name, 64);
    return c;
}

static struct rm_file *file_new(const struct primrun_opts *o)
{
    struct rm_file *f = rm_new();
    json_t *ctx = context_json();
    char err[256];

    f->tool = rm_strdup("concbench " CONCBENCH_VERSION);
    if (ctx != NULL)
        rm_context_from_doc(ctx, &f->context, err, sizeof(err));
    json_decref(ctx);
    f->config.reps = o->runs;
    f->complete = 1;
    return f;
}

/* The chosen model row compared with raw primitive p (e.g. pthreads_task for pthread_spawn10). */
static const struct prim *partner(const struct primrun_opts *o, const struct prim *p)
{
    for (const struct prim *q = prims; q->name != NULL; q++)
        if (o->chosen[q - prims] && q->vs != NULL && strcmp(q->vs, p->name) == 0)
            return q;
    return NULL;
}

/* m[0] alone, or m[0] and its model row m[1] with their runs alternating; when the pair fails,
 * each alone, so the one that works keeps its figures. */
static void measure(const struct primrun_opts *o, struct measured *m, int count)
{
    double target = o->target_ms / 1000.0;

    if (count == 2) {
        const struct prim *pair[2] = {m[0].p, m[1].p};
        struct prim_sample *s[2] = {m[0].s, m[1].s};
        long long n[2] = {0, 0};

        m[0].rc = m[1].rc =
            prim_measure_pair(pair, o->runs, target, n, s, m[0].err, sizeof(m[0].err));
        m[0].n = n[0];
        m[1].n = n[1];
        if (m[0].rc == 0)
            return;
    }
    for (int k = 0; k < count; k++)
        m[k].rc =
            prim_measure(m[k].p, o->runs, target, &m[k].n, m[k].s, m[k].err, sizeof(m[k].err));
}

/* Files m in f and tells the observer: 0 measured or skipped, 1 failed. */
static int file_one(const struct primrun_opts *o, const struct primrun_observer *obs,
                    struct rm_file *f, const struct measured *m)
{
    const struct rm_case *c;

    if (m->rc == -ENOTSUP) { /* e.g. stack=copy under a sanitizer: nothing to measure here */
        if (obs != NULL && obs->skipped != NULL)
            obs->skipped(obs->arg, m->p->name, m->err);
        return 0;
    }
    c = case_file(f, m, o->runs);
    if (obs != NULL && obs->filed != NULL)
        obs->filed(obs->arg, f, c);
    return m->rc != 0;
}

struct rm_file *primrun(const struct primrun_opts *o, const struct primrun_observer *obs,
                        int *failed)
{
    static struct measured m[2];
    struct rm_file *f = file_new(o);

    *failed = 0;
    for (const struct prim *p = prims; p->name != NULL; p++) {
        int count = 1;

        if (!o->chosen[p - prims] || (p->vs != NULL && o->chosen[prim_find(p->vs) - prims]))
            continue; /* not asked for, or measured with its raw primitive */
        memset(m, 0, sizeof(m));
        m[0].p = p;
        if ((m[1].p = partner(o, p)) != NULL)
            count = 2;
        measure(o, m, count);
        for (int k = 0; k < count; k++)
            *failed |= file_one(o, obs, f, &m[k]);
    }
    return f;
}
