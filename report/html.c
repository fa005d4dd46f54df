/* The HTML report: one self-contained page, readable on a projector (large type, high contrast)
 * and printable (no backgrounds, no page breaks inside a chart). Charts are inline SVG drawn
 * here, so the page needs no script to show them; a short script only reads the embedded data
 * and says how many cases it holds. */
#include "report/html.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/outfile.h"
#include "report/html_internal.h"

static const char page_css[] =
    "body{font:20px/1.4 system-ui,sans-serif;color:#111;background:#fff;margin:1.5em auto;"
    "max-width:1100px;padding:0 1em}\n"
    "h1{font-size:1.8em;margin:.2em 0}h2{font-size:1.4em;border-bottom:3px solid #222;"
    "margin-top:1.6em}\n"
    "table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}\n"
    "th,td{padding:.25em .5em;border-bottom:1px solid #999;text-align:right}\n"
    "th:first-child,td:first-child{text-align:left}\n"
    "td.bad{color:#b00;font-weight:bold}td.ok{color:#060}\n"
    "figure{margin:1em 0;break-inside:avoid}figcaption{font-weight:bold;margin-bottom:.3em}\n"
    "svg{width:100%;height:auto}svg text{font-size:15px;fill:#111}svg text.small{font-size:"
    "14px}\n"
    ".bar{fill:#2b6cb0}.bar.part{fill:#90cdf4}.ci{stroke:#111;stroke-width:2;fill:none}\n"
    ".axis{stroke:#333}.grid{stroke:#ccc}\n"
    ".compute{fill:#d97706}.compute.odd{fill:#f59e0b}.wait{fill:#2b6cb0}.wait.odd{fill:#63b3ed}"
    ".step{fill:#777}.step.odd{fill:#aaa}\n"
    ".runnable{fill:#fde6c4}.queued{fill:none;stroke:#888;stroke-dasharray:3 2}\n"
    ".legend,.meta{color:#333;font-size:.85em}\n"
    ".key span{display:inline-block;width:1em;height:1em;vertical-align:middle;margin:0 .3em 0 "
    "1em}\n"
    "@media print{body{font-size:12pt;max-width:none}h2{break-before:auto}}\n";

static void page_head(FILE *out, const struct rm_file *f, const char *source)
{
    const struct rm_context *x = f->context;

    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
          "concbench: ",
          out);
    html_text(out, source);
    fprintf(out, "</title>\n<style>\n%s</style></head>\n<body>\n<h1>concbench results</h1>\n",
            page_css);
    fputs("<p class=\"meta\">", out);
    html_text(out, source);
    fputs(" · ", out);
    html_text(out, f->tool ? f->tool : "?");
    if (x != NULL) {
        fputs(" · ", out);
        html_text(out, x->date);
        fputs(" · ", out);
        html_text(out, x->cpu_model);
        fprintf(out, " · %lld logical CPUs · load %.2f", x->logical_cpus, x->load_avg[0]);
    }
    fprintf(out, " · <span id=\"ncases\">%d</span> cases%s</p>\n", f->ncases,
            f->interrupted ? " · <b>interrupted run</b>" : "");
}

static void cell(FILE *out, const char *fmt, double v)
{
    if (isnan(v) || v < 0)
        fputs("<td>–</td>", out);
    else
        fprintf(out, fmt, v);
}

static void table_row(FILE *out, const struct rm_file *f, const struct rm_case *c)
{
    const struct stats *w = &c->fig[RM_WALL].st;

    fputs("<tr><td>", out);
    html_text(out, c->label);
    if (strcmp(c->implementation, "c") != 0) {
        fputs(" (", out);
        html_text(out, c->implementation);
        fputs(")", out);
    }
    fputs("</td>", out);
    cell(out, "<td>%.4f</td>", rm_median(c));
    cell(out, "<td>±%.4f</td>", w->n > 1 ? (w->ci95_hi - w->ci95_lo) / 2 : NAN);
    cell(out, "<td>%.2fx</td>", rm_speedup(f, c));
    cell(out, "<td>%.3f</td>", c->fig[RM_USER].st.median);
    cell(out, "<td>%.3f</td>", c->fig[RM_SYS].st.median);
    cell(out, "<td>%.1f</td>", c->fig[RM_RSS].st.median / 1024);
    fprintf(out, "<td class=\"%s\">%s</td></tr>\n", rm_valid(c) ? "ok" : "bad",
            rm_valid(c) ? "yes" : "NO");
}

static void table(FILE *out, const struct rm_file *f, const struct rm_case *const *cases, int n)
{
    fputs("<table class=\"cases\"><thead><tr><th>model</th><th>wall s</th><th>95%</th>"
          "<th>speed-up</th><th>user s</th><th>sys s</th><th>peak RSS MiB</th><th>valid</th>"
          "</tr></thead><tbody>\n",
          out);
    for (int i = 0; i < n; i++)
        table_row(out, f, cases[i]);
    fputs("</tbody></table>\n", out);
}

static void charts(FILE *out, const struct rm_file *f, const struct rm_case *const *cases, int n)
{
    struct html_bar *b = calloc((size_t)n + 1, sizeof(*b));
    int any_speedup = 0;

    if (b == NULL)
        abort();
    for (int i = 0; i < n; i++) {
        const struct stats *w = &cases[i]->fig[RM_WALL].st;
        b[i] = (struct html_bar){cases[i]->label, rm_median(cases[i]), w->ci95_lo, w->ci95_hi, NAN};
        if (b[i].value < 0)
            b[i].value = NAN;
    }
    html_bars(out, "Wall time (median, s)", " s", b, n,
              "Whiskers: the 95% interval of the mean over the repetitions.");
    for (int i = 0; i < n; i++) {
        const struct rm_case *base = rm_baseline(f, cases[i]);
        const struct stats *w = &cases[i]->fig[RM_WALL].st;
        double s = rm_speedup(f, cases[i]), bm = rm_median(base);
        any_speedup |= s > 0; /* without a sequential case there is no speed-up to draw */
        b[i] = (struct html_bar){cases[i]->label, s > 0 ? s : NAN,
                                 w->ci95_hi > 0 ? bm / w->ci95_hi : NAN,
                                 w->ci95_lo > 0 ? bm / w->ci95_lo : NAN, NAN};
    }
    if (any_speedup)
        html_bars(out, "Speed-up against sequential", "x", b, n,
                  "Above 1 is faster. Whiskers: the sequential median over this model's 95% "
                  "interval of wall time.");
    for (int i = 0; i < n; i++)
        b[i] = (struct html_bar){cases[i]->label, cases[i]->fig[RM_USER].st.median, NAN, NAN,
                                 cases[i]->fig[RM_SYS].st.median};
    html_bars(out, "CPU time (median, s): user, then system", " s", b, n,
              "Dark: user CPU; light: system CPU, child processes included.");
    for (int i = 0; i < n; i++)
        b[i] = (struct html_bar){cases[i]->label, cases[i]->fig[RM_RSS].st.median / 1024, NAN, NAN,
                                 NAN};
    html_bars(out, "Peak memory (median peak RSS, MiB)", " MiB", b, n,
              "The largest single process of a repetition.");
    free(b);
}

/* The results document as JSON inside the page: '<', '>' and '&' written as \u escapes, so no
 * text from the file can end the script element or open a comment. */
static void embedded_data(FILE *out, const struct rm_file *f)
{
    char *s = rm_to_text(f, RM_TEXT_COMPACT);

    fputs("<script type=\"application/json\" id=\"concbench-data\">", out);
    for (const char *p = s ? s : "null"; *p != '\0'; p++) {
        if (*p == '<' || *p == '>' || *p == '&')
            fprintf(out, "\\u%04x", (unsigned)*p);
        else
            fputc(*p, out);
    }
    fputs("</script>\n<script>\n"
          "const data = JSON.parse(document.getElementById('concbench-data').textContent);\n"
          "document.getElementById('ncases').textContent = String(data.cases.length);\n"
          "document.body.dataset.loaded = 'yes';\n</script>\n",
          out);
    free(s);
}

static void workload_section(FILE *out, const struct rm_file *f, const char *workload)
{
    int n;
    const struct rm_case **cases = rm_cases_of(f, workload, &n);

    fputs("<section class=\"workload\"><h2>", out);
    html_text(out, workload);
    fputs("</h2>\n", out);
    table(out, f, cases, n);
    charts(out, f, cases, n);
    fputs("<h3>Task timelines (last repetition)</h3>\n<p class=\"key\"><span class=\"compute\" "
          "style=\"background:#d97706\"></span>compute<span style=\"background:#2b6cb0\"></span>"
          "wait<span style=\"background:#777\"></span>kind not recorded</p>\n"
          "<p class=\"key\">Where CPU time was recorded:<span style=\"background:#d97706\"></span>"
          "running on a CPU (a step's bar is filled to its share of a CPU: when inside the step "
          "it ran is not recorded)<span style=\"background:#fde6c4\"></span>on its worker, not on "
          "a CPU (runnable, or blocked)<span style=\"border:1px dashed #888\"></span>queued (for a "
          "pool worker or the loop)</p>\n",
          out);
    html_timelines(out, cases, n);
    fputs("</section>\n", out);
    free(cases);
}

struct html_page {
    const struct rm_file *f; /* the cases shown */
    const struct html_view *view;
    const char *source;
};

/* outfile_write's writer: the whole page. */
static int html_page(FILE *out, void *arg)
{
    const struct html_page *p = arg;

    page_head(out, p->f, p->source);
    html_select_note(out, p->view);
    html_replay(out, p->f);
    for (int i = 0; i < p->f->ncases; i++)
        if (rm_first_of_workload(p->f, i))
            workload_section(out, p->f, p->f->cases[i].workload);
    embedded_data(out, p->f);
    fputs("</body></html>\n", out);
    return ferror(out) ? -1 : 0;
}

int html_write(const struct rm_file *f, const char *source, int per_workload, const char *path,
               char *err, size_t errlen)
{
    struct html_view view;
    struct html_page p = {&view.file, &view, source};
    int rc;

    html_select(f, per_workload, &view);
    rc = outfile_write(path, html_page, &p, err, errlen);
    html_view_free(&view);
    return rc;
}
