/* Seeded latency distributions (latency.h). Bit-exactness with the Python copy in
 * scripts/python/concbench_py.py rests on three things: integer-only hashing, the same libm
 * calls in the same order (log, sqrt, cos, exp, pow), and no fused multiply-add, which
 * CMakeLists.txt turns off for this file (-ffp-contract=off; GCC contracts by default on
 * aarch64). */
#include "common/latency.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/params.h"

static const char *const kind_names[] = {"fixed", "uniform", "normal", "lognormal", "pareto"};
/* The names of parameters a and b of each kind; NULL = none. */
static const char *const kind_params[][2] = {
    {"ms", NULL}, {"min", "max"}, {"mean", "sd"}, {"median", "sigma"}, {"min", "alpha"}};
static const char *const kind_usage[] = {
    "fixed:ms=MS",           "uniform:min=MS,max=MS",
    "normal:mean=MS,sd=MS",  "lognormal:median=MS,sigma=S",
    "pareto:min=MS,alpha=A",
};

uint64_t latency_mix(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t latency_key(uint64_t seed, uint64_t task, uint64_t request)
{
    return latency_mix(latency_mix(latency_mix(seed) ^ task) ^ request);
}

double latency_uniform(uint64_t key, unsigned j)
{
    /* 53 random bits, centred in their cell: never 0, so log() and pow() are safe. */
    return ((double)(latency_mix(key ^ j) >> 11) + 0.5) * 0x1p-53;
}

/* A standard normal number from two uniforms (Box-Muller, cosine branch). */
static double std_normal(uint64_t key)
{
    double u0 = latency_uniform(key, 0), u1 = latency_uniform(key, 1);
    return sqrt(-2.0 * log(u0)) * cos(2.0 * M_PI * u1);
}

long latency_draw_ms(const struct latency_dist *d, uint64_t seed, uint64_t task, uint64_t request)
{
    uint64_t key = latency_key(seed, task, request);
    double x = d->a;

    switch (d->kind) {
    case LATENCY_FIXED:
        break;
    case LATENCY_UNIFORM:
        x = d->a + (d->b - d->a) * latency_uniform(key, 0);
        break;
    case LATENCY_NORMAL:
        x = d->a + d->b * std_normal(key);
        break;
    case LATENCY_LOGNORMAL:
        x = d->a * exp(d->b * std_normal(key));
        break;
    case LATENCY_PARETO:
        x = d->a / pow(latency_uniform(key, 0), 1.0 / d->b);
        break;
    }
    if (x < d->floor_ms)
        x = d->floor_ms;
    if (x > d->cap_ms)
        x = d->cap_ms;
    return (long)floor(x + 0.5);
}

void latency_scale(struct latency_dist *d, double factor)
{
    d->a *= factor;
    if (d->kind == LATENCY_UNIFORM || d->kind == LATENCY_NORMAL)
        d->b *= factor; /* max, sd: durations too */
    d->floor_ms *= factor;
    d->cap_ms = fmin(d->cap_ms * factor, LATENCY_MAX_MS);
}

static int find_kind(const char *name, size_t len)
{
    for (int k = 0; k <= LATENCY_PARETO; k++)
        if (strlen(kind_names[k]) == len && strncmp(kind_names[k], name, len) == 0)
            return k;
    return -1;
}

/* Parses one "key=number" of kind k into d; seen[] marks a, b, floor, cap. */
static int parse_pair(const char *pair, int k, struct latency_dist *d, int seen[4], char *err,
                      size_t errlen)
{
    const char *eq = strchr(pair, '=');
    size_t klen = eq ? (size_t)(eq - pair) : strlen(pair);
    const char *names[4] = {kind_params[k][0], kind_params[k][1], "floor", "cap"};
    double *slots[4] = {&d->a, &d->b, &d->floor_ms, &d->cap_ms};

    for (int i = 0; i < 4; i++) {
        if (names[i] == NULL || strlen(names[i]) != klen || strncmp(names[i], pair, klen) != 0)
            continue;
        if (eq == NULL) {
            snprintf(err, errlen, "%s: '%s' needs a value (%s=NUMBER)", kind_names[k], pair,
                     names[i]);
            return -1;
        }
        if (seen[i]) {
            snprintf(err, errlen, "%s: %s is given twice (expected %s)", kind_names[k], names[i],
                     kind_usage[k]);
            return -1;
        }
        if (parse_double(eq + 1, -DBL_MAX, DBL_MAX, slots[i]) != 0) {
            snprintf(err, errlen, "%s: %s=%s is not a number", kind_names[k], names[i], eq + 1);
            return -1;
        }
        seen[i] = 1;
        return 0;
    }
    snprintf(err, errlen, "%s: unknown parameter '%.*s' (expected %s, optionally floor=MS,cap=MS)",
             kind_names[k], (int)klen, pair, kind_usage[k]);
    return -1;
}

/* The bounds each kind's parameters must respect; 0 or -1 with err. */
static int check_dist(const struct latency_dist *d, char *err, size_t errlen)
{
    const char *name = kind_names[d->kind];
    const double max = LATENCY_MAX_MS;

    if (d->floor_ms < 0 || d->cap_ms > max || d->floor_ms > d->cap_ms)
        snprintf(err, errlen, "%s: need 0 <= floor <= cap <= %d ms", name, LATENCY_MAX_MS);
    else if (d->kind == LATENCY_FIXED && (d->a < 0 || d->a > max))
        snprintf(err, errlen, "fixed: ms must be 0..%d", LATENCY_MAX_MS);
    else if (d->kind == LATENCY_UNIFORM && !(d->a >= 0 && d->a <= d->b && d->b <= max))
        snprintf(err, errlen, "uniform: need 0 <= min <= max <= %d ms", LATENCY_MAX_MS);
    else if (d->kind == LATENCY_NORMAL && !(d->a >= 0 && d->a <= max && d->b >= 0))
        snprintf(err, errlen, "normal: need mean in 0..%d ms and sd >= 0", LATENCY_MAX_MS);
    else if (d->kind == LATENCY_LOGNORMAL && !(d->a > 0 && d->a <= max && d->b >= 0 && d->b <= 5))
        snprintf(err, errlen, "lognormal: need median in (0, %d] ms and sigma in 0..5",
                 LATENCY_MAX_MS);
    else if (d->kind == LATENCY_PARETO && !(d->a > 0 && d->a <= max && d->b > 0))
        snprintf(err, errlen, "pareto: need min in (0, %d] ms and alpha > 0", LATENCY_MAX_MS);
    else
        return 0;
    return -1;
}

int latency_parse(const char *text, long fixed_ms, struct latency_dist *d, char *err, size_t errlen)
{
    const char *colon = strchr(text, ':');
    size_t nlen = colon ? (size_t)(colon - text) : strlen(text);
    int k = find_kind(text, nlen), seen[4] = {0, 0, 0, 0};
    char buf[LATENCY_TEXT * 2], *save = NULL;

    if (k < 0) {
        snprintf(err, errlen, "unknown distribution '%.*s' (valid: %s)", (int)nlen, text,
                 LATENCY_KINDS);
        return -1;
    }
    memset(d, 0, sizeof *d);
    d->kind = (enum latency_kind)k;
    d->a = (double)fixed_ms;
    d->cap_ms = LATENCY_MAX_MS;
    if (colon != NULL) {
        if (snprintf(buf, sizeof buf, "%s", colon + 1) >= (int)sizeof buf) {
            snprintf(err, errlen, "%s: parameters too long", kind_names[k]);
            return -1;
        }
        /* strtok_r would skip an empty part: "fixed:" and "ms=1,,cap=9" are typing errors */
        if (buf[0] == '\0' || buf[0] == ',' || buf[strlen(buf) - 1] == ',' || strstr(buf, ",,")) {
            snprintf(err, errlen, "%s: an empty parameter in '%s' (expected %s%s)", kind_names[k],
                     text, kind_usage[k],
                     k == LATENCY_FIXED ? ", or fixed alone for delay_ms" : "");
            return -1;
        }
        for (char *p = strtok_r(buf, ",", &save); p != NULL; p = strtok_r(NULL, ",", &save))
            if (parse_pair(p, k, d, seen, err, errlen) != 0)
                return -1;
    }
    if ((k != LATENCY_FIXED && !seen[0]) || (kind_params[k][1] != NULL && !seen[1])) {
        snprintf(err, errlen, "%s needs its parameters: %s", kind_names[k], kind_usage[k]);
        return -1;
    }
    return check_dist(d, err, errlen);
}

/* Appends ",key=value" (or ":key=value" first) with the fewest digits that read back as v. */
static void append_num(char *buf, size_t len, const char *key, double v)
{
    size_t used = strlen(buf);
    char num[32];

    for (int prec = 1; prec <= 17; prec++) {
        if (v == floor(v) && fabs(v) < 1e15)
            snprintf(num, sizeof num, "%.0f", v); /* whole milliseconds: never 1e+02 */
        else
            snprintf(num, sizeof num, "%.*g", prec, v);
        if (strtod(num, NULL) == v)
            break;
    }
    if (used < len)
        snprintf(buf + used, len - used, "%s%s=%s", strchr(buf, ':') ? "," : ":", key, num);
}

void latency_format(const struct latency_dist *d, char *buf, size_t len)
{
    const char *const *p = kind_params[d->kind];

    snprintf(buf, len, "%s", kind_names[d->kind]);
    append_num(buf, len, p[0], d->a);
    if (p[1] != NULL)
        append_num(buf, len, p[1], d->b);
    if (d->floor_ms != 0 || d->cap_ms != LATENCY_MAX_MS) {
        append_num(buf, len, "floor", d->floor_ms);
        append_num(buf, len, "cap", d->cap_ms);
    }
}
