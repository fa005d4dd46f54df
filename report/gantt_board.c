/* The demos' board (gantt.h): every case's panel under one time axis, compact enough that two
 * models fit 80x24 and five 120x40, the rows named as the article names its tasks. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/termsafe.h"
#include "report/gantt.h"
#include "report/gantt_internal.h"

#define BOARD_MIN_BAR 10
#define BOARD_MARK    2 /* " x" (cancelled) or " !" (failed) after the right edge */

/* Column widths of the rows' prefix: name, planned time, worker. */
struct board_cols {
    int name, plan, prefix, barw;
};

/* The task numbers a panel shows: every task up to max, else max spread evenly. */
static int panel_rows(const struct rm_case *c, int max, long long *task)
{
    long long n = c->tasks > 0 ? c->tasks : c->ntimeline;

    if (n <= max) {
        for (int i = 0; i < n; i++)
            task[i] = i;
        return (int)n;
    }
    for (int i = 0; i < max; i++)
        task[i] = (long long)i * (n - 1) / (max - 1);
    return max;
}

static const struct rm_task *find_task(const struct rm_case *c, long long task)
{
    for (int i = 0; i < c->ntimeline; i++)
        if (c->timeline[i].task == task)
            return &c->timeline[i];
    return NULL;
}

static void row_name(const struct gantt_names *nm, long long task, char *buf, size_t len)
{
    if (nm != NULL && task < nm->n && nm->name != NULL && nm->name[task] != NULL)
        term_safe(nm->name[task], 24, buf, len);
    else
        snprintf(buf, len, "%lld", task);
}

static void row_plan(const struct gantt_names *nm, long long task, char *buf, size_t len)
{
    buf[0] = '\0';
    if (nm != NULL && task < nm->n && nm->planned_s != NULL && nm->planned_s[task] >= 0)
        snprintf(buf, len, "%.3g s", nm->planned_s[task]);
}

static void board_columns(const struct gantt_board *bd, const struct gantt_panel *p, int n,
                          struct board_cols *k)
{
    long long task[GANTT_MAX_ROWS];
    char buf[64];

    k->name = 4; /* "task" */
    k->plan = 0;
    for (int i = 0; i < n; i++) {
        int rows = panel_rows(p[i].c, bd->max_rows, task);
        for (int r = 0; r < rows; r++) {
            row_name(bd->names, task[r], buf, sizeof(buf));
            k->name = (int)strlen(buf) > k->name ? (int)strlen(buf) : k->name;
            row_plan(bd->names, task[r], buf, sizeof(buf));
            k->plan = (int)strlen(buf) > k->plan ? (int)strlen(buf) : k->plan;
        }
    }
    if (k->plan > 0 && k->plan < 4)
        k->plan = 4; /* "plan" */
    k->prefix = 2 + k->name + 1 + (k->plan > 0 ? k->plan + 1 : 0) + 3 + 1;
    k->barw = bd->st->width - k->prefix - 2 - BOARD_MARK;
    if (k->barw < BOARD_MIN_BAR)
        k->barw = BOARD_MIN_BAR;
}

int gantt_board_lines(const struct gantt_board *bd, const struct gantt_panel *p, int n)
{
    long long task[GANTT_MAX_ROWS];
    int lines = 1; /* the axis */

    for (int i = 0; i < n; i++)
        lines += 1 + panel_rows(p[i].c, bd->max_rows, task) + (bd->in_flight ? 1 : 0);
    return lines;
}

int gantt_board_fit(struct gantt_board *bd, const struct gantt_panel *p, int n, int height)
{
    bd->max_rows = GANTT_MAX_ROWS;
    for (bd->in_flight = 1; bd->in_flight >= 0; bd->in_flight--)
        if (gantt_board_lines(bd, p, n) <= height)
            return 0;
    bd->in_flight = 0;
    for (bd->max_rows = GANTT_MAX_ROWS - 1; bd->max_rows >= 3; bd->max_rows--)
        if (gantt_board_lines(bd, p, n) <= height)
            return 0;
    return -1;
}

static void draw_axis(const struct board_cols *k, double tmax, FILE *out)
{
    char line[1024];

    gantt_axis_text(k->barw, tmax, line, sizeof(line));
    fprintf(out, "  %-*s ", k->name, "task");
    if (k->plan > 0)
        fprintf(out, "%*s ", k->plan, "plan");
    fprintf(out, "%3s  %s\n", "wk", line);
}

/* "pthreads · done in 3.00 s · max 3 at once · overlap 2.00", cut to the width. */
static void draw_title(const struct gantt_board *bd, const struct gantt_panel *p, int workloads,
                       FILE *out)
{
    const char *dot = bd->st->ascii ? "-" : "·";
    char line[512], wl[128], label[128], up[64];
    int used = snprintf(line, sizeof(line), "%s%s%s%s",
                        workloads ? term_safe(p->c->workload, 40, wl, sizeof(wl)) : "",
                        workloads ? " " : "", workloads ? dot : "", workloads ? " " : "");
    struct rm_overlap o;

    used += snprintf(line + used, sizeof(line) - (size_t)used, "%s",
                     term_safe(p->c->label, 60, label, sizeof(label)));
    if (p->state == GANTT_TO_COME)
        snprintf(line + used, sizeof(line) - (size_t)used, " %s to come", dot);
    else if (p->state == GANTT_RUNNING)
        snprintf(line + used, sizeof(line) - (size_t)used, " %s running: %.2f s", dot, p->now_s);
    else if (!(rm_median(p->c) >= 0))
        snprintf(line + used, sizeof(line) - (size_t)used, " %s failed", dot);
    else if (p->c->ntimeline == 0)
        snprintf(line + used, sizeof(line) - (size_t)used, " %s done in %.2f s%s (no timeline)",
                 dot, rm_median(p->c), gantt_startup_text(p->c, up, sizeof(up)));
    else {
        rm_timeline_overlap(p->c, &o);
        if (o.cpu)
            snprintf(line + used, sizeof(line) - (size_t)used,
                     " %s done in %.2f s%s %s max %.1f running %s overlap %.2f", dot,
                     rm_median(p->c), gantt_startup_text(p->c, up, sizeof(up)), dot, o.max_running,
                     dot, o.overlap);
        else
            snprintf(line + used, sizeof(line) - (size_t)used,
                     " %s done in %.2f s%s %s max %d at once %s overlap %.2f", dot, rm_median(p->c),
                     gantt_startup_text(p->c, up, sizeof(up)), dot, o.max_at_once, dot, o.overlap);
    }
    if ((int)strlen(line) > bd->st->width)
        line[bd->st->width] = '\0';
    fprintf(out, "%s\n", line);
}

static const char *row_mark(const struct gantt_panel *p, const struct rm_task *t)
{
    if (p->state != GANTT_DONE || t == NULL || t->worker < 0 || t->ok)
        return "";
    return p->c->cancelled > 0 && rm_valid(p->c) ? " x" : " !";
}

static void draw_row(const struct gantt_board *bd, const struct board_cols *k,
                     const struct gantt_panel *p, long long task, double dt, double *acc, FILE *out)
{
    const struct rm_task *t = p->state == GANTT_TO_COME ? NULL : find_task(p->c, task);
    const char *edge = bd->st->ascii ? "|" : "│";
    char name[64], plan[64], wk[24] = "";
    int color = 0;

    row_name(bd->names, task, name, sizeof(name));
    row_plan(bd->names, task, plan, sizeof(plan));
    if (t != NULL && t->worker >= 0)
        snprintf(wk, sizeof(wk), "%lld", t->worker);
    fprintf(out, "  %-*s ", k->name, name);
    if (k->plan > 0)
        fprintf(out, "%*s ", k->plan, plan);
    fprintf(out, "%3s %s", wk, edge);
    for (int x = 0; x < k->barw; x++) {
        int parity = 0, kind = t != NULL ? gantt_cell_glyph(p->c, t, x, dt, acc, &parity) : -1;
        if (kind < 0) {
            gantt_end_color(bd->st, out, &color);
            fputc(' ', out);
        } else {
            gantt_put_glyph(bd->st, out, kind, parity, &color);
        }
    }
    gantt_end_color(bd->st, out, &color);
    fprintf(out, "%s%s\n", edge, row_mark(p, t));
}

static void draw_panel(const struct gantt_board *bd, const struct board_cols *k,
                       const struct gantt_panel *p, double tmax, int workloads, FILE *out)
{
    long long task[GANTT_MAX_ROWS];
    int rows = panel_rows(p->c, bd->max_rows, task);
    double dt = tmax / k->barw, acc[1024] = {0}; /* barw is under the width, at most 1000 */

    draw_title(bd, p, workloads, out);
    for (int r = 0; r < rows; r++)
        draw_row(bd, k, p, task[r], dt, acc, out);
    if (bd->in_flight) {
        struct rm_overlap o;
        rm_timeline_overlap(p->c, &o);
        fprintf(out, "%*s %s", k->prefix - 1, o.cpu ? "running" : "in flight",
                bd->st->ascii ? "|" : "│");
        if (p->state == GANTT_TO_COME)
            fprintf(out, "%*s", k->barw, "");
        else
            gantt_in_flight_cells(p->c, o.cpu ? (int)ceil(o.max_running) : o.max_at_once, k->barw,
                                  dt, bd->st, out);
        fprintf(out, "%s\n", bd->st->ascii ? "|" : "│");
    }
}

double gantt_board_latest(const struct gantt_panel *p, int n)
{
    double tmax = 0;

    for (int i = 0; i < n; i++)
        for (int k = 0; p[i].state != GANTT_TO_COME && k < p[i].c->ntimeline; k++)
            if (p[i].c->timeline[k].worker >= 0 && p[i].c->timeline[k].end_s > tmax)
                tmax = p[i].c->timeline[k].end_s;
    return tmax;
}

void gantt_board_draw(const struct gantt_board *bd, const struct gantt_panel *p, int n, FILE *out)
{
    struct board_cols k;
    double tmax = bd->tmax > 0 ? bd->tmax : gantt_board_latest(p, n);
    int workloads = 0;

    for (int i = 1; i < n; i++)
        workloads |= strcmp(p[i].c->workload, p[0].c->workload) != 0;
    if (tmax <= 0)
        tmax = 1;
    board_columns(bd, p, n, &k);
    draw_axis(&k, tmax, out);
    for (int i = 0; i < n; i++)
        draw_panel(bd, &k, &p[i], tmax, workloads, out);
}
