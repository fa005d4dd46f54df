#include "bench/reproduce_python.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/run_captured.h"

#define PY_ISOLATION                                                                               \
    "each repetition in a fresh interpreter process, interleaved with the C rounds (every "        \
    "variant once after each round of the C cases)"

/* Runs every variant once after a round of the C cases (an observer's round_done). */
static void py_rounds_after(void *arg, struct bench *b, int round, int measured)
{
    struct py_rounds *r = arg;
    int rounds = r->cfg->warmup + r->cfg->reps;

    /* bench_run catches SIGINT/SIGTERM while it calls us, so run_captured sees a Ctrl-C. */
    for (int i = 0; i < r->nv && !r->interrupted; i++) {
        struct py_variant *v = &r->v[i];
        const char *wl = r->cfg->wls[v->w].wl->name;
        char why[1024];
        struct rm_case c;

        if (isatty(2))
            fprintf(stderr, "\r\033[K[%d/%d] python:%-17s %-9s round %d/%d%s", i + 1, r->nv,
                    repro_python[v->m], wl, round + 1, rounds, measured ? "" : " (warmup)");
        rm_case_init(&c);
        if (python_run_once(r->py, r->sizes, v->m, wl, r->url, &c, &r->interrupted, why,
                            sizeof(why)) != 0) {
            if (r->interrupted)
                break;
            py_merge_error(&v->merge, why); /* as a C repetition that failed, warmup or not */
        } else if (measured) {
            py_merge_case(&v->merge, &c);
        }
        rm_case_clear(&c);
    }
    if (isatty(2))
        fprintf(stderr, "\r\033[K");
    if (r->interrupted)
        b->interrupted = 1;
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
            python_skip_reason(py, m, cfg->wls[w].wl->name, url, why, sizeof(why));
            if (cfg->wls[w].name != NULL) /* the script can draw the delays; not wired here */
                snprintf(why, sizeof(why),
                         "the Python variants do not run %s yet (concbench_py.py --latency "
                         "--seed --server draws the same delays; reproduce does not pass them)",
                         cfg->wls[w].name);
            if (why[0] != '\0') {
                if (rm_strs_note(skipped, why, 1 << 20))
                    fprintf(stderr, "concbench reproduce: %s\n", why);
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
        if (c->python != NULL)
            json_object_set_new(c->python, "isolation", json_string(PY_ISOLATION));
        if (!rm_valid(c))
            failed = 1;
        py_merge_free(&v->merge);
    }
    r->nv = 0;
    return failed;
}
