/* A case's "launch" object (rmodel/rmodel.h: struct rm_launch): the mpi model's start-up per
 * repetition and its median, and the hosts of the last repetition with their clock offsets. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rmodel/rmodel.h"
#include "rmodel/rmodel_read.h"
#include "rmodel/stats.h"

void rm_launch_free(struct rm_launch *l)
{
    if (l == NULL)
        return;
    for (int i = 0; i < l->nhosts; i++)
        free(l->hosts[i].name);
    free(l->hosts);
    free(l->rank_host);
    free(l->startup_reps);
    free(l);
}

static struct rm_launch *launch_new(void)
{
    struct rm_launch *l = calloc(1, sizeof(*l));

    if (l == NULL)
        abort();
    l->startup_s = NAN;
    return l;
}

static void set_hosts(struct rm_launch *l, const struct rm_host *hosts, int nhosts)
{
    for (int i = 0; i < l->nhosts; i++)
        free(l->hosts[i].name);
    free(l->hosts);
    l->hosts = calloc(nhosts > 0 ? (size_t)nhosts : 1, sizeof(*l->hosts));
    if (l->hosts == NULL)
        abort();
    for (int i = 0; i < nhosts; i++) {
        l->hosts[i] = hosts[i];
        l->hosts[i].name = rm_strdup(hosts[i].name);
    }
    l->nhosts = nhosts;
}

static void set_rank_host(struct rm_launch *l, const int *rank_host, int nranks)
{
    free(l->rank_host);
    l->rank_host = calloc(nranks > 0 ? (size_t)nranks : 1, sizeof(*l->rank_host));
    if (l->rank_host == NULL)
        abort();
    for (int r = 0; r < nranks; r++)
        l->rank_host[r] = rank_host[r] >= 0 && rank_host[r] < l->nhosts ? rank_host[r] : -1;
    l->nranks = nranks;
}

void rm_launch_add(struct rm_case *c, double startup_s, const struct rm_host *hosts, int nhosts,
                   const int *rank_host, int nranks)
{
    struct rm_launch *l;
    struct stats st;

    if (startup_s <= 0 && nhosts == 0)
        return;
    if (c->launch == NULL)
        c->launch = launch_new();
    l = c->launch;
    if (startup_s > 0) {
        double *v = realloc(l->startup_reps, (size_t)(l->nreps + 1) * sizeof(*v));
        if (v == NULL)
            abort();
        v[l->nreps++] = startup_s;
        l->startup_reps = v;
        stats_compute(v, l->nreps, &st);
        l->startup_s = st.median;
    }
    if (nhosts > 0) {
        set_hosts(l, hosts, nhosts);
        set_rank_host(l, rank_host, nranks);
    }
}

int rm_launch_host_of(const struct rm_case *c, long long worker)
{
    const struct rm_launch *l = c->launch;

    return l != NULL && worker >= 0 && worker < l->nranks ? l->rank_host[worker] : -1;
}

double rm_launch_uncertainty(const struct rm_case *c)
{
    double most = 0;

    if (c->launch == NULL || c->launch->nhosts < 2)
        return -1;
    for (int i = 0; i < c->launch->nhosts; i++)
        if (isfinite(c->launch->hosts[i].uncertainty_s) && c->launch->hosts[i].uncertainty_s > most)
            most = c->launch->hosts[i].uncertainty_s;
    return most;
}

json_t *rm_launch_to_doc(const struct rm_launch *l)
{
    json_t *o = json_object(), *reps = json_array(), *hosts = json_array(), *ranks = json_array();

    for (int r = 0; r < l->nranks; r++)
        json_array_append_new(ranks, json_integer(l->rank_host[r]));
    for (int i = 0; i < l->nreps; i++)
        json_array_append_new(reps, json_real(l->startup_reps[i]));
    for (int i = 0; i < l->nhosts; i++)
        json_array_append_new(hosts, json_pack("{s:s, s:I, s:f, s:f}", "host", l->hosts[i].name,
                                               "ranks", (json_int_t)l->hosts[i].ranks, "offset_s",
                                               l->hosts[i].offset_s, "uncertainty_s",
                                               l->hosts[i].uncertainty_s));
    if (isfinite(l->startup_s))
        json_object_set_new(o, "startup_s", json_real(l->startup_s));
    json_object_set_new(o, "startup_s_reps", reps);
    json_object_set_new(o, "hosts", hosts);
    json_object_set_new(o, "rank_host", ranks);
    return o;
}

static int load_host(struct rmr *r, json_t *h, const char *where, struct rm_host *out)
{
    out->offset_s = out->uncertainty_s = NAN;
    return rmr_str(r, h, where, "host", RMR_REQUIRED, &out->name) ||
                   rmr_int(r, h, where, "ranks", RMR_REQUIRED, &out->ranks) ||
                   rmr_num(r, h, where, "offset_s", RMR_OPTIONAL, &out->offset_s) ||
                   rmr_num(r, h, where, "uncertainty_s", RMR_OPTIONAL, &out->uncertainty_s)
               ? -1
               : 0;
}

/* "rank_host": each rank's host, an index into hosts (-1: unknown). */
static int load_rank_host(struct rmr *r, json_t *o, const char *path, struct rm_launch *l)
{
    double *v = NULL;
    int n = 0, rc = rmr_nums(r, o, path, "rank_host", RMR_OPTIONAL, &v, &n);
    char at[300];

    l->rank_host = calloc(n > 0 ? (size_t)n : 1, sizeof(*l->rank_host));
    if (l->rank_host == NULL)
        abort();
    for (int i = 0; rc == 0 && i < n; i++, l->nranks++) {
        if (v[i] != floor(v[i]) || v[i] < -1 || v[i] >= l->nhosts) {
            rmr_index(at, sizeof(at), path, (size_t)i);
            rc = rmr_fail(r, at, "expected a host's index, -1 to %d (rank_host)", l->nhosts - 1);
        }
        l->rank_host[i] = (int)v[i];
    }
    free(v);
    return rc;
}

int rm_launch_load(struct rmr *r, json_t *case_doc, const char *where, struct rm_launch **out)
{
    char path[256], hpath[280], at[300];
    json_t *o, *hosts = NULL;
    struct rm_launch *l;
    size_t i;
    json_t *h;

    *out = NULL;
    if (rmr_object(r, case_doc, where, "launch", RMR_OPTIONAL, &o) != 0)
        return -1;
    if (o == NULL)
        return 0;
    *out = l = launch_new();
    rmr_path(path, sizeof(path), where, "launch");
    if (rmr_num(r, o, path, "startup_s", RMR_OPTIONAL, &l->startup_s) ||
        rmr_nums(r, o, path, "startup_s_reps", RMR_OPTIONAL, &l->startup_reps, &l->nreps) ||
        rmr_array(r, o, path, "hosts", RMR_OPTIONAL, &hosts))
        return -1;
    l->hosts = calloc(json_array_size(hosts) + 1, sizeof(*l->hosts));
    if (l->hosts == NULL)
        abort();
    json_array_foreach(hosts, i, h)
    {
        rmr_index(at, sizeof(at), rmr_path(hpath, sizeof(hpath), path, "hosts"), i);
        l->nhosts++;
        if (!json_is_object(h))
            return rmr_fail(r, at, "expected an object");
        if (load_host(r, h, at, &l->hosts[i]) != 0)
            return -1;
    }
    return load_rank_host(r, o, path, l);
}
