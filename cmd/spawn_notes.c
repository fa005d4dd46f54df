/* After `run`'s table: where creating the tasks is a large share of a case's wall time, say so,
 * with what it costs on this machine, measured right after the run: the model's own spawn path
 * (its runner on no-op tasks) next to the raw primitive (pthread_create+join, fork+wait), timed
 * together. Spawn costs differ tenfold between machines, and at N=10 they decide cpu_bound's
 * ratios. */
#include "cmd/spawn_notes.h"

#include <stdio.h>
#include <string.h>

#include "rmodel/stats.h"
#include "runners/primitives/primitives.h"
#include "runners/runner.h"

#define SPAWN_RUNS       5
#define SPAWN_TARGET_S   0.05
#define SPAWN_NOTE_SHARE 0.10 /* from this share of the wall time on */

#define SPAWN_MAX_MODELS 16

/* A model that creates one thread or process per task: its own path and the raw primitive. */
struct spawn_cost {
    const struct runner *r;
    const struct prim *p[2]; /* raw, the model's own path */
    double ns[2];            /* median ns per task; 0 = not measured yet, < 0 = failed */
};

/* The costs of the model of case c (one thread or process per task), or NULL. */
static struct spawn_cost *spawn_cost_of(const struct rm_case *c, struct spawn_cost *costs, int *n)
{
    const struct runner *r = runner_find(c->model);
    int i = 0;

    if (c->workers > 0 || strcmp(c->implementation, "c") != 0 || r == NULL || r->spawn == NULL)
        return NULL;
    while (i < *n && costs[i].r != r)
        i++;
    if (i == *n) {
        if (*n == SPAWN_MAX_MODELS)
            return NULL;
        costs[(*n)++] = (struct spawn_cost){
            r, {prim_find(r->spawn->raw_prim), prim_find(r->spawn->own_prim)}, {0, 0}};
    }
    return &costs[i];
}

static double spawn_median(const struct prim_sample *s)
{
    double ns[SPAWN_RUNS];
    struct stats st;

    for (int i = 0; i < SPAWN_RUNS; i++)
        ns[i] = s[i].wall_ns;
    stats_compute(ns, SPAWN_RUNS, &st);
    return st.median;
}

/* Both primitives of sc, their runs alternating; ns < 0 when they could not be measured. */
static void spawn_measure(struct spawn_cost *sc)
{
    struct prim_sample raw[SPAWN_RUNS], own[SPAWN_RUNS], *s[2] = {raw, own};
    long long n[2];
    char err[256];

    if (sc->p[0] == NULL || sc->p[1] == NULL ||
        prim_measure_pair(sc->p, SPAWN_RUNS, SPAWN_TARGET_S, n, s, err, sizeof(err)) != 0) {
        sc->ns[0] = sc->ns[1] = -1;
        return;
    }
    sc->ns[0] = spawn_median(raw);
    sc->ns[1] = spawn_median(own);
}

void spawn_notes(const struct rm_file *f, FILE *out)
{
    struct spawn_cost costs[SPAWN_MAX_MODELS];
    int ncosts = 0;

    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        struct spawn_cost *sc = spawn_cost_of(c, costs, &ncosts);
        double wall = rm_median(c), total_s;

        if (sc == NULL || wall <= 0 || c->tasks <= 0)
            continue;
        if (sc->ns[0] == 0)
            spawn_measure(sc);
        if (sc->ns[1] < 0)
            continue;
        total_s = (double)c->tasks * sc->ns[1] * 1e-9;
        if (total_s < SPAWN_NOTE_SHARE * wall)
            continue;
        fprintf(out,
                "%s/%s: creating and joining its %lld tasks costs about %lld x %.3f ms = %.4f s "
                "on this machine, ",
                c->workload, c->label, c->tasks, c->tasks, sc->ns[1] * 1e-6, total_s);
        if (total_s < wall) /* a busy machine can make the estimate exceed the whole run */
            fprintf(out, "%.0f%% of its %.4f s median wall time", 100.0 * total_s / wall, wall);
        else
            fprintf(out, "as long as its whole %.4f s median wall time", wall);
        fprintf(out,
                " (measured after the run, `concbench primitives --only %s,%s`: the "
                "runner's own path %.3f ms per task with 10 at a time, %s %.3f ms)\n",
                sc->p[0]->name, sc->p[1]->name, sc->ns[1] * 1e-6, sc->p[0]->what, sc->ns[0] * 1e-6);
    }
}
