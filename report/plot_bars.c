/* Grouped bars: one panel per workload, one group per model, the speed-up against sequential of
 * C (and our Python, and the article's published figures where the file has them), as ratios
 * so that machines compare. */
#include <errno.h>
#include <string.h>

#include "rmodel/article.h"
#include "report/plot_internal.h"
#include "report/plot_style.h"
#include "runners/runner.h"

#define BARS_MAX_ROWS 64

/* One group of bars: a C case (or an article model with no C case), our Python case of the same
 * model, the article's ratio. */
struct bar_row {
    char name[128], article[32];
    double x[3]; /* C, Python, article; <= 0 = none */
};

static double article_ratio(const struct rm_published *pub, const char *model, const char *wl)
{
    double a = rm_published_seconds(pub, model, wl);
    double seq = rm_published_seconds(pub, runner_baseline_name(), wl);
    return a > 0 && seq > 0 ? seq / a : -1;
}

/* The article's workloads: its five models in its order, next to its figures. */
static int article_rows(const struct rm_file *f, const struct rm_published *pub, const char *wl,
                        struct bar_row *rows)
{
    int n = 0;

    for (int m = 0; m < REPRO_NMODELS; m++) {
        const struct rm_case *c = rm_find(f, "c", wl, repro_models[m]);
        const struct rm_case *py = rm_find(f, "python", wl, repro_models[m]);
        struct bar_row *r = &rows[n];

        snprintf(r->name, sizeof(r->name), "%s", repro_models[m]);
        snprintf(r->article, sizeof(r->article), "%s", repro_article[m]);
        r->x[0] = c ? rm_speedup(f, c) : -1;
        r->x[1] = py ? rm_speedup(f, py) : -1;
        r->x[2] = article_ratio(pub, repro_models[m], wl);
        n += c != NULL || py != NULL;
    }
    return n;
}

/* Any other workload: every C case by label, in file order, with our Python case beside it. */
static int case_rows(const struct rm_file *f, const char *wl, struct bar_row *rows)
{
    int n = 0;

    for (int i = 0; i < f->ncases && n < BARS_MAX_ROWS; i++) {
        const struct rm_case *c = &f->cases[i], *py;
        if (strcmp(c->workload, wl) != 0 || strcmp(c->implementation, "c") != 0)
            continue;
        py = strcmp(c->label, c->model) == 0 ? rm_find(f, "python", wl, c->model) : NULL;
        snprintf(rows[n].name, sizeof(rows[n].name), "%s", c->label);
        rows[n].article[0] = '\0';
        rows[n].x[0] = rm_speedup(f, c);
        rows[n].x[1] = py ? rm_speedup(f, py) : -1;
        rows[n].x[2] = -1;
        n++;
    }
    return n;
}

/* A data column's text: no tab or line break, which would shift the columns. */
static void data_text(FILE *d, const char *s)
{
    for (; *s != '\0'; s++)
        fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, d);
}

/* Writes the panel's data; which series it has in has[]; the largest ratio in *ymax. */
static int write_rows(FILE *d, const struct bar_row *rows, int n, int has[3], double *ymax)
{
    fprintf(d, "# index\tname\tarticle\tC\tPython\tarticle\n");
    for (int i = 0; i < n; i++) {
        fprintf(d, "%d\t", i);
        data_text(d, rows[i].name);
        fputc('\t', d);
        data_text(d, rows[i].article[0] ? rows[i].article : "-");
        for (int k = 0; k < 3; k++) {
            double x = rows[i].x[k];
            has[k] |= x > 0;
            if (x > *ymax)
                *ymax = x;
            if (x > 0)
                fprintf(d, "\t%.4f", x);
            else
                fprintf(d, "\t-");
        }
        fputc('\n', d);
    }
    return n;
}

static void panel_title(const struct rm_file *f, const char *wl, char *buf, size_t len)
{
    if (strcmp(wl, "cpu_bound") == 0)
        snprintf(buf, len, "cpu_bound: %lld**%lld per task", rm_file_param(f, wl, "base", 0),
                 rm_file_param(f, wl, "exponent", 0));
    else if (strcmp(wl, "io_bound") == 0)
        snprintf(buf, len, "io_bound: %lld GETs in a row per task, %lld ms delay",
                 rm_file_param(f, wl, "requests", 0), rm_file_param(f, wl, "delay_ms", 0));
    else
        snprintf(buf, len, "%s", wl);
}

static void plot_series(const struct plot_ctx *p, FILE *gp, const char *path, const int has[3],
                        int article)
{
    static const char *const names[3] = {"C (concbench)", "Python (ours, this machine)",
                                         "article (published)"};
    static const char *const colors[2][3] = {{PLOT_COLOR_C, PLOT_COLOR_PYTHON, PLOT_COLOR_ARTICLE},
                                             {OKABE_ITO_BLUE, OKABE_ITO_ORANGE, OKABE_ITO_GREY}};
    int series[3], ns = 0;

    for (int k = 0; k < 3; k++)
        if (has[k] || k == 0)
            series[ns++] = k;
    fprintf(gp, "plot ");
    for (int s = 0; s < ns; s++) {
        fprintf(gp, "%s", s ? ", \\\n     " : "");
        gp_quote(gp, path);
        fprintf(gp, " using %d%s title '%s' lc rgb '%s'", 4 + series[s],
                s != 0    ? ""
                : article ? ":xtic(sprintf(\"%s\\n(%s)\", strcol(2), strcol(3)))"
                          : ":xtic(2)",
                names[series[s]], colors[p->slides != 0][series[s]]);
    }
    /* The value above each bar: clustered bars sit at group + (j + 1/2 - n/2) / (n + gap). */
    for (int s = 0; s < ns; s++) {
        double off = ((double)s + 0.5 - (double)ns / 2.0) / ((double)ns + 1.0);
        fprintf(gp, ", \\\n     ");
        gp_quote(gp, path);
        fprintf(gp,
                " using ($1%+.4f):(column(%d)):(sprintf('%%.2f', column(%d))) with labels "
                "offset 0,0.6%s notitle",
                off, 4 + series[s], 4 + series[s], gp_font(p, PLOT_SMALL));
    }
    fprintf(gp, "\n");
}

static int bar_panel(struct plot_ctx *p, const struct rm_file *f, const struct rm_published *pub,
                     const char *wl, int index, int nwl, FILE *gp)
{
    struct bar_row rows[BARS_MAX_ROWS];
    int article = strcmp(wl, "cpu_bound") == 0 || strcmp(wl, "io_bound") == 0;
    int n = article ? article_rows(f, pub, wl, rows) : case_rows(f, wl, rows), has[3] = {0};
    char path[PATH_MAX], name[64], title[256], wrapped[512];
    double ymax = 1.0;
    FILE *d;

    snprintf(name, sizeof(name), "bars_%d.dat", index);
    d = plot_file(p, name, path, sizeof(path));
    if (d == NULL) {
        fprintf(stderr, "concbench plot: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    for (int i = 0; i < n && p->slides; i++) { /* a name as wide as its group at most */
        char cut[sizeof(rows[i].name)];
        plot_cut(p, PLOT_TICK, PLOT_SLIDES_WIDTH / nwl / (n > 0 ? n : 1), rows[i].name, cut,
                 sizeof(cut));
        memcpy(rows[i].name, cut, sizeof(cut));
    }
    write_rows(d, rows, n, has, &ymax);
    fclose(d);
    panel_title(f, wl, title, sizeof(title));
    plot_wrap(p, PLOT_PANEL, PLOT_SLIDES_WIDTH / nwl, title, wrapped, sizeof(wrapped));
    fprintf(gp, "set title ");
    gp_quote(gp, p->slides ? wrapped : title);
    fprintf(gp, "%s\nset yrange [0:%.3f]\n", gp_font(p, PLOT_PANEL),
            ymax * 1.35); /* room for the key */
    plot_series(p, gp, path, has, article);
    return 0;
}

/* The workloads of the file, in file order. */
static int workloads_of(const struct rm_file *f, const char **wls, int max)
{
    int n = 0;

    for (int i = 0; i < f->ncases; i++) {
        int seen = 0;
        for (int j = 0; j < n && !seen; j++)
            seen = strcmp(wls[j], f->cases[i].workload) == 0;
        if (!seen && n < max)
            wls[n++] = f->cases[i].workload;
    }
    return n;
}

int plot_bars(struct plot_ctx *p, const struct rm_file *f, const struct rm_published *pub,
              const char *output, FILE *gp)
{
    const char *wls[8];
    int n = workloads_of(f, wls, 8), width = n * PLOT_BARS_PANEL_WIDTH;
    char machine[512], title[1024], wrapped[1280];

    if (n == 0) {
        fprintf(stderr, "concbench plot: the results have no case to draw\n");
        return 1;
    }
    plot_machine_line(f, machine, sizeof(machine));
    gp_terminal(gp, p, width > PLOT_BARS_MIN_WIDTH ? width : PLOT_BARS_MIN_WIDTH, PLOT_BARS_HEIGHT);
    fprintf(gp, "set output ");
    gp_quote(gp, output);
    fprintf(gp,
            "\nset datafile separator tab\n"
            "set datafile missing '-'\n"
            "set style data histograms\n"
            "set style histogram clustered gap 1\n"
            "set style fill solid 0.9 border -1\n"
            "set key top left vertical Left reverse samplen 1.5%s\n"
            "set bmargin %d\n"
            "set grid ytics lc rgb '#dddddd'\n"
            "set xtics nomirror scale 0\n"
            "set ytics nomirror\n"
            "set border 3\n"
            "set ylabel 'speedup against sequential (higher is faster)'\n"
            "set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb "
            "'#555555'\n",
            gp_font(p, PLOT_KEY), p->slides ? 5 : 4);
    snprintf(title, sizeof(title),
             "N=%lld tasks: each model's speedup over its own sequential run\n%s", f->config.tasks,
             machine);
    plot_wrap(p, PLOT_TITLE, PLOT_SLIDES_WIDTH, title, wrapped, sizeof(wrapped));
    fprintf(gp, "set multiplot layout 1,%d title ", n);
    gp_quote(gp, p->slides ? wrapped : title);
    fprintf(gp, "%s\n", gp_font(p, PLOT_TITLE));
    for (int w = 0; w < n; w++)
        if (bar_panel(p, f, pub, wls[w], w, n, gp) != 0)
            return 1;
    fprintf(gp, "unset multiplot\n");
    return 0;
}
