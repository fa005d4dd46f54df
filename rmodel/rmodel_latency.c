/* A case's drawn delays in the results model (rm_latency): load, dump, and the bound and
 * efficiency derived from them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rmodel/rmodel.h"
#include "rmodel/rmodel_read.h"
#include "runners/runner.h"

void rm_latency_free(struct rm_latency *l)
{
    if (l == NULL)
        return;
    rm_strs_clear(&l->dists);
    free(l->profile);
    free(l->digest);
    free(l);
}

double rm_latency_bound_s(const struct rm_case *c)
{
    const struct rm_latency *l = c != NULL ? c->latency : NULL;
    double bound;

    if (l == NULL)
        return -1;
    bound = runner_is_serial(c->model) ? l->total_s : l->makespan_s;
    return isfinite(bound) && bound > 0 ? bound : -1;
}

double rm_latency_efficiency(const struct rm_case *c)
{
    double bound = rm_latency_bound_s(c), wall = rm_median(c);
    return bound > 0 && wall > 0 ? bound / wall : -1;
}

/* A number, or null where there is none. */
static json_t *num_or_null(double v)
{
    return isfinite(v) && v >= 0 ? json_real(v) : json_null();
}

json_t *rm_latency_to_doc(const struct rm_latency *l)
{
    json_t *dists = json_array();

    for (int i = 0; i < l->dists.n; i++)
        json_array_append_new(dists, json_string(l->dists.v[i]));
    return json_pack("{s:o, s:o, s:I, s:o, s:s, s:o, s:o}", "distributions", dists, "profile",
                     l->profile ? json_string(l->profile) : json_null(), "seed",
                     (json_int_t)l->seed, "scale", num_or_null(l->scale), "digest",
                     l->digest ? l->digest : "", "theoretical_makespan_s",
                     num_or_null(l->makespan_s), "theoretical_total_s", num_or_null(l->total_s));
}

int rm_latency_load(struct rmr *r, json_t *case_doc, const char *where, struct rm_latency **out)
{
    json_t *o;
    char path[256];
    struct rm_latency *l;

    *out = NULL;
    if (rmr_object(r, case_doc, where, "latency", RMR_OPTIONAL, &o) != 0)
        return -1;
    if (o == NULL)
        return 0;
    l = calloc(1, sizeof(*l));
    if (l == NULL)
        abort();
    l->scale = 1;
    l->makespan_s = l->total_s = NAN;
    rmr_path(path, sizeof(path), where, "latency");
    *out = l; /* freed with the case, also after a failure */
    return rmr_strs(r, o, path, "distributions", RMR_REQUIRED, &l->dists) ||
                   rmr_str(r, o, path, "profile", RMR_OPTIONAL, &l->profile) ||
                   rmr_int(r, o, path, "seed", RMR_REQUIRED, &l->seed) ||
                   rmr_num(r, o, path, "scale", RMR_OPTIONAL, &l->scale) ||
                   rmr_str(r, o, path, "digest", RMR_REQUIRED, &l->digest) ||
                   rmr_num(r, o, path, "theoretical_makespan_s", RMR_OPTIONAL, &l->makespan_s) ||
                   rmr_num(r, o, path, "theoretical_total_s", RMR_OPTIONAL, &l->total_s)
               ? -1
               : 0;
}
