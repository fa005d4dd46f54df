/* A case's drawn delays in the results model (rm_latency): load, dump, and the bound and
 * efficiency derived from them; and the embedded server's record (rm_server), the ceiling the
 * instrument put on the case. */
#include <math.h>
#include <stdio.h>
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

json_t *rm_server_to_doc(const struct rm_server *sv)
{
    json_t *doc = json_pack(
        "{s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "threads", (json_int_t)sv->threads,
        "responses", (json_int_t)sv->responses, "requests", (json_int_t)sv->requests,
        "lateness_p50_ms", num_or_null(sv->late_p50_ms), "lateness_p90_ms",
        num_or_null(sv->late_p90_ms), "lateness_p99_ms", num_or_null(sv->late_p99_ms),
        "lateness_max_ms", num_or_null(sv->late_max_ms), "lateness_mean_ms",
        num_or_null(sv->late_mean_ms), "delay_ms", num_or_null(sv->delay_ms),
        "client_cpu_us_per_request", num_or_null(sv->client_cpu_us_per_request));
    if (doc != NULL && sv->connections >= 0)
        json_object_set_new(doc, "connections", json_integer((json_int_t)sv->connections));
    return doc;
}

int rm_server_load(struct rmr *r, json_t *case_doc, const char *where, struct rm_server **out)
{
    json_t *o;
    char path[256];
    struct rm_server *sv;

    *out = NULL;
    if (rmr_object(r, case_doc, where, "server", RMR_OPTIONAL, &o) != 0)
        return -1;
    if (o == NULL)
        return 0;
    sv = calloc(1, sizeof(*sv));
    if (sv == NULL)
        abort();
    sv->late_p50_ms = sv->late_p90_ms = sv->late_p99_ms = sv->late_max_ms = sv->late_mean_ms =
        sv->delay_ms = sv->client_cpu_us_per_request = NAN;
    sv->connections = -1;
    rmr_path(path, sizeof(path), where, "server");
    *out = sv;
    return rmr_int(r, o, path, "threads", RMR_REQUIRED, &sv->threads) ||
                   rmr_int(r, o, path, "responses", RMR_REQUIRED, &sv->responses) ||
                   rmr_int(r, o, path, "requests", RMR_OPTIONAL, &sv->requests) ||
                   rmr_int(r, o, path, "connections", RMR_OPTIONAL, &sv->connections) ||
                   rmr_num(r, o, path, "lateness_p50_ms", RMR_OPTIONAL, &sv->late_p50_ms) ||
                   rmr_num(r, o, path, "lateness_p90_ms", RMR_OPTIONAL, &sv->late_p90_ms) ||
                   rmr_num(r, o, path, "lateness_p99_ms", RMR_OPTIONAL, &sv->late_p99_ms) ||
                   rmr_num(r, o, path, "lateness_max_ms", RMR_OPTIONAL, &sv->late_max_ms) ||
                   rmr_num(r, o, path, "lateness_mean_ms", RMR_OPTIONAL, &sv->late_mean_ms) ||
                   rmr_num(r, o, path, "delay_ms", RMR_OPTIONAL, &sv->delay_ms) ||
                   rmr_num(r, o, path, "client_cpu_us_per_request", RMR_OPTIONAL,
                           &sv->client_cpu_us_per_request)
               ? -1
               : 0;
}

/* "18 ms", "0.4 ms", "1.2 s" */
static void fmt_ms(double ms, char *buf, size_t len)
{
    if (ms >= 1000)
        snprintf(buf, len, "%.3g s", ms / 1000);
    else if (ms >= 10)
        snprintf(buf, len, "%.0f ms", ms);
    else
        snprintf(buf, len, "%.2g ms", ms);
}

int rm_server_limited(const struct rm_case *c, char *text, size_t len)
{
    const struct rm_server *sv = c != NULL ? c->server : NULL;
    char late[32], delay[32], adds[32], gap[32];
    double bound, over, added;

    if (len > 0)
        text[0] = '\0';
    if (sv == NULL || !isfinite(sv->late_p99_ms) || !isfinite(sv->delay_ms) || sv->delay_ms <= 0)
        return 0;
    fmt_ms(sv->late_p99_ms, late, sizeof(late));
    fmt_ms(sv->delay_ms, delay, sizeof(delay));
    bound = rm_latency_bound_s(c);
    if (bound > 0 && sv->requests > 0 && rm_median(c) > 0) {
        over = (rm_median(c) - bound) * 1000.0;
        added = (double)sv->requests * sv->late_p99_ms;
        if (over <= 0 || added < RM_SERVER_LIMIT_SHARE * over)
            return 0;
        fmt_ms(added < over ? added : over, adds, sizeof(adds));
        fmt_ms(over, gap, sizeof(gap));
        snprintf(text, len,
                 "limited by the server: p99 lateness %s of %s (%lld requests in a row: up to %s "
                 "of the %s over the bound)",
                 late, delay, sv->requests, adds, gap);
        return 1;
    }
    if (sv->late_p99_ms < RM_SERVER_LIMIT_SHARE * sv->delay_ms)
        return 0;
    snprintf(text, len, "limited by the server: p99 lateness %s of %s", late, delay);
    return 1;
}
