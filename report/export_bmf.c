/* Bencher Metric Format: {benchmark name: {measure slug: {value, lower_value, upper_value}}}.
 * Bounds are the 95% interval clamped to the samples' [min, max] (a t interval from 2 samples can
 * reach below zero) and widened to hold the value (the median may lie outside the mean's
 * interval). */
#include <math.h>
#include <stdlib.h>

#include "rmodel/case_key.h"
#include "analysis/compare.h"
#include "report/export.h"

/* {value, lower_value, upper_value} of st, every number times scale. */
static json_t *exp_bmf_metric(const struct stats *st, double value, double scale)
{
    double lo = fmin(fmax(st->ci95_lo, st->min), value);
    double hi = fmax(fmin(st->ci95_hi, st->max), value);

    return json_pack("{s:f, s:f, s:f}", "value", value * scale, "lower_value", lo * scale,
                     "upper_value", hi * scale);
}

static json_t *exp_bmf_case(const struct rm_file *f, const struct rm_case *c)
{
    const struct stats *w = &c->fig[RM_WALL].st, *rss = &c->fig[RM_RSS].st;
    json_t *o = json_object();
    int n;
    double *sp = cmp_metric_samples(f, c, CMP_SPEEDUP, &n);

    json_object_set_new(o, "latency", exp_bmf_metric(w, w->median, 1e9));
    if (sp != NULL) {
        struct stats st;
        stats_compute(sp, n, &st);
        /* the value is the speed-up of the medians, as in the results file */
        json_object_set_new(o, "speedup", exp_bmf_metric(&st, rm_speedup(f, c), 1.0));
        free(sp);
    }
    if (c->fig[RM_RSS].nsamples > 0)
        json_object_set_new(o, "max-rss", exp_bmf_metric(rss, rss->median, 1.0));
    return o;
}

static json_t *bmf(const struct rm_file *f, struct rm_strs *skipped)
{
    json_t *out = json_object();
    char key[CK_KEY_MAX];

    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        if (!exp_include(c, skipped))
            continue;
        ck_key(c, key, sizeof(key));
        json_object_set_new(out, key, exp_bmf_case(f, c));
    }
    return out;
}

const struct exp_format exp_format_bmf = {
    "bmf",
    "Bencher Metric Format (bencher run --adapter json): {name:\n"
    "{latency: {value, lower_value, upper_value} in ns, speedup (x),\n"
    "max-rss (KiB)}}; bounds are the 95% interval clamped to the\n"
    "samples' [min, max]",
    bmf,
};
