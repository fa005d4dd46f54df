/* Task timelines: one panel per model (our Python variant of the same model beside it), each
 * task a bar from its start to its end with the end of each step marked, one time axis per
 * column. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/plot_internal.h"
#include "report/plot_style.h"
#include "report/plot_timeline.h"

double timeline_end(const struct rm_case *c)
{
    double end = 0;

    for (int i = 0; i < c->ntimeline; i++)
        if (c->timeline[i].end_s > end)
            end = c->timeline[i].end_s;
    return end;
}

/* One row per C case (file order); our Python case of the same model beside it. */
static void tl_rows(const struct rm_file *f, const char *workload, struct tl_layout *l)
{
    memset(l, 0, sizeof(*l));
    for (int i = 0; i < f->ncases && l->nrows < TL_MAX_ROWS; i++)
        if (strcmp(f->cases[i].workload, workload) == 0 &&
            strcmp(f->cases[i].implementation, "c") == 0)
            l->rows[l->nrows++][0] = &f->cases[i];
    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        int placed = 0;
        if (strcmp(c->workload, workload) != 0 || strcmp(c->implementation, "python") != 0)
            continue;
        l->ncols = 2;
        for (int r = 0; r < l->nrows && !placed; r++) {
            const struct rm_case *cc = l->rows[r][0];
            if (cc != NULL && l->rows[r][1] == NULL && strcmp(cc->model, c->model) == 0 &&
                strcmp(cc->label, cc->model) == 0) {
                l->rows[r][1] = c;
                placed = 1;
            }
        }
        if (!placed && l->nrows < TL_MAX_ROWS)
            l->rows[l->nrows++][1] = c;
    }
}

static void tl_extent(struct tl_layout *l)
{
    l->ncols = l->ncols ? l->ncols : 1;
    l->maxtasks = 1;
    for (int r = 0; r < l->nrows; r++)
        for (int k = 0; k < 2; k++)
            if (l->rows[r][k] != NULL) {
                double e = timeline_end(l->rows[r][k]);
                if (e > l->xmax[k])
                    l->xmax[k] = e;
                if (l->rows[r][k]->ntimeline > l->maxtasks)
                    l->maxtasks = l->rows[r][k]->ntimeline;
            }
    for (int k = 0; k < 2; k++)
        if (l->xmax[k] <= 0)
            l->xmax[k] = 1;
}

static void no_such_workload(const struct rm_file *f, const char *workload)
{
    char have[512] = "";
    size_t used = 0;

    for (int i = 0; i < f->ncases; i++)
        if (strstr(have, f->cases[i].workload) == NULL && used < sizeof(have))
            used += (size_t)snprintf(have + used, sizeof(have) - used, "%s%s", used ? ", " : "",
                                     f->cases[i].workload);
    fprintf(stderr, "concbench plot: no %s case in the results (they have: %s)\n", workload,
            have[0] ? have : "none");
}

/* Where a task recorded CPU time, boxes drawn over its bar: its queued parts pale grey, the rest of
 * each compute step pale (on its worker, not on a CPU) with its running share filled in the bar's
 * own colour from the bottom up (when inside the step it ran is not recorded). Columns: x0 x1 y0
 * y1 colour. */
static void tl_cpu_boxes(FILE *d, const struct rm_case *c, const struct rm_task *t, int row,
                         long color)
{
    for (int k = 0; t->ok && rm_task_has_cpu(t) && k <= t->nsteps; k++) {
        struct rm_span sp;
        double from;
        rm_task_span(t, k, &sp);
        from = sp.from + sp.queued;
        if (sp.queued > 0)
            fprintf(d, "%.6f %.6f %.3f %.3f %ld\n", sp.from, from, row - 0.38, row + 0.38,
                    strtol(&PLOT_COLOR_QUEUED[1], NULL, 16));
        if (rm_step_kind(c, k) == 'w' || !(sp.to > from))
            continue;
        fprintf(d, "%.6f %.6f %.3f %.3f %ld\n", from, sp.to, row - 0.38, row + 0.38,
                strtol(&PLOT_COLOR_RUNNABLE[1], NULL, 16));
        if (sp.density > 0)
            fprintf(d, "%.6f %.6f %.3f %.3f %ld\n", from, sp.to, row + 0.38 - 0.76 * sp.density,
                    row + 0.38, color);
    }
}

/* The bars and step ticks of one case into two data files, the CPU boxes into a third. */
static int tl_data(struct plot_ctx *p, const struct rm_case *c, int r, int k, char *path,
                   char *spath, char *cpath)
{
    char name[64];
    FILE *d, *s, *b = NULL;
    long color = strtol(&(k == 0 ? PLOT_COLOR_C : PLOT_COLOR_PYTHON)[1], NULL, 16);

    snprintf(name, sizeof(name), "tl_%d_%d.dat", r, k);
    d = plot_file(p, name, path, PATH_MAX);
    snprintf(name, sizeof(name), "steps_%d_%d.dat", r, k);
    s = d != NULL ? plot_file(p, name, spath, PATH_MAX) : NULL;
    snprintf(name, sizeof(name), "cpu_%d_%d.dat", r, k);
    b = s != NULL ? plot_file(p, name, cpath, PATH_MAX) : NULL;
    if (d == NULL || s == NULL || b == NULL) {
        fprintf(stderr, "concbench plot: cannot write in %s: %s\n", p->dir, strerror(errno));
        if (d != NULL)
            fclose(d);
        if (s != NULL)
            fclose(s);
        return 1;
    }
    fprintf(d, "# row start end ok\n");
    fprintf(s, "# row step_end\n");
    for (int j = 0; j < c->ntimeline; j++) {
        const struct rm_task *t = &c->timeline[j];
        fprintf(d, "%d %.6f %.6f %d\n", j, t->start_s, t->end_s, t->ok);
        for (int q = 0; q + 1 < t->nsteps; q++) /* the last step's end is the task's end */
            fprintf(s, "%d %.6f\n", j, t->steps_end_s[q]);
        tl_cpu_boxes(b, c, t, j, color);
    }
    fprintf(s, "0 -1\n"); /* never empty: gnuplot refuses an empty file */
    fprintf(b, "-1 -1 0 0 0\n");
    fclose(d);
    fclose(s);
    fclose(b);
    return 0;
}

static int tl_panel(struct plot_ctx *p, const struct tl_layout *l, int r, int k, FILE *gp)
{
    const struct rm_case *c = l->rows[r][k];
    char path[PATH_MAX], spath[PATH_MAX], cpath[PATH_MAX], title[512];
    double least;

    if (p->slides)
        return tl_slides_panel(p, l, r, k, gp);
    fprintf(gp, "set xrange [0:%.6f]\n", l->xmax[k] * 1.03);
    if (r == l->nrows - 1)
        fprintf(gp, "set xlabel 'seconds from the first task start'%s\n", gp_font(p, PLOT_TICK));
    else
        fprintf(gp, "unset xlabel\n");
    if (c == NULL) {
        fprintf(gp, "set multiplot next\n");
        return 0;
    }
    snprintf(title, sizeof(title), "%s - median wall %.3f s, this repetition %.3f s", c->label,
             rm_median(c) > 0 ? rm_median(c) : 0.0, timeline_end(c));
    if (rm_case_has_cpu(c)) {
        size_t used = strlen(title);
        snprintf(title + used, sizeof(title) - used,
                 "; grey: queued, pale: not on a CPU, filled: share running");
    }
    fprintf(gp, "unset arrow\n");
    least = rm_latency_bound_s(c); /* io_bound's drawn delays: the least time they allow */
    if (least > 0) {
        size_t used = strlen(title);
        snprintf(title + used, sizeof(title) - used, "; dashed: the waits' least, %.3f s", least);
        fprintf(gp, "set arrow from %.6f, graph 0 to %.6f, graph 1 nohead dt 2 lw 1.5 lc rgb ",
                least, least);
        gp_quote(gp, PLOT_COLOR_BOUND);
        fputc('\n', gp);
    }
    fprintf(gp, "set title ");
    gp_quote(gp, title);
    fprintf(gp, "%s\n", gp_font(p, PLOT_PANEL));
    if (tl_data(p, c, r, k, path, spath, cpath) != 0)
        return 1;
    fprintf(gp, "plot ");
    gp_quote(gp, path);
    /* rgb variable takes a number: the colours' hex digits after their '#' */
    fprintf(gp,
            " using (($2+$3)/2):1:2:3:($1-0.38):($1+0.38):(int($4) ? 0x%s : 0x%s) with "
            "boxxyerror lc rgb variable notitle, \\\n     ",
            &(k == 0 ? PLOT_COLOR_C : PLOT_COLOR_PYTHON)[1], &PLOT_COLOR_FAILED[1]);
    gp_quote(gp, cpath);
    fprintf(gp, " using (($1+$2)/2):(($3+$4)/2):1:2:3:4:5 with boxxyerror lc rgb variable "
                "notitle, \\\n     ");
    gp_quote(gp, spath);
    fprintf(gp, " using 2:($1-0.38):(0):(0.76) with vectors nohead lc rgb 'white' lw 1.5 "
                "notitle\n");
    return 0;
}

static void tl_setup(struct plot_ctx *p, const struct tl_layout *l, const char *workload,
                     const char *machine, FILE *gp)
{
    char title[1024];

    fprintf(gp,
            "set style fill solid 0.85 noborder\n"
            "set yrange [%.1f:-0.6]\n"
            "set ytics 0,%d nomirror font ',8'\n"
            "set xtics nomirror font ',8'\n"
            "set grid xtics lc rgb '#e0e0e0'\n"
            "set border 3\n"
            "set lmargin 7\n"
            "set ylabel 'task' font ',8'\n",
            (double)l->maxtasks - 0.4, l->maxtasks <= 5 ? 1 : (l->maxtasks + 4) / 5);
    snprintf(title, sizeof(title),
             "%s: each task from its start to its end, last repetition (white ticks: end of each "
             "step; red: a failed task; one time axis per column)\n%s",
             workload, machine);
    fprintf(gp, "set multiplot layout %d,%d title ", l->nrows, l->ncols);
    gp_quote(gp, title);
    fprintf(gp, "%s\n", gp_font(p, PLOT_TITLE));
}

int plot_timeline(struct plot_ctx *p, const struct rm_file *f, const char *workload,
                  const char *output, FILE *gp)
{
    struct tl_layout l;
    char machine[512];
    int row_height;

    tl_rows(f, workload, &l);
    if (l.nrows == 0) {
        no_such_workload(f, workload);
        return 1;
    }
    tl_extent(&l);
    plot_machine_line(f, machine, sizeof(machine));
    row_height = l.maxtasks > 20 ? PLOT_TL_ROW_HEIGHT_BIG : PLOT_TL_ROW_HEIGHT;
    gp_terminal(gp, p, l.ncols == 2 ? PLOT_TL_WIDTH_TWO : PLOT_TL_WIDTH_ONE,
                PLOT_TL_TITLE_HEIGHT + l.nrows * row_height);
    fprintf(gp, "set output ");
    gp_quote(gp, output);
    fputc('\n', gp);
    if (p->slides)
        tl_slides_setup(p, &l, workload, machine, gp);
    else
        tl_setup(p, &l, workload, machine, gp);
    for (int r = 0; r < l.nrows; r++)
        for (int k = 0; k < l.ncols; k++)
            if (tl_panel(p, &l, r, k, gp) != 0)
                return 1;
    fprintf(gp, "unset multiplot\n");
    return 0;
}
