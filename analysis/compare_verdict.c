/* One pair of cases: the metric's samples on each side, the ratio of the medians, the p-value
 * and the verdict (the rules are in compare.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare.h"
#include "analysis/compare_internal.h"
#include "analysis/mannwhitney.h"

static const char *const metric_names[] = {"wall", "speedup",    "user",
                                           "rss",  "normalized", "instructions"};

const char *cmp_metric_name(enum cmp_metric m)
{
    return metric_names[m];
}

int cmp_metric_parse(const char *name)
{
    for (int m = 0; m < (int)(sizeof(metric_names) / sizeof(*metric_names)); m++)
        if (strcmp(name, metric_names[m]) == 0)
            return m;
    return -1;
}

const char *cmp_metric_unit(enum cmp_metric m)
{
    return m == CMP_SPEEDUP        ? "x"
           : m == CMP_RSS          ? "KiB"
           : m == CMP_NORMALIZED   ? "k"
           : m == CMP_INSTRUCTIONS ? "instr"
                                   : "s";
}

int cmp_bigger_is_better(enum cmp_metric m)
{
    return m == CMP_SPEEDUP;
}

double cmp_change_pct(int bigger_is_better, double ratio)
{
    if (!(ratio > 0) || !isfinite(ratio))
        return NAN;
    return ((bigger_is_better ? 1.0 / ratio : ratio) - 1.0) * 100.0;
}

const char *cmp_metric_missing(const struct rm_file *f, enum cmp_metric m)
{
    if (m == CMP_NORMALIZED && (f->kernel == NULL || f->kernel->fig.nsamples == 0))
        return "has no reference_kernel timings (written by a concbench before --metric "
               "normalized, by sweep, or by a tool of its own); run it again with this "
               "concbench's `run`, or compare with --metric speedup";
    if (m == CMP_INSTRUCTIONS) {
        for (int i = 0; i < f->ncases; i++)
            if (f->cases[i].instructions > 0)
                return NULL;
        return "has no instruction counts: run it with `run --count instructions` (valgrind; "
               "single-thread cases: sequential, green, evloop:compute=inline)";
    }
    return NULL;
}

const char *cmp_verdict_name(enum cmp_verdict v)
{
    static const char *const names[] = {"same",         "slower",
                                        "faster",       "~",
                                        "insufficient", "regression (invalid)",
                                        "invalid",      "fixed",
                                        "no data",      "only in base",
                                        "only in head", "noisy",
                                        "geomean"};
    return names[v];
}

double *cmp_metric_samples(const struct rm_file *f, const struct rm_case *c, enum cmp_metric m,
                           int *n)
{
    static const enum rm_fig figs[] = {RM_WALL, RM_WALL, RM_USER, RM_RSS, RM_WALL, RM_WALL};
    const struct rm_figure *fig = &c->fig[figs[m]];
    double *out;

    if (m == CMP_SPEEDUP) /* the results model's one definition */
        return rm_speedup_samples(f, c, n);
    if (m == CMP_NORMALIZED)
        return rm_normalized_samples(f, c, n);
    if (m == CMP_INSTRUCTIONS) {
        *n = c->instructions > 0;
        out = *n ? malloc(sizeof(*out)) : NULL;
        if (out != NULL)
            out[0] = (double)c->instructions;
        return out;
    }
    *n = fig->nsamples;
    if (*n <= 0) {
        *n = 0;
        return NULL;
    }
    out = malloc((size_t)*n * sizeof(*out));
    if (out == NULL)
        abort();
    memcpy(out, fig->samples, (size_t)*n * sizeof(*out));
    return out;
}

static double cmpi_median(const double *v, int n)
{
    struct stats st;

    stats_compute(v, n, &st);
    return st.median;
}

/* stddev / mean of the samples; 0 when it cannot be told. */
static double cmpi_spread(const double *v, int n)
{
    struct stats st;

    stats_compute(v, n, &st);
    return n > 1 && st.mean > 0 && isfinite(st.stddev) ? st.stddev / st.mean : 0;
}

/* The verdict from ratio and p (both sides valid, enough samples). */
static enum cmp_verdict cmpi_judge(const struct cmp_opts *o, double ratio, double p)
{
    double factor = 1.0 + o->threshold_pct / 100.0;
    double cost = 1.0 + cmp_change_pct(cmp_bigger_is_better(o->metric), ratio) / 100.0;

    if (!(cost > factor) && !(cost < 1.0 / factor))
        return CMP_SAME;
    if (p >= o->alpha)
        return CMP_MAYBE;
    return cost > factor ? CMP_SLOWER : CMP_FASTER;
}

void cmpi_pair(const struct rm_file *bf, const struct rm_case *b, const struct rm_file *hf,
               const struct rm_case *h, const struct cmp_opts *o, struct cmp_row *row)
{
    int vb = rm_valid(b), vh = rm_valid(h);
    double *sb = cmp_metric_samples(bf, b, o->metric, &row->nbase);
    double *sh = cmp_metric_samples(hf, h, o->metric, &row->nhead);

    if (row->nbase > 0 && row->nhead > 0) {
        row->base = cmpi_median(sb, row->nbase);
        row->head = cmpi_median(sh, row->nhead);
        row->ratio = row->base > 0 ? row->head / row->base : NAN;
        row->p = mw_pvalue(sb, row->nbase, sh, row->nhead);
    }
    if (o->metric == CMP_INSTRUCTIONS)
        row->p = NAN; /* one deterministic count a side: nothing to test */
    if (vb && !vh)
        row->verdict = CMP_BROKEN;
    else if (!vb)
        row->verdict = vh ? CMP_FIXED : CMP_INVALID;
    else if (row->nbase == 0 || row->nhead == 0 || isnan(row->ratio))
        row->verdict = CMP_NO_DATA;
    else if (o->metric == CMP_INSTRUCTIONS)
        row->verdict = cmpi_judge(o, row->ratio, 0.0);
    else if (mw_min_pvalue(row->nbase, row->nhead) >= o->alpha) {
        row->verdict = CMP_INSUFFICIENT;
        row->reps_needed = mw_reps_needed(o->alpha);
    } else {
        double spread_b = cmpi_spread(sb, row->nbase), spread_h = cmpi_spread(sh, row->nhead);
        row->verdict = cmpi_judge(o, row->ratio, row->p);
        /* a verdict the noise the two files measured cannot support */
        if ((row->verdict == CMP_SLOWER || row->verdict == CMP_FASTER) &&
            (spread_b > CMP_NOISY_SPREAD || spread_h > CMP_NOISY_SPREAD ||
             fabs(row->ratio - 1.0) <= spread_b))
            row->verdict = CMP_NOISY;
    }
    free(sb);
    free(sh);
}
