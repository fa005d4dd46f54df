/* io_bound's delay plan (io_latency.h): which distribution each request position draws from. */
#include "workloads/io_latency.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hash.h"
#include "common/latency_profile.h"
#include "common/params.h"

void io_latency_free(struct io_latency *l)
{
    free(l->dists);
    memset(l, 0, sizeof *l);
}

/* Every position from the profile file; its line count must be the request count. */
static int apply_profile(struct io_latency *l, const char *path, long delay_ms, char *err,
                         size_t errlen)
{
    struct latency_profile p;

    if (latency_profile_load(path, delay_ms, &p, err, errlen) != 0)
        return -1;
    if (p.count != l->requests) {
        snprintf(err, errlen,
                 "latency profile %s (%s) has %d request positions, but requests=%d; give "
                 "-p requests=%d or a profile with %d lines after its name",
                 path, p.name, p.count, l->requests, p.count, l->requests);
        latency_profile_free(&p);
        return -1;
    }
    memcpy(l->dists, p.dists, (size_t)p.count * sizeof *l->dists);
    snprintf(l->profile, sizeof l->profile, "%s", p.name);
    latency_profile_free(&p);
    return 0;
}

/* latency.N= for single positions, after checking that no N is beyond the requests. */
static int apply_positions(struct io_latency *l, const struct param_set *params, long delay_ms,
                           char *err, size_t errlen)
{
    int max = params_max_index(params, "latency");
    char why[256];

    if (max > l->requests) {
        snprintf(err, errlen,
                 "latency.%d: a task makes only requests=%d requests (positions 1..%d)", max,
                 l->requests, l->requests);
        return -1;
    }
    for (int k = 1; k <= l->requests; k++) {
        const char *text = params_at(params, "latency", k);
        if (text != NULL && latency_parse(text, delay_ms, &l->dists[k - 1], why, sizeof why) != 0) {
            snprintf(err, errlen, "latency.%d=%s: %s", k, text, why);
            return -1;
        }
    }
    return 0;
}

/* latency_scale=: a factor in (0, 100]; 1 when not given. 0, or -1 with err. */
static int read_scale(const char *text, double *factor, char *err, size_t errlen)
{
    *factor = 1.0;
    if (text == NULL)
        return 0;
    /* parse_double, not strtod: " 5", "+5", "0x5" and "inf" are not the numbers a user wrote */
    if (parse_double(text, 0, 100, factor) != 0 || !(*factor > 0)) {
        snprintf(err, errlen, "latency_scale=%s: expected a number in (0, 100], e.g. 0.1", text);
        return -1;
    }
    return 0;
}

int io_latency_prepare(struct io_latency *l, const struct param_set *params,
                       const struct param_spec *specs, int requests, long delay_ms, char *err,
                       size_t errlen)
{
    const char *all = params_str(params, specs, "latency");
    const char *profile = params_str(params, specs, "latency_profile");
    struct latency_dist base;
    char why[256];
    double factor;

    memset(l, 0, sizeof *l);
    l->seed = (uint64_t)params_int(params, specs, "seed");
    l->requests = requests;
    l->dists = calloc((size_t)requests, sizeof *l->dists);
    if (l->dists == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (latency_parse(all ? all : "fixed", delay_ms, &base, why, sizeof why) != 0) {
        snprintf(err, errlen, "latency=%s: %s", all, why);
        io_latency_free(l);
        return -1;
    }
    for (int k = 0; k < requests; k++)
        l->dists[k] = base;
    if ((profile != NULL && apply_profile(l, profile, delay_ms, err, errlen) != 0) ||
        apply_positions(l, params, delay_ms, err, errlen) != 0 ||
        read_scale(params_str(params, specs, "latency_scale"), &factor, err, errlen) != 0) {
        io_latency_free(l);
        return -1;
    }
    l->scale = factor;
    for (int k = 0; k < requests; k++) {
        latency_scale(&l->dists[k], factor);
        if (l->dists[k].kind != LATENCY_FIXED || l->dists[k].a != (double)delay_ms)
            l->varied = 1;
    }
    return 0;
}

long io_latency_ms(const struct io_latency *l, uint64_t task, int request)
{
    return latency_draw_ms(&l->dists[request], l->seed, task, (uint64_t)request);
}

uint64_t io_latency_digest(const struct io_latency *l, uint64_t tasks)
{
    uint64_t h = HASH_FNV1A_INIT;
    unsigned char le[8];

    for (uint64_t i = 0; i < tasks; i++) {
        for (int k = 0; k < l->requests; k++) {
            uint64_t ms = (uint64_t)io_latency_ms(l, i, k);
            for (int b = 0; b < 8; b++)
                le[b] = (unsigned char)(ms >> (8 * b));
            h = hash_fnv1a(h, le, sizeof le);
        }
    }
    return h;
}

void io_latency_bounds(const struct io_latency *l, uint64_t tasks, long long *makespan_ms,
                       long long *total_ms)
{
    *makespan_ms = 0;
    *total_ms = 0;
    for (uint64_t i = 0; i < tasks; i++) {
        long long sum = 0;
        for (int k = 0; k < l->requests; k++)
            sum += io_latency_ms(l, i, k);
        if (sum > *makespan_ms)
            *makespan_ms = sum;
        *total_ms += sum;
    }
}
