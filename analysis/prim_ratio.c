/* A primitive's ratios to the raw primitive it is compared with (analysis/prim_ratio.h). */
#include "analysis/prim_ratio.h"

#include <stdlib.h>
#include <string.h>

#include "rmodel/stats.h"

/* Median CPU seconds (user + system) over c's runs. */
static double cpu_median(const struct rm_case *c)
{
    const struct rm_figure *u = &c->fig[RM_USER], *s = &c->fig[RM_SYS];
    int n = u->nsamples < s->nsamples ? u->nsamples : s->nsamples;
    double *v = malloc((size_t)(n > 0 ? n : 1) * sizeof(*v));
    struct stats st;

    if (v == NULL)
        abort();
    for (int i = 0; i < n; i++)
        v[i] = u->samples[i] + s->samples[i];
    stats_compute(v, n, &st);
    free(v);
    return st.median;
}

int pratio_of(const struct rm_file *f, const struct rm_case *c, struct pratio *r)
{
    const char *vs = rm_param_str(&c->params, "compared_with");

    r->raw = NULL;
    if (vs == NULL || !rm_valid(c))
        return -1;
    for (int i = 0; i < f->ncases; i++)
        if (f->cases[i].label != NULL && strcmp(f->cases[i].label, vs) == 0)
            r->raw = &f->cases[i];
    if (r->raw == NULL || !rm_valid(r->raw))
        return -1;
    r->wall = c->fig[RM_WALL].st.median / r->raw->fig[RM_WALL].st.median;
    r->cpu = cpu_median(c) / cpu_median(r->raw);
    return 0;
}
