#include "bench/python/reproduce_python.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/run_captured.h"

#define PY_ISOLATION                                                                               \
    "each repetition in a fresh interpreter process, interleaved with the C rounds (every "        \
    "variant once after each round of the C cases)"

/* Runs every variant once after a round of the C cases (an observer's round_done). */
static void py_rounds_after(void *arg, struct bench *b, const struct rm_file *f, int round,
                            int measured)
{
    struct py_rounds *r = arg;
    int rounds = r->cfg->warmup + r->cfg->reps;

    (void)f;

    /* bench_run catches SIGINT/SIGTERM while it calls us, so run_captured sees a Ctrl-C. */
    for (int i = 0; i < r->nv && !r->interrupted; i++) {
        struct py_variant *v = &r->v[i];
        const char *wl = r->cfg->wls[v->w].wl->name;
        char why[1024];
        struct rm_case c;

        if (r->on_variant != NULL)
            r->on_variant(r->on_variant_arg, r, i, round, rounds, measured);
        rm_case_init(&c);
        if (python_run_once(r->py, r->sizes, v->m, wl, r->url,
                            r->lat[v->w].n > 0 ? &r->lat[v->w] : NULL, &c, &r->interrupted, why,
                            sizeof(why)) != 0) {
            if (r->interrupted)
                break;
            py_merge_error(&v->merge, why); /* as a C repetition that failed, warmup or not */
        } else if (measured) {
            py_merge_case(&v->merge, &c);
        }
        rm_case_clear(&c);
    }
    if (r->on_variant != NULL)
        r->on_variant(r->on_variant_arg, r, -1, round, rounds, measured);
    if (r->interrupted)
        b->interrupted = 1;
}

void py_rounds_latency(struct py_rounds *r, const struct bench *b, const char *base)
{
    memset(r->lat, 0, sizeof(r->lat));
    for (int w = 0; w < b->cfg->nwls && w < CONFIG_MAX_WORKLOADS; w++) {
        const struct bench_latency *l = b->latency[w];
        struct py_latency *pl = &r->lat[w];
        int same = 1;

        r->plan[w] = l;
        if (l == NULL || b->cfg->wls[w].name == NULL || base[0] == '\0')
            continue;
        for (int k = 1; k < l->plan.requests; k++)
            same &= memcmp(&l->plan.dists[k], &l->plan.dists[0], sizeof(l->plan.dists[0])) == 0;
        if (!same && l->plan.requests > PY_LATENCY_MAX)
            continue; /* py_rounds_init notes why */
        snprintf(pl->server, sizeof(pl->server), "%s", base);
        snprintf(pl->seed, sizeof(pl->seed), "%llu", (unsigned long long)l->plan.seed);
        for (pl->n = 0; pl->n < (same ? 1 : l->plan.requests); pl->n++) {
            latency_format(&l->plan.dists[pl->n], r->lat_text[w][pl->n], LATENCY_TEXT);
            pl->dists[pl->n] = r->lat_text[w][pl->n];
        }
    }
}

/* 1 when the run has a model labelled label (a model with no option). */
static int model_in_run(const struct config *cfg, const char *label)
{
    for (int i = 0; i < cfg->nmodels; i++)
        if (strcmp(cfg->models[i].label, label) == 0)
            return 1;
    return 0;
}

void py_rounds_init(struct py_rounds *r, const struct py_env *py, const struct py_sizes *sizes,
                    const struct config *cfg, const char *url, struct rm_strs *skipped)
{
    r->py = py;
    r->sizes = sizes;
    r->cfg = cfg;
    r->url = url;
    r->nv = 0;
    r->interrupted = 0;
    r->observer = (struct bench_observer){.round_done = py_rounds_after, .arg = r};
    for (int w = 0; w < cfg->nwls; w++)
        for (int m = 0; m < REPRO_NMODELS; m++) {
            char why[256];
            if (!model_in_run(cfg, repro_models[m])) /* reproduce -m left its C model out */
                continue;
            python_skip_reason(py, m, cfg->wls[w].wl->name, url, why, sizeof(why));
            if (why[0] == '\0' && cfg->wls[w].name != NULL && r->lat[w].n == 0)
                snprintf(why, sizeof(why),
                         "python %s skipped: more than %d different distributions, or no "
                         "server for it",
                         cfg->wls[w].name, PY_LATENCY_MAX);
            if (why[0] != '\0') {
                rm_strs_note(skipped, why, 1 << 20);
                continue;
            }
            r->v[r->nv].m = m;
            r->v[r->nv].w = w;
            py_merge_init(&r->v[r->nv].merge);
            r->nv++;
        }
}

int py_rounds_finish(struct py_rounds *r, int interrupted, struct rm_file *f)
{
    int failed = 0;

    for (int i = 0; i < r->nv; i++) {
        struct py_variant *v = &r->v[i];
        struct rm_case empty, *c;

        if (interrupted && v->merge.reps == 0 && v->merge.errors == 0) {
            py_merge_free(&v->merge);
            continue;
        }
        python_empty_case(r->sizes, v->m, r->cfg->wls[v->w].wl->name, &empty);
        c = rm_case_add(f);
        if (c == NULL)
            abort();
        py_merge_finish(&v->merge, &empty, c);
        if (r->lat[v->w].n > 0) { /* the C plan's name and record: the same delays */
            free(c->workload);
            c->workload = rm_strdup(r->cfg->wls[v->w].name);
            bench_latency_fill(c, r->plan[v->w]);
        }
        if (c->python != NULL)
            json_object_set_new(c->python, "isolation", json_string(PY_ISOLATION));
        if (!rm_valid(c))
            failed = 1;
        py_merge_free(&v->merge);
    }
    r->nv = 0;
    return failed;
}

json_t *py_facts(const struct py_env *py, const char *interpreter, int ran,
                 const struct rm_strs *skipped, const char *why, const char *server)
{
    json_t *pj = json_pack("{s:s, s:b, s:o}", "interpreter", interpreter, "ran", ran, "skipped",
                           json_array());

    for (int i = 0; i < skipped->n; i++)
        json_array_append_new(json_object_get(pj, "skipped"), json_string(skipped->v[i]));
    if (!ran)
        json_object_set_new(pj, "reason", json_string(why));
    if (py->info != NULL) {
        json_object_set(pj, "version", json_object_get(py->info, "python"));
        json_object_set(pj, "modules", json_object_get(py->info, "modules"));
    }
    if (server[0] != '\0')
        json_object_set_new(pj, "server", json_string(server));
    json_object_set_new(pj, "note",
                        json_string("Python cases interleaved with the C rounds: after each round "
                                    "of the C cases (warmup rounds too), every variant runs once "
                                    "in a fresh interpreter process, against a server of their "
                                    "own with the same delay and body size as the C io_bound's"));
    return pj;
}
