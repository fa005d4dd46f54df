/* A comparison as JSON for tools: both sides, the options, the warnings and every row. */
#include <math.h>

#include "report/compare_render.h"

static json_t *cmpr_num(double v)
{
    return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

static json_t *cmpr_json_side(const struct rm_file *f, const char *name)
{
    const struct rm_context *x = f->context;

    return json_pack("{s:s, s:s?, s:s?, s:s?, s:s?}", "file", name, "git_commit",
                     x ? x->git_commit : NULL, "host", x ? x->host : NULL, "cpu_model",
                     x ? x->cpu_model : NULL, "date", x ? x->date : NULL);
}

static json_t *cmpr_json_row(const struct cmp_row *row, enum cmp_metric m)
{
    double change = cmp_change_pct(cmp_bigger_is_better(m), row->ratio);
    json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:i, s:i, s:s}", "key", row->key,
                          "name", row->name, "workload", row->workload, "base", cmpr_num(row->base),
                          "head", cmpr_num(row->head), "ratio", cmpr_num(row->ratio), "p",
                          cmpr_num(row->p), "n_base", row->nbase, "n_head", row->nhead, "verdict",
                          cmp_verdict_name(row->verdict));
    /* one direction for every metric: + is worse (ratio stays head / base of the metric) */
    json_object_set_new(o, "change_pct", cmpr_num(change));
    json_object_set_new(o, "direction",
                        json_string(isnan(change) ? "none"
                                    : change > 0  ? "worse"
                                    : change < 0  ? "better"
                                                  : "none"));
    if (row->verdict == CMP_INSUFFICIENT)
        json_object_set_new(o, "reps_needed", json_integer(row->reps_needed));
    return o;
}

void cmpr_json(const struct cmpr_input *in, const struct render_opts *ro, FILE *out)
{
    (void)ro;
    json_t *rows = json_array(), *warnings = json_array(), *doc;

    for (int i = 0; i < in->r->nrows; i++)
        json_array_append_new(rows, cmpr_json_row(&in->r->rows[i], in->o->metric));
    for (int i = 0; i < in->r->warnings.n; i++)
        json_array_append_new(warnings, json_string(in->r->warnings.v[i]));
    doc = json_pack("{s:o, s:o, s:s, s:s, s:f, s:f, s:o, s:o, s:i, s:i}", "base",
                    cmpr_json_side(in->base, in->base_name), "head",
                    cmpr_json_side(in->head, in->head_name), "metric",
                    cmp_metric_name(in->o->metric), "unit", cmp_metric_unit(in->o->metric), "alpha",
                    in->o->alpha, "threshold_pct", in->o->threshold_pct, "warnings", warnings,
                    "rows", rows, "pairs", in->r->npaired, "regressions", in->r->nregressions);
    json_dumpf(doc, out, JSON_INDENT(2));
    fputc('\n', out);
    json_decref(doc);
}
