/* The renderers of `history check` (history_check_render.h). Keys and names come from results
 * files: in text they go through term_safe, in markdown they are escaped as table text (and
 * control characters shown escaped), in JSON jansson escapes them. */
#include "report/history_check_render.h"

#include <math.h>
#include <string.h>

#include "common/termsafe.h"
#include "report/compare_render.h"
#include "rmodel/case_key.h"
#include "rmodel/rmodel.h"

int hchkr_regressions(const struct hchkr_input *in)
{
    int n = 0;

    for (int i = 0; i < in->nrows; i++)
        n += hchk_is_regression(in->rows[i].verdict);
    return n;
}

static void hchkr_num(char *buf, size_t len, double v, const char *unit)
{
    if (isnan(v))
        snprintf(buf, len, "-");
    else if (strcmp(unit, "instr") == 0) /* a count: no fraction */
        snprintf(buf, len, "%.0f", v);
    else
        snprintf(buf, len, "%.4f%s%s", v, strcmp(unit, "s") == 0 ? " " : "", unit);
}

static void hchkr_summary(const struct hchkr_input *in, char *buf, size_t len)
{
    int count[HCHK_BROKEN + 1] = {0};
    size_t n;

    for (int i = 0; i < in->nrows; i++)
        count[in->rows[i].verdict]++;
    n = (size_t)snprintf(buf, len, "%d cases:", in->nrows);
    for (int v = 0; v <= HCHK_BROKEN && n < len; v++)
        if (count[v] > 0)
            n += (size_t)snprintf(buf + n, len - n, " %d %s,", count[v],
                                  hchk_verdict_name((enum hchk_verdict)v));
    if (n < len && buf[n - 1] == ',')
        buf[--n] = '\0';
    if (n < len)
        snprintf(buf + n, len - n, "; %d regression%s", hchkr_regressions(in),
                 hchkr_regressions(in) == 1 ? "" : "s");
}

/* Why a valid case is insufficient: its window, or no value of the metric in the new run. */
static const char *hchkr_why_insufficient(const struct hchkr_input *in, const struct hchk_row *r)
{
    if (r->verdict != HCHK_INSUFFICIENT || !r->head_valid)
        return "";
    return isnan(r->head) ? (strcmp(in->metric, "instructions") == 0
                                 ? " (not counted: not a single-thread case)"
                                 : " (no value in this run)")
                          : " (window too short)";
}

static void hchkr_test_line(const struct hchkr_input *in, char *buf, size_t len)
{
    char machine[256], branch[256];

    snprintf(
        buf, len,
        "the latest %d results of each case (at least %d) on machine %s, branch %s; "
        "metric %s (%s); Student t prediction interval over the window, one-sided, "
        "alpha %g, threshold %g%%",
        in->o->window, in->o->min_window, term_safe(in->machine, 60, machine, sizeof(machine)),
        term_safe(in->branch && in->branch[0] ? in->branch : "(none)", 60, branch, sizeof(branch)),
        in->metric, in->o->bigger_is_better ? "bigger is better" : "smaller is better",
        in->o->alpha, in->o->threshold_pct);
}

void hchkr_text(const struct hchkr_input *in, FILE *out)
{
    char line[1024], name[4096], commit[64];

    fprintf(out, "history check: %s (commit %s)\n", term_safe(in->head_name, 0, name, sizeof(name)),
            term_safe(in->head_commit, 12, commit, sizeof(commit)));
    hchkr_test_line(in, line, sizeof(line));
    fprintf(out, "against %s\n\n", line);
    fprintf(out, "%-48s  %6s  %12s  %12s  %15s  %7s  %-17s  %s\n", "case", "window", "mean", "head",
            "change", "p", "commits", "verdict");
    for (int i = 0; i < in->nrows; i++) {
        const struct hchk_row *r = &in->rows[i];
        char mean[32], head[32], ch[32], p[32], commits[40], safe[CK_KEY_MAX * TERM_SAFE_GROWTH];
        char step[64];
        hchkr_num(mean, sizeof(mean), r->mean, in->unit);
        hchkr_num(head, sizeof(head), r->head, in->unit);
        cmpr_change(r->change_pct, ch, sizeof(ch));
        cmpr_p(r->p, p, sizeof(p));
        snprintf(commits, sizeof(commits), "%s..%s", r->oldest[0] ? r->oldest : "-",
                 r->newest[0] ? r->newest : "-");
        fprintf(out, "%-48s  %6d  %12s  %12s  %15s  %7s  %-17s  %s%s",
                term_safe(r->key, 0, safe, sizeof(safe)), r->n, mean, head, ch, p,
                term_safe(commits, 0, step, sizeof(step)), hchk_verdict_name(r->verdict),
                hchkr_why_insufficient(in, r));
        if (r->step[0])
            fprintf(out, " (window from the step at %s)",
                    term_safe(r->step, 0, step, sizeof(step)));
        fputc('\n', out);
    }
    hchkr_summary(in, line, sizeof(line));
    fprintf(out, "\n%s\n%s, against the window's mean.\n", line, CMPR_CHANGE_NOTE);
    if (in->note != NULL)
        fprintf(out, "Note: %s\n", in->note);
}

/* Text in a table cell: '|' would end the cell, a line break the row, '<' and '&' start HTML. */
static void hchkr_md_cell(FILE *out, const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '|')
            fputs("\\|", out);
        else if (*s == '<')
            fputs("&lt;", out);
        else if (*s == '&')
            fputs("&amp;", out);
        else if (*s == '`' || *s == '*' || *s == '_' || *s == '[' || *s == ']')
            fprintf(out, "\\%c", *s);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', out);
        else
            fputc(*s, out);
    }
}

void hchkr_markdown(const struct hchkr_input *in, FILE *out)
{
    char line[1024], name[4096];

    fputs("### history check: ", out);
    hchkr_md_cell(out, term_safe(in->head_name, 0, name, sizeof(name)));
    {
        char commit[64];
        fputs(" (commit ", out);
        hchkr_md_cell(out, term_safe(in->head_commit, 12, commit, sizeof(commit)));
        fputs(")\n\n", out);
    }
    hchkr_summary(in, line, sizeof(line));
    fprintf(out, "**%s**\n\n", line);
    hchkr_test_line(in, line, sizeof(line));
    fputs("Against ", out);
    hchkr_md_cell(out, line);
    fputs(".\n\n| case | window | mean | head | change | p | verdict |\n"
          "|---|---:|---:|---:|---:|---:|---|\n",
          out);
    for (int i = 0; i < in->nrows; i++) {
        const struct hchk_row *r = &in->rows[i];
        char mean[32], head[32], ch[32], p[32], safe[CK_KEY_MAX * TERM_SAFE_GROWTH];
        hchkr_num(mean, sizeof(mean), r->mean, in->unit);
        hchkr_num(head, sizeof(head), r->head, in->unit);
        cmpr_change(r->change_pct, ch, sizeof(ch));
        cmpr_p(r->p, p, sizeof(p));
        fputs("| ", out);
        hchkr_md_cell(out, term_safe(r->key, 0, safe, sizeof(safe)));
        fprintf(out, " | %d | %s | %s | %s | %s | %s%s%s |\n", r->n, mean, head, ch, p,
                hchk_is_regression(r->verdict) ? ":x: " : "", hchk_verdict_name(r->verdict),
                hchkr_why_insufficient(in, r));
    }
    if (in->note != NULL) {
        fputs("\nNote: ", out);
        hchkr_md_cell(out, in->note);
        fputs("\n", out);
    }
}

static json_t *hchkr_json_num(double v)
{
    return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

void hchkr_json(const struct hchkr_input *in, FILE *out)
{
    json_t *rows = json_array(), *doc;

    for (int i = 0; i < in->nrows; i++) {
        const struct hchk_row *r = &in->rows[i];
        json_array_append_new(
            rows, json_pack("{s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:b, s:s, s:s, s:s}", "key",
                            r->key, "window", r->n, "mean", hchkr_json_num(r->mean), "sd",
                            hchkr_json_num(r->sd), "head", hchkr_json_num(r->head), "change_pct",
                            hchkr_json_num(r->change_pct), "p", hchkr_json_num(r->p), "head_valid",
                            r->head_valid, "oldest_commit", r->oldest, "newest_commit", r->newest,
                            "verdict", hchk_verdict_name(r->verdict)));
    }
    doc = json_pack("{s:s, s:s?, s:s, s:s?, s:s, s:s, s:s, s:i, s:i, s:f, s:f, s:o, s:i, s:s?}",
                    "head", in->head_name, "git_commit", in->head_commit, "machine", in->machine,
                    "branch", in->branch && in->branch[0] ? in->branch : NULL, "metric", in->metric,
                    "unit", in->unit, "test", "student-t prediction interval, one-sided", "window",
                    in->o->window, "min_window", in->o->min_window, "alpha", in->o->alpha,
                    "threshold_pct", in->o->threshold_pct, "rows", rows, "regressions",
                    hchkr_regressions(in), "note", in->note);
    json_dumpf(doc, out, JSON_INDENT(2));
    fputc('\n', out);
    json_decref(doc);
}
