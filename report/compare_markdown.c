/* A comparison as GitHub-flavoured markdown: a header line naming both sides, the warnings, and
 * the table, folded into <details> when it is long, so a step summary or a PR comment stays
 * readable. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/termsafe.h"
#include "report/compare_render.h"

/* Tables longer than this are collapsed under their summary line. */
#define CMPR_MD_FOLD_ROWS 10

/* Text in a table cell: '|' would end the cell, a line break the row. */
static void cmpr_md_cell(FILE *out, const char *text)
{
    size_t room = strlen(text) * TERM_SAFE_GROWTH + 1;
    char *safe = malloc(room);
    const char *s;

    if (safe == NULL)
        abort();
    for (s = term_safe(text, 0, safe, room); *s != '\0'; s++) {
        if (*s == '|')
            fputs("\\|", out);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', out);
        else
            fputc(*s, out);
    }
    free(safe);
}

static void cmpr_md_row(FILE *out, const struct cmpr_input *in, const struct cmp_row *row)
{
    char b[32], h[32], p[16], v[96], change[32];
    int loud = row->verdict == CMP_SLOWER || row->verdict == CMP_BROKEN;

    cmpr_value(in->o->metric, row->base, b, sizeof(b));
    cmpr_value(in->o->metric, row->head, h, sizeof(h));
    cmpr_p(row->p, p, sizeof(p));
    cmpr_verdict(row, v, sizeof(v));
    fputs(row->verdict == CMP_GEOMEAN ? "| *" : "| ", out);
    cmpr_md_cell(out, row->name);
    cmpr_change(cmp_change_pct(cmp_bigger_is_better(in->o->metric), row->ratio), change,
                sizeof(change));
    fprintf(out, "%s | %s | %s | %s", row->verdict == CMP_GEOMEAN ? "*" : "", b, h, change);
    fprintf(out, " | %s | %s%s%s |\n", p, loud ? "**" : "", v, loud ? "**" : "");
}

void cmpr_markdown(const struct cmpr_input *in, const struct render_opts *ro, FILE *out)
{
    (void)ro;
    char side[512], summary[256];
    int fold = in->r->nrows > CMPR_MD_FOLD_ROWS;

    fprintf(out, "**concbench compare** (metric %s, alpha %g, threshold %g%%): base ",
            cmp_metric_name(in->o->metric), in->o->alpha, in->o->threshold_pct);
    cmpr_side(in->base, side, sizeof(side));
    cmpr_md_cell(out, side);
    fputs(" vs head ", out);
    cmpr_side(in->head, side, sizeof(side));
    cmpr_md_cell(out, side);
    fputs("\n\n", out);
    for (int i = 0; i < in->r->warnings.n; i++) {
        fputs("> warning: ", out);
        cmpr_md_cell(out, in->r->warnings.v[i]);
        fputs("\n", out);
    }
    if (in->r->warnings.n > 0)
        fputs("\n", out);
    cmpr_summary(in->r, summary, sizeof(summary));
    if (fold)
        fprintf(out, "<details><summary>%s</summary>\n\n", summary);
    fputs("| case | base | head | change | p | verdict |\n|---|---:|---:|---:|---:|---|\n", out);
    for (int i = 0; i < in->r->nrows; i++)
        cmpr_md_row(out, in, &in->r->rows[i]);
    if (fold)
        fputs("\n</details>\n", out);
    else
        fprintf(out, "\n%s\n", summary);
    fprintf(out, "\n%s, of the medians; p: two-sided Mann-Whitney U.\n", CMPR_CHANGE_NOTE);
}
