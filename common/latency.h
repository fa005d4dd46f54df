#ifndef CONCBENCH_LATENCY_H
#define CONCBENCH_LATENCY_H

#include <stddef.h>
#include <stdint.h>

/* Seeded latency distributions: the delay of task i, request k is a pure function of
 * (distribution, seed, i, k), never of the clock, so every model and every repetition of a case
 * waits exactly the same delays. The generator (splitmix64) and the transforms are small enough
 * to be written again, bit for bit, in scripts/python/concbench_py.py.
 *
 * Text form, as given to -p latency=...:
 *   fixed:ms=100
 *   uniform:min=50,max=150
 *   normal:mean=100,sd=20
 *   lognormal:median=120,sigma=0.6
 *   pareto:min=50,alpha=2.5
 * each optionally with floor=MS and cap=MS, the range every draw is clamped to (default 0 and
 * LATENCY_MAX_MS). Draws are rounded to whole milliseconds. */

#define LATENCY_KINDS  "fixed|uniform|normal|lognormal|pareto"
#define LATENCY_MAX_MS 60000
#define LATENCY_TEXT   160 /* room for any distribution's canonical text */

enum latency_kind {
    LATENCY_FIXED,
    LATENCY_UNIFORM,
    LATENCY_NORMAL,
    LATENCY_LOGNORMAL,
    LATENCY_PARETO,
};

struct latency_dist {
    enum latency_kind kind;
    /* fixed: ms, -; uniform: min, max; normal: mean, sd; lognormal: median, sigma;
     * pareto: min (the scale), alpha (the shape). */
    double a, b;
    double floor_ms, cap_ms; /* every draw is clamped to [floor_ms, cap_ms] */
};

/* Parses the text form. A bare "fixed" means fixed:ms=fixed_ms. Returns 0, or -1 with a message
 * in err that names the valid distributions or parameters. */
int latency_parse(const char *text, long fixed_ms, struct latency_dist *d, char *err,
                  size_t errlen);

/* Scales every duration of d (not sigma or alpha) by factor > 0: a profile run faster or slower
 * with the same shape. The cap stays within LATENCY_MAX_MS. */
void latency_scale(struct latency_dist *d, double factor);

/* The canonical text form of d (parses back to d). */
void latency_format(const struct latency_dist *d, char *buf, size_t len);

/* The delay of task `task`, request `request` (both from 0), in whole milliseconds within
 * [floor_ms, cap_ms] rounded. */
long latency_draw_ms(const struct latency_dist *d, uint64_t seed, uint64_t task, uint64_t request);

/* The generator underneath, exposed for the tests: splitmix64's finaliser, the key of
 * (seed, task, request), and the j-th uniform number in (0, 1] of a key. */
uint64_t latency_mix(uint64_t z);
uint64_t latency_key(uint64_t seed, uint64_t task, uint64_t request);
double latency_uniform(uint64_t key, unsigned j);

#endif
