/* A sweep on log-log axes: per workload, wall time per task and memory per task against N, one
 * line per model; points that failed or were left out are not drawn. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "report/plot_internal.h"
#include "report/plot_style.h"

/* One model's points on one workload: "N  wall/N  rss_per_task"; NaN where a figure cannot sit
 * on a log axis (a point with no growth of RSS). 1 when the file has a point to draw. */
static int sweep_series(const struct rm_file *f, const char *wl, const char *label, FILE *d)
{
    int drawn = 0;

    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        double wall = rm_median(c), rss = c->fig[RM_RSS_PER_TASK].st.median;

        if (strcmp(c->workload, wl) != 0 || strcmp(c->label, label) != 0 || !rm_valid(c) ||
            wall <= 0 || c->tasks < 1)
            continue;
        fprintf(d, "%lld %.9g ", c->tasks, wall / (double)c->tasks);
        if (rss > 0)
            fprintf(d, "%.9g\n", rss);
        else
            fprintf(d, "NaN\n");
        drawn = 1;
    }
    return drawn;
}

/* One panel: column col of every model's data file, against N. */
static void sweep_panel(FILE *gp, const char *title, const char *ylabel, int col,
                        char paths[][PATH_MAX], const char *const *labels, int n)
{
    fputs("set title ", gp);
    gp_quote(gp, title);
    fputs("\nset ylabel ", gp);
    gp_quote(gp, ylabel);
    fputs("\nplot ", gp);
    for (int m = 0; m < n; m++) {
        fputs(m ? ", \\\n     " : "", gp);
        gp_quote(gp, paths[m]);
        fprintf(gp, " using 1:%d with linespoints lw 2 pt %d title ", col, 5 + m);
        gp_quote(gp, labels[m]);
    }
    fputs("\n", gp);
}

/* The two panels of a workload; 0, or 1 after saying why. */
static int sweep_workload(struct plot_ctx *p, const struct rm_file *f, int w, FILE *gp)
{
    const char *wl = f->sweep->plans[w].workload, *labels[CONFIG_MAX_MODELS_PLOT];
    char paths[CONFIG_MAX_MODELS_PLOT][PATH_MAX], name[64], title[256];
    int n = 0;

    for (int m = 0; m < f->config.models.n && n < CONFIG_MAX_MODELS_PLOT; m++) {
        FILE *d;
        snprintf(name, sizeof(name), "sweep_%d_%d.dat", w, m);
        d = plot_file(p, name, paths[n], PATH_MAX);
        if (d == NULL) {
            fprintf(stderr, "concbench plot: cannot write %s: %s\n", paths[n], strerror(errno));
            return 1;
        }
        labels[n] = f->config.models.v[m];
        n += sweep_series(f, wl, labels[n], d);
        fclose(d);
    }
    if (n == 0) {
        fprintf(stderr, "concbench plot: the sweep has no valid point of %s to draw\n", wl);
        return 1;
    }
    snprintf(title, sizeof(title), "%s: wall time per task", wl);
    sweep_panel(gp, title, "median wall / N (s)", 2, paths, labels, n);
    snprintf(title, sizeof(title), "%s: memory per task", wl);
    sweep_panel(gp, title, "(peak RSS - RSS before) / N (bytes)", 3, paths, labels, n);
    return 0;
}

int plot_sweep(struct plot_ctx *p, const struct rm_file *f, const char *output, FILE *gp)
{
    int rows = f->sweep->nplans;
    char machine[512], title[768], wrapped[1024];

    if (rows == 0) {
        fprintf(stderr, "concbench plot: the sweep has no workload to draw\n");
        return 1;
    }
    plot_machine_line(f, machine, sizeof(machine));
    gp_terminal(gp, p, PLOT_SWEEP_WIDTH, PLOT_SWEEP_TITLE_HEIGHT + rows * PLOT_SWEEP_ROW_HEIGHT);
    fputs("set output ", gp);
    gp_quote(gp, output);
    fputs("\nset logscale xy\nset format x '%.0f'\nset format y '%g'\nset xlabel 'N tasks'\n"
          "set grid xtics ytics mytics lc rgb '#dddddd'\nset datafile missing 'NaN'\n",
          gp);
    fprintf(gp, "set key top right%s\n", gp_font(p, PLOT_KEY));
    snprintf(title, sizeof(title),
             "How cost grows with N (log-log; not drawn: failed or left-out "
             "points, memory per task of 0 or less)\n%s",
             machine);
    plot_wrap(p, PLOT_TITLE, PLOT_SLIDES_WIDTH, title, wrapped, sizeof(wrapped));
    fprintf(gp, "set multiplot layout %d,2 title ", rows);
    gp_quote(gp, p->slides ? wrapped : title);
    fprintf(gp, "%s\n", gp_font(p, PLOT_TITLE));
    for (int w = 0; w < rows; w++)
        if (sweep_workload(p, f, w, gp) != 0)
            return 1;
    fputs("unset multiplot\n", gp);
    return 0;
}
