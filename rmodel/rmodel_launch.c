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

void rm_launch_add(struct rm_case *c, double startup_s, const struct rm_host *hosts, int nhosts)
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
    if (nhosts > 0)
        set_hosts(l, hosts, nhosts);
}

json_t *rm_launch_to_doc(const struct rm_launch *l)
{
    json_t *o = json_object(), *reps = json_array(), *hosts = json_array();

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
    return 0;
}
