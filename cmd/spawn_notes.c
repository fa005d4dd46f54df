/* After `run`'s table: where creating the tasks is a large share of a case's wall time, say so,
 * with what the raw primitive (pthread_create+join, fork+wait) costs on this machine, measured
 * right now. Spawn costs differ tenfold between machines, and at N=10 they decide cpu_bound's
 * ratios. */
#include "cmd/spawn_notes.h"

#include <stdio.h>
#include <string.h>

#include "bench/stats.h"
#include "runners/primitives.h"

#define SPAWN_RUNS       5
#define SPAWN_TARGET_S   0.05
#define SPAWN_NOTE_SHARE 0.10 /* from this share of the wall time on */

/* The primitive that creates one task of a model (one thread or process per task), or NULL. */
static const struct prim *spawn_prim_of(const struct rm_case *c)
{
    if (c->workers > 0 || strcmp(c->implementation, "c") != 0)
        return NULL;
    if (strcmp(c->model, "pthreads") == 0)
        return prim_find("pthread_spawn");
    if (strcmp(c->model, "processes") == 0)
        return prim_find("fork_spawn");
    return NULL;
}

/* Median ns of one operation of p, measured now; < 0 when it could not be measured. */
static double spawn_cost_ns(const struct prim *p)
{
    struct prim_sample s[SPAWN_RUNS];
    double ns[SPAWN_RUNS];
    struct stats st;
    long long n;
    char err[256];

    if (prim_measure(p, SPAWN_RUNS, SPAWN_TARGET_S, &n, s, err, sizeof(err)) != 0)
        return -1;
    for (int i = 0; i < SPAWN_RUNS; i++)
        ns[i] = s[i].wall_ns;
    stats_compute(ns, SPAWN_RUNS, &st);
    return st.median;
}

void spawn_notes(const struct rm_file *f, FILE *out)
{
    double cost[2] = {0, 0}; /* pthread_spawn, fork_spawn: measured once, when first needed */

    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        const struct prim *p = spawn_prim_of(c);
        double wall = rm_median(c), *ns, total_s;

        if (p == NULL || wall <= 0 || c->tasks <= 0)
            continue;
        ns = &cost[strcmp(p->name, "fork_spawn") == 0];
        if (*ns == 0)
            *ns = spawn_cost_ns(p);
        if (*ns < 0)
            continue;
        total_s = (double)c->tasks * *ns * 1e-9;
        if (total_s < SPAWN_NOTE_SHARE * wall)
            continue;
        fprintf(out,
                "%s/%s: creating its %lld tasks costs about %lld x %.3f ms = %.4f s on this "
                "machine (%s, measured after the run: `concbench primitives --only %s`), %.0f%% "
                "of its %.4f s median wall time\n",
                c->workload, c->label, c->tasks, c->tasks, *ns * 1e-6, total_s, p->what, p->name,
                100.0 * total_s / wall, wall);
    }
}
