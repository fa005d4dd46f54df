#include "bench/python/reproduce_merge.h"

#include <stdlib.h>
#include <string.h>

void py_merge_init(struct py_merge *g)
{
    memset(g, 0, sizeof(*g));
    rm_case_init(&g->last);
    g->ok = 1;
}

/* The script's own spread warnings judge its single repetition: they are judged again over all
 * the repetitions when the case is finished. */
static int is_spread_warning(const char *t)
{
    return strncmp(t, "only ", 5) == 0 || strncmp(t, "unstable: ", 10) == 0;
}

static void samples_append(struct py_samples *s, const struct rm_figure *fig)
{
    double *grown = realloc(s->v, (size_t)(s->n + fig->nsamples + 1) * sizeof(*grown));

    if (grown == NULL)
        abort(); /* a handful of doubles */
    s->v = grown;
    if (fig->nsamples > 0) /* an absent figure has no sample array: memcpy wants non-NULL */
        memcpy(s->v + s->n, fig->samples, (size_t)fig->nsamples * sizeof(*grown));
    s->n += fig->nsamples;
}

void py_merge_case(struct py_merge *g, struct rm_case *c)
{
    for (int f = 0; f < RM_NFIGS; f++)
        samples_append(&g->samples[f], &c->fig[f]);
    g->reps += c->reps_done;
    g->checked += c->tasks_checked;
    g->failures += c->failures;
    g->ok = g->ok && c->validation_ok;
    g->errors += c->error_count;
    for (int i = 0; i < c->errors.n; i++)
        rm_strs_note(&g->messages, c->errors.v[i], CASE_MAX_MESSAGES);
    for (int i = 0; i < c->warnings.n; i++)
        if (!is_spread_warning(c->warnings.v[i]))
            rm_strs_note(&g->warnings, c->warnings.v[i], CASE_MAX_MESSAGES);
    rm_case_clear(&g->last);
    g->last = *c;
    g->have_last = 1;
    rm_case_init(c);
}

void py_merge_error(struct py_merge *g, const char *why)
{
    g->errors++;
    g->ok = 0;
    rm_strs_note(&g->messages, why, CASE_MAX_MESSAGES);
}

void py_merge_finish(struct py_merge *g, struct rm_case *empty, struct rm_case *out)
{
    char text[256];

    if (g->have_last) {
        *out = g->last;
        rm_case_clear(empty);
    } else {
        *out = *empty;
        out->timeline_of = out->tasks;
        out->timeline_kept = 0;
    }
    rm_case_init(empty);
    rm_case_init(&g->last);
    g->have_last = 0;
    out->reps_done = g->reps;
    for (int f = 0; f < RM_NFIGS; f++)
        rm_figure_set(&out->fig[f], g->samples[f].v, g->samples[f].n);
    if (out->checksum == NULL)
        out->checksum = rm_strdup("0000000000000000");
    out->validation_ok = g->ok && g->checked > 0;
    out->tasks_checked = g->checked;
    out->failures = g->failures;
    out->error_count = g->errors;
    rm_strs_clear(&out->errors);
    out->errors = g->messages;
    rm_strs_clear(&out->warnings);
    out->warnings = g->warnings;
    memset(&g->messages, 0, sizeof(g->messages));
    memset(&g->warnings, 0, sizeof(g->warnings));
    if (bench_spread_warning(&out->fig[RM_WALL].st, text, sizeof(text)))
        rm_strs_note(&out->warnings, text, CASE_MAX_MESSAGES);
}

void py_merge_free(struct py_merge *g)
{
    for (int f = 0; f < RM_NFIGS; f++)
        free(g->samples[f].v);
    rm_strs_clear(&g->messages);
    rm_strs_clear(&g->warnings);
    rm_case_clear(&g->last);
    memset(g, 0, sizeof(*g));
}
