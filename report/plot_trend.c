/* One case over time: its median per run with the 95% interval, the commits on the x axis, and
 * the detected step changes marked (analysis/trend.h). */
#include <limits.h>
#include <stdio.h>

#include "report/plot.h"
#include "report/plot_internal.h"

struct plot_trend_arg {
    const char *key;
    const struct trend_point *pts;
    int n;
};

static int plot_trend_data(struct plot_ctx *p, const struct plot_trend_arg *a, char *path)
{
    FILE *d = plot_file(p, "trend.dat", path, PATH_MAX);

    if (d == NULL)
        return 1;
    /* x, median, lo, hi, then the median again where a step is (else NaN: not drawn) */
    for (int i = 0; i < a->n; i++)
        fprintf(d, "%d %.9g %.9g %.9g %s\n", i, a->pts[i].median, a->pts[i].lo, a->pts[i].hi,
                a->pts[i].step ? "1" : "NaN");
    fclose(d);
    return 0;
}

static int plot_trend_write(struct plot_ctx *p, const void *arg, const char *output, FILE *gp)
{
    const struct plot_trend_arg *a = arg;
    char data[PATH_MAX];

    if (plot_trend_data(p, a, data) != 0) {
        fprintf(stderr, "concbench history trend: cannot write the plot data\n");
        return 1;
    }
    gp_terminal(gp, p, 1000, 500);
    fputs("set output ", gp);
    gp_quote(gp, output);
    fputs("\nset title ", gp);
    gp_quote(gp, a->key);
    fputs("\nset ylabel 'median wall s (95% interval)'\nset grid ytics\nset key top left\n"
          "set xtics rotate by -45 font ',8' (",
          gp);
    for (int i = 0; i < a->n; i++) {
        fputs(i ? ", " : "", gp);
        gp_quote(gp, a->pts[i].commit);
        fprintf(gp, " %d", i);
    }
    fprintf(gp, ")\nset xrange [-0.5:%d.5]\nplot ", a->n - 1);
    gp_quote(gp, data);
    fputs(" using 1:2:3:4 with yerrorlines lc rgb '#1f77b4' title 'median, 95% interval', \\\n"
          "     ",
          gp);
    gp_quote(gp, data);
    fputs(" using 1:($5 == 1 ? $2 : NaN) with points pt 7 ps 2 lc rgb '#d62728' "
          "title 'step change (z >= 5, >= 5%)'\n",
          gp);
    return 0;
}

int plot_trend(const char *key, const struct trend_point *pts, int n, const char *output, int keep)
{
    struct plot_trend_arg a = {key, pts, n};

    return plot_with(output, keep, plot_trend_write, &a);
}
