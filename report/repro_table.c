/* The reproduction table: per model, our C (and Python) median and speed-up for cpu_bound and
 * io_bound, next to the article's published seconds and speed-ups. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rmodel/article.h"
#include "common/article_sizes.h"
#include "common/termsafe.h"
#include "report/report_sections.h"
#include "report/report_text.h"
#include "runners/runner.h"

/* The third column, from reproduce --latency, is io_bound with drawn delays: next to the
 * article's io_bound figures too. */
#define TABLE_NWLS 3
static const char *const table_wls[TABLE_NWLS] = {"cpu_bound", "io_bound",
                                                  REPRO_IO_LATENCY_WORKLOAD};
static const char *const table_published[TABLE_NWLS] = {"cpu_bound", "io_bound", "io_bound"};

/* The mark in the cells the article and our Python variants have no figure for (the rows after
 * the article's models), explained under the table. */
#define NO_PEER "n/a"

/* Which column groups the table has, and which of its columns fit. */
struct table_shape {
    struct repro_rows rows;
    int model_w; /* the first column: MODEL_WIDTH, or the longest row name */
    int wl_on[TABLE_NWLS], py_on[TABLE_NWLS];
    int gil_on[TABLE_NWLS];        /* the file has gil=on cases of the workload (reproduce --gil) */
    int width;                     /* what the table may take (0: no limit) */
    int apart;                     /* one table per workload, as side by side they do not fit */
    int no_art_s, no_py_s, no_c_s; /* seconds columns left out to fit */
};

#define MODEL_WIDTH 22

/* Row m's name, "pthreads / threads" or "openmp / n/a" (a label from the file, made safe). */
static void row_name(const struct table_shape *t, int m, char *name, size_t len)
{
    char safe[64 * TERM_SAFE_GROWTH];

    if (m < REPRO_NMODELS)
        snprintf(name, len, "%s / %s", repro_models[m], repro_article[m]);
    else
        snprintf(name, len, "%s / %s", term_safe(t->rows.name[m], 48, safe, sizeof(safe)), NO_PEER);
}

/* The columns of one workload's group after its " | ". */
static int group_width(const struct table_shape *t, int w)
{
    return (t->no_c_s ? 0 : 9) + 7 + (t->gil_on[w] ? 8 : 0) +
           (t->py_on[w] ? (t->no_py_s ? 0 : 9) + 8 : 0) + (t->no_art_s ? 0 : 8) + 8;
}

/* The width of a row: of workload only, of all side by side (-1), or of the widest alone (-2,
 * the widest of the tables apart). */
static int rows_width(const struct table_shape *t, int only)
{
    int n = t->model_w, widest = 0;

    for (int w = 0; w < TABLE_NWLS; w++) {
        int g = t->wl_on[w] && (only < 0 || only == w) ? 3 + group_width(t, w) : 0;
        n += g;
        widest = g > widest ? g : widest;
    }
    return only == -2 ? t->model_w + widest : n;
}

/* Side by side with every column when there is no limit or it fits; else one table per
 * workload, then seconds columns left out (the article's, Python's, C's) until it fits. */
static void fit_shape(struct table_shape *t, int width)
{
    t->width = width;
    t->apart = t->no_art_s = t->no_py_s = t->no_c_s = 0;
    if (width <= 0 || rows_width(t, -1) <= width)
        return;
    t->apart = 1;
    if (rows_width(t, -2) > width)
        t->no_art_s = 1;
    if (rows_width(t, -2) > width)
        t->no_py_s = 1;
    if (rows_width(t, -2) > width)
        t->no_c_s = 1;
}

/* Wrapped at 92 columns, or narrower when the table's width is. */
static void print_paragraph(const struct table_shape *t, FILE *out, const char *text)
{
    if (t->width > 0 && t->width < 92)
        text_print_wrapped_at(out, text, "", "", (size_t)t->width);
    else
        text_print_wrapped(out, text, "", "");
}

static void cell_case(char *s, size_t slen, char *x, size_t xlen, const struct rm_file *f,
                      const struct rm_case *c)
{
    text_seconds(s, slen, rm_median(c));
    text_ratio(x, xlen, rm_speedup(f, c));
    if (c != NULL && !rm_valid(c) && strlen(s) + 1 < slen)
        strcat(s, "!");
}

/* What the io_bound:article column drew: its profile, and the bounds of its delays. */
static void latency_title(const struct rm_file *f, struct text_buf *head)
{
    const struct rm_case *c = rm_find(f, "c", REPRO_IO_LATENCY_WORKLOAD, runner_baseline_name());
    const struct rm_latency *l = c != NULL ? c->latency : NULL;

    if (l == NULL)
        return;
    text_append(head,
                "; %s = the same GETs, each request's delay drawn (seed %lld) from the latency "
                "profile %s",
                REPRO_IO_LATENCY_WORKLOAD, l->seed, l->profile ? l->profile : "(unnamed)");
    if (isfinite(l->scale) && l->scale != 1)
        text_append(head, " times %g", l->scale);
    text_append(head,
                ": %.3f s of delays in all, %.3f s for the slowest task (the least time a "
                "concurrent model can take; %.2fx at most over sequential)",
                l->total_s, l->makespan_s, l->makespan_s > 0 ? l->total_s / l->makespan_s : 0);
}

static void table_title(const struct rm_file *f, const struct table_shape *t, FILE *out)
{
    struct text_buf head = {0};

    text_append(&head, "The article's experiment, N=%lld tasks per model:", f->config.tasks);
    if (t->wl_on[0])
        text_append(&head, " cpu_bound = %lld**%lld per task",
                    rm_file_param(f, "cpu_bound", "base", ARTICLE_BASE),
                    rm_file_param(f, "cpu_bound", "exponent", ARTICLE_EXPONENT));
    if (t->wl_on[0] && t->wl_on[1])
        text_append(&head, ";");
    if (t->wl_on[1])
        text_append(
            &head, " io_bound = %lld GETs in a row per task, %lld ms server delay, %lld bytes each",
            rm_file_param(f, "io_bound", "requests", ARTICLE_REQUESTS),
            rm_file_param(f, "io_bound", "delay_ms", ARTICLE_DELAY_MS),
            rm_file_param(f, "io_bound", "bytes", ARTICLE_BYTES));
    if (t->wl_on[2])
        latency_title(f, &head);
    fprintf(out, "\n");
    print_paragraph(t, out, head.s);
    fprintf(out, "\n");
    free(head.s);
}

/* " | %8s %7s", the C columns of a group, or " | %7s" without C's seconds. */
static void c_cells(const struct table_shape *t, const char *s, const char *x, char *line,
                    size_t *used)
{
    if (t->no_c_s)
        *used += (size_t)snprintf(line + *used, 512 - *used, " | %7s", x);
    else
        *used += (size_t)snprintf(line + *used, 512 - *used, " | %8s %7s", s, x);
}

/* A seconds and a ratio column (Python's, the article's), or the ratio alone. */
static void pair_cells(int no_s, int sw, const char *s, const char *x, char *line, size_t *used)
{
    if (no_s)
        *used += (size_t)snprintf(line + *used, 512 - *used, " %7s", x);
    else
        *used += (size_t)snprintf(line + *used, 512 - *used, " %*s %7s", sw, s, x);
}

/* Two header lines: the workload over its group of columns, then the columns; only: the one
 * workload of a table apart, or -1 for all. */
static void table_header(const struct table_shape *t, int only, FILE *out)
{
    char line[512];
    size_t used = (size_t)snprintf(line, sizeof(line), "%-*s", t->model_w, "");

    for (int w = 0; w < TABLE_NWLS; w++)
        if (t->wl_on[w] && (only < 0 || only == w))
            used += (size_t)snprintf(line + used, sizeof(line) - used, " | %-*s", group_width(t, w),
                                     table_wls[w]);
    while (used > 0 && line[used - 1] == ' ')
        line[--used] = '\0';
    fprintf(out, "%s\n", line);
    used = (size_t)snprintf(line, sizeof(line), "%-*s", t->model_w, "model / article");
    for (int w = 0; w < TABLE_NWLS; w++) {
        if (!t->wl_on[w] || (only >= 0 && only != w))
            continue;
        c_cells(t, "C s", "C x", line, &used);
        if (t->gil_on[w])
            used += (size_t)snprintf(line + used, sizeof(line) - used, " %7s", "GIL x");
        if (t->py_on[w])
            pair_cells(t->no_py_s, 8, "Py s", "Py x", line, &used);
        pair_cells(t->no_art_s, 7, "art s", "art x", line, &used);
    }
    fprintf(out, "%s\n", line);
}

/* Model m's case with gil=on (its own run of reproduce --gil) on workload w, or NULL. */
static const struct rm_case *gil_case(const struct rm_file *f, int m, int w)
{
    char label[64];

    snprintf(label, sizeof(label), "%s:gil=on", repro_models[m]);
    return rm_find_label(f, "c", table_wls[w], label);
}

/* One model's cells of one workload into line; 1 when the row has anything to show. */
/* The speed-up of model m with gil=on, as "0.91x" or "-". */
static void gil_cell(const struct rm_file *f, int m, int w, char *x, size_t len, int *any_bad)
{
    const struct rm_case *g = gil_case(f, m, w);

    *any_bad |= g != NULL && !rm_valid(g);
    text_ratio(x, len, g != NULL ? rm_speedup(f, g) : -1);
}

/* A row after the article's: C's cells, then NO_PEER where the article and Python would be. */
static int newer_cells(const struct rm_file *f, int m, int w, const struct table_shape *t,
                       char *line, size_t *used, int *any_bad)
{
    const struct rm_case *c = repro_row_case(f, &t->rows, m, "c", table_wls[w]);
    char s[32], x[32];

    *any_bad |= c != NULL && !rm_valid(c);
    cell_case(s, sizeof(s), x, sizeof(x), f, c);
    c_cells(t, s, x, line, used);
    if (t->gil_on[w]) /* reproduce --gil runs the article's models with gil=on, not these */
        *used += (size_t)snprintf(line + *used, 512 - *used, " %7s", "-");
    if (t->py_on[w])
        pair_cells(t->no_py_s, 8, NO_PEER, NO_PEER, line, used);
    pair_cells(t->no_art_s, 7, NO_PEER, NO_PEER, line, used);
    return c != NULL;
}

static int table_cells(const struct rm_file *f, const struct rm_published *pub, int m, int w,
                       const struct table_shape *t, char *line, size_t *used, int *any_bad)
{
    const struct rm_case *c, *py;
    double a, aseq = rm_published_seconds(pub, runner_baseline_name(), table_published[w]);
    char s[32], x[32];

    if (m >= REPRO_NMODELS)
        return newer_cells(f, m, w, t, line, used, any_bad);
    c = repro_row_case(f, &t->rows, m, "c", table_wls[w]);
    py = repro_row_case(f, &t->rows, m, "python", table_wls[w]);
    a = rm_published_seconds(pub, repro_models[m], table_published[w]);
    *any_bad |= (c != NULL && !rm_valid(c)) || (py != NULL && !rm_valid(py));
    cell_case(s, sizeof(s), x, sizeof(x), f, c);
    c_cells(t, s, x, line, used);
    if (t->gil_on[w]) {
        gil_cell(f, m, w, x, sizeof(x), any_bad);
        *used += (size_t)snprintf(line + *used, 512 - *used, " %7s", x);
    }
    if (t->py_on[w]) {
        cell_case(s, sizeof(s), x, sizeof(x), f, py);
        pair_cells(t->no_py_s, 8, s, x, line, used);
    }
    if (a > 0)
        snprintf(s, sizeof(s), "%.3g", a); /* as published */
    else
        snprintf(s, sizeof(s), "-");
    text_ratio(x, sizeof(x), a > 0 && aseq > 0 ? aseq / a : -1);
    pair_cells(t->no_art_s, 7, s, x, line, used);
    return c != NULL || py != NULL || a > 0;
}

/* What NO_PEER means, naming the rows it stands in (labels from the file: the paragraph is made
 * safe when printed). */
static void newer_legend(const struct table_shape *t, struct text_buf *legend)
{
    int one;

    if (t->rows.n <= REPRO_NMODELS && t->rows.left_out == 0)
        return;
    text_append(legend, "%s: ", NO_PEER);
    for (int m = REPRO_NMODELS; m < t->rows.n; m++)
        text_append(legend, "%s%s", text_list_sep(m - REPRO_NMODELS, t->rows.n - REPRO_NMODELS),
                    t->rows.name[m]);
    one = t->rows.n - REPRO_NMODELS == 1;
    text_append(legend,
                " %s not in the article's experiment (newer models, or a model with other "
                "options): the article has no figure for %s and our Python variants no "
                "counterpart, so only C's columns are filled, %s x against the same sequential "
                "run. ",
                one ? "is" : "are", one ? "it" : "them", one ? "its" : "their");
    if (t->rows.left_out > 0)
        text_append(legend,
                    "%d more case%s of other models left out (at most %d rows): concbench "
                    "report's first table has every case. ",
                    t->rows.left_out, t->rows.left_out == 1 ? "" : "s", REPRO_MAX_ROWS);
}

static void table_legend(const struct rm_file *f, const struct rm_published *pub,
                         const struct table_shape *t, int any_bad, FILE *out)
{
    struct text_buf legend = {0};

    text_append(&legend, "s: median wall seconds. x: speedup against sequential in the same column "
                         "(the median over the rounds of sequential's time / this model's "
                         "time; above 1 is faster). ");
    if (pub != NULL)
        text_append(&legend,
                    "art: the article's published seconds (%s, \"%s\"): one run each, on its "
                    "author's machine, io_bound from real internet sites. ",
                    pub->author ? pub->author : "?", pub->title ? pub->title : "?");
    else
        text_append(&legend, "The article's figures were not found: its columns are empty. ");
    if (t->py_on[0] || t->py_on[1]) {
        const struct rm_case *c =
            rm_find(f, "python", t->py_on[0] ? "cpu_bound" : "io_bound", runner_baseline_name());
        const char *ver = rm_python_version(c);
        text_append(&legend,
                    "Py: our Python%s%s variants (scripts/python/), the row's Python model "
                    "(sequential, threading, multiprocessing, gevent, asyncio), on this machine in "
                    "the same run. ",
                    ver ? " " : "", ver ? ver : "");
    }
    if (t->gil_on[0] || t->gil_on[1])
        text_append(
            &legend,
            "GIL x: the row's C model with gil=on (reproduce --gil): one global lock held by "
            "every compute step and handed over every 5 ms, as CPython's GIL; its speedup "
            "against the same sequential run. ");
    newer_legend(t, &legend);
    if (any_bad)
        text_append(&legend, "!: some task failed or gave a wrong result (errors below).");
    if (t->no_art_s || t->no_py_s || t->no_c_s)
        text_append(&legend, "%sTo fit %d columns, left out:%s%s%s; --wide shows them.",
                    any_bad ? " " : "", t->width, t->no_art_s ? " art s" : "",
                    t->no_py_s ? (t->no_art_s ? ", Py s" : " Py s") : "", t->no_c_s ? ", C s" : "");
    fprintf(out, "\n");
    print_paragraph(t, out, legend.s);
    free(legend.s);
}

/* io_bound:article: each model's efficiency, the least time its drawn delays allow (sequential:
 * their total; others: the slowest task's sum) over its median. */
static void latency_efficiency(const struct rm_file *f, const struct table_shape *t, FILE *out)
{
    struct text_buf line = {0};
    int n = 0;

    text_append(&line, "%s efficiency (the least time the drawn delays allow / median wall):",
                REPRO_IO_LATENCY_WORKLOAD);
    for (int m = 0; m < t->rows.n; m++) {
        double e =
            rm_latency_efficiency(repro_row_case(f, &t->rows, m, "c", REPRO_IO_LATENCY_WORKLOAD));
        if (e > 0)
            text_append(&line, "%s %s %.0f%%", n++ ? "," : "", t->rows.name[m], 100 * e);
    }
    if (n > 0) {
        fprintf(out, "\n");
        print_paragraph(t, out, line.s);
    }
    free(line.s);
}

/* The rows of every model, for the workloads side by side (only = -1) or for one. */
static void table_rows(const struct rm_file *f, const struct rm_published *published,
                       const struct table_shape *t, int only, int *any_bad, FILE *out)
{
    for (int m = 0; m < t->rows.n; m++) {
        char line[512], name[256];
        size_t used;
        int any = 0;

        row_name(t, m, name, sizeof(name));
        used = (size_t)snprintf(line, sizeof(line), "%-*s", t->model_w, name);
        for (int w = 0; w < TABLE_NWLS; w++)
            if (t->wl_on[w] && (only < 0 || only == w))
                any |= table_cells(f, published, m, w, t, line, &used, any_bad);
        if (any)
            fprintf(out, "%s\n", line);
    }
}

void repro_table(const struct rm_file *f, const struct render_opts *ro, FILE *out)
{
    const struct rm_published *published = ro != NULL ? ro->published : NULL;
    int width = ro != NULL ? ro->width : 0;
    struct table_shape t;
    int any_bad = 0, blocks = 0;

    for (int w = 0; w < TABLE_NWLS; w++) {
        t.wl_on[w] = rm_has_workload(f, NULL, table_wls[w]);
        t.py_on[w] = rm_has_workload(f, "python", table_wls[w]);
        t.gil_on[w] = 0;
        for (int m = 0; m < REPRO_NMODELS; m++)
            t.gil_on[w] |= repro_gil_model(m) && gil_case(f, m, w) != NULL;
    }
    repro_rows(f, &t.rows);
    t.model_w = MODEL_WIDTH;
    for (int m = REPRO_NMODELS; m < t.rows.n; m++) {
        char name[256];
        row_name(&t, m, name, sizeof(name));
        t.model_w = (int)strlen(name) > t.model_w ? (int)strlen(name) : t.model_w;
    }
    fit_shape(&t, width);
    table_title(f, &t, out);
    for (int w = 0; w < (t.apart ? TABLE_NWLS : 1); w++) {
        int only = t.apart ? w : -1;
        if (t.apart && !t.wl_on[w])
            continue;
        if (blocks++)
            fprintf(out, "\n");
        table_header(&t, only, out);
        table_rows(f, published, &t, only, &any_bad, out);
    }
    table_legend(f, published, &t, any_bad, out);
    if (t.wl_on[2])
        latency_efficiency(f, &t, out);
}
