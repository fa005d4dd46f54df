/* A comparison as a text table, and the pieces every compare renderer shares. */
#include <math.h>
#include <string.h>

#include "common/termsafe.h"
#include "report/compare_render.h"
#include "report/report_text.h"

void cmpr_side(const struct rm_file *f, char *buf, size_t len)
{
    const struct rm_context *x = f->context;
    char commit[256], host[256], cpu[512], date[128];

    snprintf(buf, len, "%s on %s (%s, %s)",
             term_safe(x ? x->git_commit : NULL, 0, commit, sizeof(commit)),
             term_safe(x ? x->host : NULL, 0, host, sizeof(host)),
             term_safe(x ? x->cpu_model : NULL, 0, cpu, sizeof(cpu)),
             term_safe(x ? x->date : NULL, 0, date, sizeof(date)));
}

void cmpr_value(enum cmp_metric m, double v, char *buf, size_t len)
{
    if (isnan(v))
        snprintf(buf, len, "-");
    else if (m == CMP_SPEEDUP)
        snprintf(buf, len, "%.2fx", v);
    else if (m == CMP_RSS)
        text_rss(buf, len, v);
    else if (m == CMP_NORMALIZED)
        snprintf(buf, len, "%.3f k", v);
    else if (m == CMP_INSTRUCTIONS)
        snprintf(buf, len, "%.4g", v);
    else
        snprintf(buf, len, "%.4f s", v);
}

void cmpr_change(double pct, char *buf, size_t len)
{
    if (isnan(pct))
        snprintf(buf, len, "-");
    else if (fabs(pct) < 0.05)
        snprintf(buf, len, "+0.0%%");
    else
        snprintf(buf, len, "%+.1f%% (%s)", pct, pct > 0 ? "worse" : "better");
}

void cmpr_p(double p, char *buf, size_t len)
{
    if (isnan(p))
        snprintf(buf, len, "-");
    else if (p < 0.001)
        snprintf(buf, len, "<0.001");
    else
        snprintf(buf, len, "%.3f", p);
}

void cmpr_verdict(const struct cmp_row *row, char *buf, size_t len)
{
    if (row->verdict == CMP_INSUFFICIENT)
        snprintf(buf, len, "insufficient (%d+%d samples; needs -r %d)", row->nbase, row->nhead,
                 row->reps_needed);
    else if (row->verdict == CMP_GEOMEAN)
        snprintf(buf, len, "geomean of %d", row->nbase);
    else
        snprintf(buf, len, "%s", cmp_verdict_name(row->verdict));
}

void cmpr_summary(const struct cmp_result *r, char *buf, size_t len)
{
    int count[CMP_GEOMEAN + 1] = {0}, any = 0;
    size_t used;

    for (int i = 0; i < r->nrows; i++)
        count[r->rows[i].verdict]++;
    used = (size_t)snprintf(buf, len, "%d pairs:", r->npaired);
    for (int v = 0; v < CMP_GEOMEAN && used < len; v++)
        if (count[v] > 0)
            used += (size_t)snprintf(buf + used, len - used, "%s %d %s", any++ ? "," : "", count[v],
                                     cmp_verdict_name((enum cmp_verdict)v));
    if (used < len)
        snprintf(buf + used, len - used, "; %d regression%s", r->nregressions,
                 r->nregressions == 1 ? "" : "s");
}

static void cmpr_text_row(FILE *out, const struct cmpr_input *in, const struct cmp_row *row,
                          int width)
{
    char b[32], h[32], p[16], v[96], change[32], name[sizeof(row->name) * TERM_SAFE_GROWTH];
    char key[sizeof(row->key) * TERM_SAFE_GROWTH];

    cmpr_value(in->o->metric, row->base, b, sizeof(b));
    cmpr_value(in->o->metric, row->head, h, sizeof(h));
    cmpr_p(row->p, p, sizeof(p));
    cmpr_verdict(row, v, sizeof(v));
    cmpr_change(cmp_change_pct(cmp_bigger_is_better(in->o->metric), row->ratio), change,
                sizeof(change));
    fprintf(out, "%-*s %12s %12s %15s %7s  %s\n", width,
            term_safe(row->name, 0, name, sizeof(name)), b, h, change, p, v);
    if (row->verdict == CMP_ONLY_BASE || row->verdict == CMP_ONLY_HEAD)
        fprintf(out, "%-*s   key %s\n", width, "", term_safe(row->key, 0, key, sizeof(key)));
}

void cmpr_text(const struct cmpr_input *in, const struct render_opts *ro, FILE *out)
{
    (void)ro;
    char side[2048], summary[256], name[4096], safe[sizeof(in->r->rows[0].name) * TERM_SAFE_GROWTH];
    int width = 4;

    cmpr_side(in->base, side, sizeof(side));
    fprintf(out, "base: %s: %s\n", term_safe(in->base_name, 0, name, sizeof(name)), side);
    cmpr_side(in->head, side, sizeof(side));
    fprintf(out, "head: %s: %s\n", term_safe(in->head_name, 0, name, sizeof(name)), side);
    fprintf(out, "metric %s (median %s), alpha %g, threshold %g%%\n",
            cmp_metric_name(in->o->metric), cmp_metric_unit(in->o->metric), in->o->alpha,
            in->o->threshold_pct);
    for (int i = 0; i < in->r->warnings.n; i++)
        fprintf(out, "warning: %s\n", term_safe(in->r->warnings.v[i], 0, name, sizeof(name)));
    for (int i = 0; i < in->r->nrows; i++)
        if ((int)strlen(term_safe(in->r->rows[i].name, 0, safe, sizeof(safe))) > width)
            width = (int)strlen(safe);
    fprintf(out, "\n%-*s %12s %12s %15s %7s  %s\n", width, "case", "base", "head", "change", "p",
            "verdict");
    for (int i = 0; i < in->r->nrows; i++)
        cmpr_text_row(out, in, &in->r->rows[i], width);
    cmpr_summary(in->r, summary, sizeof(summary));
    fprintf(out, "\n%s\n%s, of the medians. p: two-sided Mann-Whitney U.\n", summary,
            CMPR_CHANGE_NOTE);
}
