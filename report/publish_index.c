/* `history publish`: index.html. Per machine the latest step changes (the trend rule, as
 * `history trend` marks them), newest first, with the commit where each happened, and the cases
 * whose latest run the gate fails (`history check`'s judgement); then the workloads' pages and
 * the machines. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_internal.h"
#include "report/publish_internal.h"

#define IX_ROWS 30 /* step changes listed per machine at most */

struct ix_row {
    const char *date;
    int series;
};

static int newest_first(const void *a, const void *b)
{
    const struct ix_row *x = a, *y = b;
    int d = strcmp(y->date, x->date);

    return d != 0 ? d : x->series - y->series;
}

/* A link to the case of series i on its workload's page. */
static void ix_case_link(FILE *out, const struct hsite *site, int i)
{
    const struct hsite_series *x = &site->series[i];
    char page[80];

    pub_page_name(x->workload, page, sizeof(page));
    fprintf(out, "<td><a href=\"%s#case-%d\"><code>", page, pub_case_index(site, i));
    html_text(out, x->key);
    fputs("</code></a></td><td>", out);
    html_text(out, x->branch[0] ? x->branch : "–");
    fputs("</td>", out);
}

static void ix_step_row(FILE *out, const struct hsite *site, int i)
{
    const struct hsite_series *x = &site->series[i];
    const struct hsite_point *p = &x->pts[x->last_step];

    fputs("<tr class=\"change\">", out);
    ix_case_link(out, site, i);
    fprintf(out, "<td class=\"%s\">%s %+.1f%%</td><td><code>", p->step > 0 ? "bad" : "ok",
            p->step > 0 ? "regression" : "improvement", x->step_change_pct);
    pub_text_cut(out, p->commit, 12);
    fputs("</code></td><td>", out);
    html_text(out, p->date);
    fprintf(out, "</td><td>%s</td></tr>\n", x->gated ? hchk_verdict_name(x->gate.verdict) : "–");
}

static void ix_gate_row(FILE *out, const struct hsite *site, int i)
{
    const struct hsite_series *x = &site->series[i];
    const struct hsite_point *p = &x->pts[x->n - 1];

    fputs("<tr class=\"gate\">", out);
    ix_case_link(out, site, i);
    fprintf(out, "<td class=\"bad\">%s ", hchk_verdict_name(x->gate.verdict));
    pub_num(out, "%+.1f%%", x->gate.change_pct);
    fputs("</td><td><code>", out);
    pub_text_cut(out, p->commit, 12);
    fputs("</code></td><td>", out);
    html_text(out, p->date);
    fprintf(out, "</td><td class=\"num\">%d</td></tr>\n", x->gate.n);
}

/* The changes of one machine; rows has room for every series. */
static void ix_machine(FILE *out, const struct hsite *site, const struct hsite_machine *m,
                       struct ix_row *rows)
{
    int n = 0, failing = 0, any = 0;

    for (int i = 0; i < site->nseries; i++) {
        const struct hsite_series *x = &site->series[i];
        if (strcmp(x->machine, m->key) != 0)
            continue;
        any = 1;
        failing += x->gated && hchk_is_regression(x->gate.verdict);
        if (x->last_step >= 0)
            rows[n++] = (struct ix_row){x->pts[x->last_step].date, i};
    }
    if (!any) /* a machine of other runs (--machine), or of runs without cases */
        return;
    fputs("<section class=\"machine\"><h3>", out);
    html_text(out, m->key);
    fputs("</h3>\n<p class=\"meta\">", out);
    html_text(out, m->cpu_model[0] ? m->cpu_model : "CPU not recorded");
    fprintf(out, " · %lld logical CPUs · %lld runs</p>\n", m->logical_cpus, m->runs);
    qsort(rows, n, sizeof(*rows), newest_first);
    if (n == 0)
        fputs("<p>No step change in any case's series.</p>\n", out);
    else
        fputs("<table class=\"changes\"><thead><tr><th>case</th><th>branch</th><th>step</th>"
              "<th>at commit</th><th>date</th><th>latest run</th></tr></thead><tbody>\n",
              out);
    for (int k = 0; k < n && k < IX_ROWS; k++)
        ix_step_row(out, site, rows[k].series);
    if (n > 0)
        fprintf(out, "</tbody></table>\n%s",
                n > IX_ROWS ? "<p class=\"meta\">Older steps are "
                              "on the workloads' pages.</p>\n"
                            : "");
    if (failing == 0) {
        fputs("</section>\n", out);
        return;
    }
    fputs("<p>The gate fails the latest run of:</p>\n<table class=\"failing\"><thead><tr>"
          "<th>case</th><th>branch</th><th>verdict</th><th>commit</th><th>date</th>"
          "<th>window</th></tr></thead><tbody>\n",
          out);
    for (int i = 0; i < site->nseries; i++)
        if (strcmp(site->series[i].machine, m->key) == 0 && site->series[i].gated &&
            hchk_is_regression(site->series[i].gate.verdict))
            ix_gate_row(out, site, i);
    fputs("</tbody></table>\n</section>\n", out);
}

static void ix_workloads(FILE *out, const struct hsite *site)
{
    int n;
    const char **w = pub_workloads(site, &n);

    fputs("<h2>Workloads</h2>\n<ul class=\"workloads\">\n", out);
    for (int i = 0; w != NULL && i < n; i++) {
        char page[80];
        int cases = 0, series = 0;
        for (int k = 0; k < site->nseries; k++)
            if (strcmp(site->series[k].workload, w[i]) == 0) {
                series++;
                cases += pub_case_index(site, k) >= cases; /* a new case's number */
            }
        pub_page_name(w[i], page, sizeof(page));
        fprintf(out, "<li><a href=\"%s\">", page);
        html_text(out, w[i]);
        fprintf(out, "</a>: %d case%s, %d series</li>\n", cases, cases == 1 ? "" : "s", series);
    }
    fputs("</ul>\n", out);
    free(w);
}

static void ix_machines(FILE *out, const struct hsite *site)
{
    fputs("<h2>Machines</h2>\n<table class=\"machines\"><thead><tr><th>machine</th><th>host</th>"
          "<th>CPU</th><th>CPUs</th><th>kernel</th><th>CI labels</th><th>runs</th>"
          "<th>first</th><th>last</th></tr></thead><tbody>\n",
          out);
    for (int i = 0; i < site->nmachines; i++) {
        const struct hsite_machine *m = &site->machines[i];
        const char *cells[] = {m->key, m->host, m->cpu_model, NULL, m->kernel, m->labels};
        fputs("<tr>", out);
        for (size_t c = 0; c < sizeof(cells) / sizeof(cells[0]); c++) {
            fputs("<td>", out);
            if (cells[c] == NULL)
                fprintf(out, "%lld", m->logical_cpus);
            else
                html_text(out, cells[c]);
            fputs("</td>", out);
        }
        fprintf(out, "<td class=\"num\">%lld</td><td>", m->runs);
        html_text(out, m->first);
        fputs("</td><td>", out);
        html_text(out, m->last);
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
}

int pub_index(FILE *out, void *arg)
{
    const struct hsite *site = arg;
    struct ix_row *rows = calloc(site->nseries + 1, sizeof(*rows));
    char sub[160];

    if (rows == NULL)
        return -1;
    snprintf(sub, sizeof(sub), "%d runs on %d machines, %d series (a case on a machine and branch)",
             site->nruns, site->nmachines, site->nseries);
    pub_head(out, "concbench history", sub);
    fputs("<h2>Latest regressions and improvements</h2>\n<p class=\"meta\">Per machine, each "
          "case's latest step change: a run whose median is at least 5 standard deviations and "
          "5% from the mean of the runs before it (at most 20, none before the previous step), "
          "the rule of <code>history trend</code>. Latest run: the verdict of <code>history "
          "check</code> on the case's newest run against the runs before it.</p>\n",
          out);
    for (int i = 0; i < site->nmachines; i++)
        ix_machine(out, site, &site->machines[i], rows);
    if (site->nseries == 0)
        fputs("<p>The history holds no case yet: <code>concbench history add FILE</code>.</p>\n",
              out);
    free(rows);
    ix_workloads(out, site);
    ix_machines(out, site);
    pub_foot(out);
    return ferror(out) ? -1 : 0;
}
