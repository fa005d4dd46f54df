/* `history publish`: a workload's page. A chart per case, then every run drawn on the page as a
 * section of its own (shown when a point's link targets it: CSS :target, no script): commit,
 * date, machine and its context, the results file, and the run's table of this workload. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_internal.h"
#include "report/publish_internal.h"

/* One point of the page, for the runs' tables. */
struct pg_entry {
    long long run_id;
    int series, point;
};

static int entry_cmp(const void *a, const void *b)
{
    const struct pg_entry *x = a, *y = b;

    if (x->run_id != y->run_id)
        return (x->run_id > y->run_id) - (x->run_id < y->run_id);
    return x->series - y->series;
}

/* The gate's verdict on the series' latest run, as a legend line says it. */
static void pg_gate(FILE *out, const struct hsite_series *x)
{
    const struct hchk_row *g = &x->gate;

    if (!x->gated)
        return;
    fprintf(out, ": latest run <span class=\"%s\">%s</span>",
            hchk_is_regression(g->verdict) ? "bad" : (g->verdict == HCHK_FASTER ? "ok" : ""),
            hchk_verdict_name(g->verdict));
    if (!isnan(g->change_pct))
        fprintf(out, " %+.1f%%", g->change_pct);
    fprintf(out, " against %d run%s", g->n, g->n == 1 ? "" : "s");
    if (g->step[0] != '\0') {
        fputs(" since the step at ", out);
        html_text(out, g->step);
    }
}

/* A case's figure: its key, the chart of its series, a legend line per series. */
static void pg_case(FILE *out, const struct hsite *site, const int *at, int n, int number)
{
    const struct hsite_series *first = &site->series[at[0]];

    fprintf(out, "<figure class=\"case\" id=\"case-%d\" data-key=\"", number);
    html_text(out, first->key);
    fputs("\"><figcaption>", out);
    html_text(out, first->key);
    fputs("</figcaption>\n", out);
    pub_chart(out, site, at, n, number);
    for (int i = 0; i < n; i++) {
        const struct hsite_series *x = &site->series[at[i]];
        fprintf(out, "<p class=\"key legend\"><span class=\"sw\" style=\"background:%s\"></span>",
                pub_colour(site, x->machine));
        pub_series_name(out, x);
        pg_gate(out, x);
        fputs("</p>\n", out);
    }
    fputs("</figure>\n", out);
}

/* Every case of the workload, in the order of their first series. */
static void pg_cases(FILE *out, const struct pub_page *p, int *at)
{
    const struct hsite *site = p->site;

    for (int i = 0, number = 0; i < site->nseries; i++) {
        const struct hsite_series *x = &site->series[i];
        int n = 0, seen = 0;
        if (strcmp(x->workload, p->workload) != 0)
            continue;
        for (int j = 0; j < i && !seen; j++)
            seen = strcmp(site->series[j].key, x->key) == 0;
        if (seen)
            continue;
        for (int j = i; j < site->nseries; j++)
            if (strcmp(site->series[j].key, x->key) == 0)
                at[n++] = j;
        pg_case(out, site, at, n, number++);
    }
}

static void pg_dt(FILE *out, const char *name, const char *value)
{
    fprintf(out, "<dt>%s</dt><dd>", name); /* our own words */
    html_text(out, value && value[0] ? value : "–");
    fputs("</dd>", out);
}

/* The head of a run's section: what it is and where it ran. */
static void pg_run_head(FILE *out, const struct hsite *site, const struct hsite_series *x,
                        const struct hsite_point *p)
{
    const struct hsite_run *r = hsite_run(site, p->run_id);
    const struct hsite_machine *m = hsite_machine(site, x->machine);
    char cpus[32];

    fprintf(out, "<section class=\"run\" id=\"run-%lld\"><h3>Run %lld · commit ", p->run_id,
            p->run_id);
    pub_text_cut(out, p->commit, 12);
    fputs("</h3>\n<dl>", out);
    pg_dt(out, "commit", p->commit);
    pg_dt(out, "date", p->date);
    pg_dt(out, "machine", x->machine);
    pg_dt(out, "branch", x->branch);
    pg_dt(out, "host", r ? r->host : NULL);
    pg_dt(out, "CPU", m ? m->cpu_model : NULL);
    snprintf(cpus, sizeof(cpus), "%lld", m ? m->logical_cpus : 0);
    pg_dt(out, "logical CPUs", m ? cpus : NULL);
    pg_dt(out, "kernel", m ? m->kernel : NULL);
    pg_dt(out, "CI labels", m ? m->labels : NULL);
    pg_dt(out, "results file", r ? r->source : NULL);
    fputs("</dl>\n<table><thead><tr><th>case</th><th>median s</th><th>95% interval</th>"
          "<th>speed-up</th><th>reps</th><th>valid</th></tr></thead><tbody>\n",
          out);
}

static void pg_run_row(FILE *out, const struct hsite_series *x, const struct hsite_point *p)
{
    fputs("<tr><td><code>", out);
    html_text(out, x->key);
    fputs("</code></td><td class=\"num\">", out);
    pub_num(out, "%.4f", p->median);
    fputs("</td><td class=\"num\">", out);
    if (!isnan(p->lo) && !isnan(p->hi))
        fprintf(out, "[%.4f, %.4f]", p->lo, p->hi);
    fputs("</td><td class=\"num\">", out);
    pub_num(out, "%.2fx", p->speedup);
    fprintf(out, "</td><td class=\"num\">%lld</td><td class=\"%s\">%s</td></tr>\n", p->reps,
            p->valid ? "ok" : "bad", p->valid ? "yes" : "NO");
}

/* A section per run of the page, its cases of this workload in a table. */
static int pg_runs(FILE *out, const struct pub_page *p)
{
    const struct hsite *site = p->site;
    struct pg_entry *e;
    int total = 0, n = 0;

    for (int i = 0; i < site->nseries; i++)
        if (strcmp(site->series[i].workload, p->workload) == 0)
            total += site->series[i].n;
    if ((e = calloc(total + 1, sizeof(*e))) == NULL)
        return -1;
    for (int i = 0; i < site->nseries; i++)
        for (int j = 0; strcmp(site->series[i].workload, p->workload) == 0 && j < site->series[i].n;
             j++)
            e[n++] = (struct pg_entry){site->series[i].pts[j].run_id, i, j};
    qsort(e, n, sizeof(*e), entry_cmp);
    fputs("<h2>Runs</h2>\n<p class=\"meta\">A point's link shows its run here.</p>\n", out);
    for (int k = 0; k < n; k++) {
        const struct hsite_series *x = &site->series[e[k].series];
        const struct hsite_point *pt = &x->pts[e[k].point];
        if (k == 0 || e[k - 1].run_id != e[k].run_id)
            pg_run_head(out, site, x, pt);
        pg_run_row(out, x, pt);
        if (k == n - 1 || e[k + 1].run_id != e[k].run_id)
            fputs("</tbody></table>\n<p><a href=\"#top\">back to the charts</a></p></section>\n",
                  out);
    }
    free(e);
    return 0;
}

int pub_workload(FILE *out, void *arg)
{
    const struct pub_page *p = arg;
    int *at = calloc(p->site->nseries + 1, sizeof(*at));
    char title[200];

    if (at == NULL)
        return -1;
    snprintf(title, sizeof(title), "concbench history: %s", p->workload);
    pub_head(out, title,
             "Median wall time per commit, its 95% interval as a band; a line per "
             "machine (and branch); a triangle marks a step change. Click a point "
             "for its run.");
    fputs("<p id=\"top\"><a href=\"index.html\">all workloads and the latest changes</a></p>\n",
          out);
    pg_cases(out, p, at);
    free(at);
    if (pg_runs(out, p) != 0)
        return -1;
    pub_foot(out);
    return ferror(out) ? -1 : 0;
}
