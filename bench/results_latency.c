/* io_bound's drawn delays into the results (results_latency.h). */
#include "bench/results_latency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/io_bound.h"
#include "workloads/task.h"

struct bench_latency *bench_latency_keep(const struct workload *wl, const void *instance,
                                         long long tasks)
{
    const struct io_latency *plan;
    struct bench_latency *l;

    if (wl != &workload_io_bound || (plan = io_bound_latency(instance)) == NULL)
        return NULL;
    l = calloc(1, sizeof(*l));
    if (l == NULL)
        return NULL;
    l->plan = *plan;
    l->plan.dists = malloc((size_t)plan->requests * sizeof(*plan->dists));
    if (l->plan.dists == NULL) {
        free(l);
        return NULL;
    }
    memcpy(l->plan.dists, plan->dists, (size_t)plan->requests * sizeof(*plan->dists));
    l->digest = io_latency_digest(plan, (uint64_t)tasks);
    io_latency_bounds(plan, (uint64_t)tasks, &l->makespan_ms, &l->total_ms);
    return l;
}

void bench_latency_free(struct bench_latency *l)
{
    if (l == NULL)
        return;
    io_latency_free(&l->plan);
    free(l);
}

static void fill_delays(struct rm_case *out, const struct io_latency *plan)
{
    int n = plan->requests < TASK_STEP_MARKS ? plan->requests : TASK_STEP_MARKS;

    for (int i = 0; i < out->ntimeline; i++) {
        struct rm_task *t = &out->timeline[i];
        free(t->delays_ms);
        t->delays_ms = calloc((size_t)n, sizeof(double));
        if (t->delays_ms == NULL)
            abort();
        for (t->ndelays = 0; t->ndelays < n; t->ndelays++)
            t->delays_ms[t->ndelays] = (double)io_latency_ms(plan, (uint64_t)t->task, t->ndelays);
    }
}

void bench_latency_fill(struct rm_case *out, const struct bench_latency *l)
{
    struct rm_latency *r;
    char text[LATENCY_TEXT], digest[17];

    if (l == NULL)
        return;
    r = calloc(1, sizeof(*r));
    if (r == NULL || (r->dists.v = calloc((size_t)l->plan.requests, sizeof(char *))) == NULL)
        abort();
    for (int k = 0; k < l->plan.requests; k++) {
        latency_format(&l->plan.dists[k], text, sizeof(text));
        r->dists.v[r->dists.n++] = rm_strdup(text);
    }
    r->profile = l->plan.profile[0] ? rm_strdup(l->plan.profile) : NULL;
    r->seed = (long long)l->plan.seed;
    r->scale = l->plan.scale;
    snprintf(digest, sizeof(digest), "%016llx", (unsigned long long)l->digest);
    r->digest = rm_strdup(digest);
    r->makespan_s = (double)l->makespan_ms / 1000.0;
    r->total_s = (double)l->total_ms / 1000.0;
    rm_latency_free(out->latency);
    out->latency = r;
    fill_delays(out, &l->plan);
}
