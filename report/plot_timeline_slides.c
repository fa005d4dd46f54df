/* The timeline for a projector (plot --slides): 1920x1080, every text 28 px or more, each step
 * of a task coloured by what it was (compute, waiting) and the time before its start, when the
 * run had made the task but it had not begun, as runnable; colours from Okabe and Ito's palette
 * (plot_style.h). The panels are placed in pixels, so that titles and labels have room of their
 * own and never run into a neighbour. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/plot_style.h"
#include "report/plot_timeline.h"

#define SL_LEFT   110 /* task numbers */
#define SL_RIGHT  40
#define SL_GAP    50  /* between two columns */
#define SL_BOTTOM 125 /* time tics and the axis label */

enum { K_COMPUTE, K_WAIT, K_RUNNABLE, K_UNKNOWN, K_FAILED, K_N };

static const char *const kind_name[K_N] = {"compute (running)", "waiting", "runnable",
                                           "not recorded", "failed"};
static const char *const kind_color[K_N] = {OKABE_ITO_VERMILLION, OKABE_ITO_SKY_BLUE,
                                            OKABE_ITO_YELLOW, OKABE_ITO_GREY, OKABE_ITO_BLACK};

static int step_class(const struct rm_case *c, const struct rm_task *t, int q)
{
    char kind = rm_step_kind(c, q);
    return !t->ok ? K_FAILED : kind == 'c' ? K_COMPUTE : kind == 'w' ? K_WAIT : K_UNKNOWN;
}

/* Calls each(arg, row, from, to, class) for every box of a case: runnable, then its steps. */
static void tl_boxes(const struct rm_case *c, void (*each)(void *, int, double, double, int),
                     void *arg)
{
    for (int j = 0; j < c->ntimeline; j++) {
        const struct rm_task *t = &c->timeline[j];
        double from = t->start_s;
        if (t->start_s > 0)
            each(arg, j, 0, t->start_s, K_RUNNABLE);
        for (int q = 0; q <= t->nsteps && from < t->end_s; q++) {
            double to =
                q < t->nsteps && t->steps_end_s[q] < t->end_s ? t->steps_end_s[q] : t->end_s;
            if (q == t->nsteps && to - from < 1e-3 * (t->end_s - t->start_s))
                break; /* the rounding after the last recorded step, not a step */
            each(arg, j, from, to, step_class(c, t, q));
            from = to;
        }
    }
}

static void box_line(void *arg, int row, double from, double to, int cls)
{
    fprintf(arg, "%d %.6f %.6f %lu\n", row, from, to, strtoul(kind_color[cls] + 1, NULL, 16));
}

static void box_seen(void *arg, int row, double from, double to, int cls)
{
    (void)row, (void)from, (void)to;
    ((int *)arg)[cls] = 1;
}

/* Pixel geometry of the canvas: each row of panels under l->top (the title and the key). */
struct sl_geom {
    double top, row_h, col_w;
};

static void sl_geom(const struct tl_layout *l, struct sl_geom *g)
{
    g->top = l->top;
    g->row_h = (PLOT_SLIDES_HEIGHT - g->top - SL_BOTTOM) / l->nrows;
    g->col_w = (PLOT_SLIDES_WIDTH - SL_RIGHT - l->ncols * SL_LEFT - (l->ncols - 1) * SL_GAP) /
               (double)l->ncols;
}

/* From pixels from the top-left corner to gnuplot's screen fractions. */
static double sx(double px)
{
    return px / PLOT_SLIDES_WIDTH;
}
static double sy(double px)
{
    return 1.0 - px / PLOT_SLIDES_HEIGHT;
}

void tl_slides_setup(struct plot_ctx *p, struct tl_layout *l, const char *workload,
                     const char *machine, FILE *gp)
{
    char title[1024], wrapped[1280];

    snprintf(title, sizeof(title), "%s: each task over time (last repetition)\n%s", workload,
             machine);
    int lines = 1;

    plot_wrap(p, PLOT_TITLE, PLOT_SLIDES_WIDTH - 40, title, wrapped, sizeof(wrapped));
    for (const char *c = wrapped; *c != '\0'; c++)
        lines += *c == '\n';
    l->top =
        24 + lines * 1.6 * PLOT_SLIDES_TITLE_PX + 2.4 * PLOT_SLIDES_TEXT_PX; /* lines: 1.6 em */
    fprintf(gp, "set style fill solid 1.0 noborder\n"
                "set xtics nomirror\nset grid xtics lc rgb '#b0b0b0' lw 1\n"
                "set border 3 lw 2\nunset ylabel\nunset title\n");
    fprintf(gp, "set multiplot title ");
    gp_quote(gp, wrapped);
    fprintf(gp, "%s\n", gp_font(p, PLOT_TITLE));
}

/* The panel's label: the case and its time, cut with an ellipsis when wider than the panel. */
static void sl_label(struct plot_ctx *p, const struct rm_case *c, double x, double y, double w,
                     FILE *gp)
{
    char text[512], wrapped[640];

    snprintf(text, sizeof(text), "%s: %.3f s", c->label, timeline_end(c));
    plot_cut(p, PLOT_PANEL, (int)w - 40, text, wrapped, sizeof(wrapped));
    fprintf(gp, "set label 1 ");
    gp_quote(gp, wrapped);
    fprintf(gp, " at screen %.5f, screen %.5f left%s\n", sx(x), sy(y), gp_font(p, PLOT_PANEL));
}

/* The key of the colours, drawn by the first panel only: the kinds that some panel shows. */
static void sl_key_set(const struct tl_layout *l, int first, FILE *gp)
{
    if (first)
        fprintf(gp,
                "set key at screen 0.5, screen %.5f center top horizontal maxrows 1 "
                "samplen 1.5 width 1\n",
                sy(l->top - 2.2 * PLOT_SLIDES_TEXT_PX));
    else
        fprintf(gp, "unset key\n");
}

static void sl_key_entries(const struct tl_layout *l, FILE *gp)
{
    int seen[K_N] = {0};

    for (int r = 0; r < l->nrows; r++)
        for (int k = 0; k < 2; k++)
            if (l->rows[r][k] != NULL)
                tl_boxes(l->rows[r][k], box_seen, seen);
    for (int i = 0; i < K_N; i++)
        if (seen[i])
            fprintf(gp, ", \\\n     NaN with boxes lc rgb '%s' title '%s'", kind_color[i],
                    kind_name[i]);
}

static void sl_place(const struct tl_layout *l, const struct sl_geom *g, int r, int k, FILE *gp)
{
    double x0 = SL_LEFT + k * (g->col_w + SL_LEFT + SL_GAP), y0 = g->top + r * g->row_h;
    double label_h = 1.5 * PLOT_SLIDES_PANEL_PX;
    int fit = (int)((g->row_h - label_h - 10) / (PLOT_SLIDES_TEXT_PX + 6)), step;

    step = fit < 1 ? l->maxtasks : (l->maxtasks + fit - 1) / fit;
    fprintf(gp,
            "set lmargin at screen %.5f\nset rmargin at screen %.5f\n"
            "set tmargin at screen %.5f\nset bmargin at screen %.5f\n"
            "set yrange [%.1f:-0.6]\nset ytics 0,%d nomirror scale 0\n",
            sx(x0), sx(x0 + g->col_w), sy(y0 + label_h), sy(y0 + g->row_h - 10),
            (double)l->maxtasks - 0.4, step);
    fprintf(gp, "set xrange [0:%.6f]\n", l->xmax[k] * 1.03);
    if (r == l->nrows - 1)
        fprintf(gp, "set format x '%%g'\nset xlabel 'seconds from the first task start'\n");
    else /* one time scale per column: read on its last row */
        fprintf(gp, "set format x ''\nunset xlabel\n");
}

int tl_slides_panel(struct plot_ctx *p, const struct tl_layout *l, int r, int k, FILE *gp)
{
    const struct rm_case *c = l->rows[r][k];
    char path[PATH_MAX], name[64];
    struct sl_geom g;
    FILE *d;

    if (c == NULL)
        return 0; /* placed by pixels: an empty place needs no plot */
    snprintf(name, sizeof(name), "seg_%d_%d.dat", r, k);
    if ((d = plot_file(p, name, path, PATH_MAX)) == NULL) {
        fprintf(stderr, "concbench plot: cannot write in %s: %s\n", p->dir, strerror(errno));
        return 1;
    }
    fprintf(d, "# row from to rgb\n0 -1 -1 0\n"); /* never empty */
    tl_boxes(c, box_line, d);
    fclose(d);
    sl_geom(l, &g);
    sl_place(l, &g, r, k, gp);
    sl_label(p, c, SL_LEFT + k * (g.col_w + SL_LEFT + SL_GAP) - SL_LEFT + 10,
             g.top + r * g.row_h + 0.6 * PLOT_SLIDES_PANEL_PX, g.col_w + SL_LEFT, gp);
    sl_key_set(l, r == 0 && k == 0, gp);
    fprintf(gp, "plot ");
    gp_quote(gp, path);
    fprintf(gp, " using (($2+$3)/2):1:2:3:($1-0.4):($1+0.4):4 with boxxyerror lc rgb variable "
                "notitle");
    if (r == 0 && k == 0)
        sl_key_entries(l, gp);
    fputc('\n', gp);
    return 0;
}
