/* The terminal Gantt: one panel per case, one row per task, one glyph per time cell. A cell shows
 * what the task was doing at the cell's middle, so a bar is as long as the task ran; a task
 * shorter than a cell still gets one cell. */
#include "report/gantt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/termsafe.h"
#include "report/gantt_internal.h"

#define GANTT_PREFIX  12 /* "  task   wk |" before the bars */
#define GANTT_MIN_BAR 10

/* Colours that read on a dark and on a light background alike: mid-luminance orange and blue
 * (both over 3:1 against black and against white, and told apart with any colour blindness);
 * with 16 colours only, bold in the terminal's own text colour and magenta. */
static const char *const ansi_kind[2][2] = {{"\033[1m", "\033[35m"},
                                            {"\033[38;5;166m", "\033[38;5;33m"}};
#define ANSI_RESET "\033[0m"

/* Glyphs by kind (compute or running, wait, unknown, runnable, queued) and by the parity of the
 * step, so that two waits in a row still show where one ends. Waits are a medium shade: the light
 * one fades out on a projector, and is kept for runnable, which is drawn with its step's colour. */
static const char *const glyph_utf8[GANTT_KINDS][2] = {
    {"█", "▓"}, {"▒", "▚"}, {"=", "~"}, {"░", "░"}, {"·", "·"}};
static const char *const glyph_ascii[GANTT_KINDS][2] = {
    {"#", "@"}, {"-", "="}, {"*", "+"}, {":", ":"}, {".", "."}};

void gantt_style_init(struct gantt_style *st, FILE *out, int ascii)
{
    const char *cols = getenv("COLUMNS"), *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
    char *end;
    long w = cols != NULL ? strtol(cols, &end, 10) : 0;

    st->width = (cols != NULL && *end == '\0' && w >= 40 && w <= 1000) ? (int)w : 80;
    st->ascii = ascii;
    /* NO_COLOR (no-color.org): present and not empty disables colour; so does TERM=dumb */
    st->color = isatty(fileno(out)) && (no_color == NULL || no_color[0] == '\0') &&
                (term == NULL || strcmp(term, "dumb") != 0);
    if (st->color && gantt_256_colors(term))
        st->color = 2;
}

int gantt_256_colors(const char *term)
{
    const char *colorterm = getenv("COLORTERM");

    return (term != NULL && strstr(term, "256color") != NULL) ||
           (colorterm != NULL && colorterm[0] != '\0');
}

int gantt_kind_index(char kind)
{
    return kind == 'c' ? 0 : kind == 'w' ? 1 : 2;
}

void gantt_put_glyph(const struct gantt_style *st, FILE *out, int kind, int parity, int *color)
{
    int hue = kind == GANTT_RUNNABLE ? 0 : kind; /* runnable: its compute step's colour */
    const char *want = hue < 2 ? ansi_kind[st->color == 2][hue] : NULL;

    if (st->color && want != NULL && *color != kind + 1) {
        fputs(want, out);
        *color = kind + 1;
    } else if (st->color && want == NULL && *color != 0) {
        fputs(ANSI_RESET, out);
        *color = 0;
    }
    fputs((st->ascii ? glyph_ascii : glyph_utf8)[kind][parity], out);
}

void gantt_end_color(const struct gantt_style *st, FILE *out, int *color)
{
    if (st->color && *color != 0)
        fputs(ANSI_RESET, out);
    *color = 0;
}

static int bar_width(const struct gantt_style *st)
{
    int w = st->width - GANTT_PREFIX - 2; /* the two edges */

    return w < GANTT_MIN_BAR ? GANTT_MIN_BAR : w;
}

/* The step a task is in during cell x (or -1): its step at the cell's middle, or its first step
 * in the one cell it starts and ends in. */
int gantt_cell_step(const struct rm_task *t, int x, double dt)
{
    int step = rm_task_step_at(t, (x + 0.5) * dt);

    if (step < 0 && t->worker >= 0 && (int)floor(t->start_s / dt) == x &&
        (int)floor(t->end_s / dt) == x)
        return 0;
    return step;
}

int gantt_cell_glyph(const struct rm_case *c, const struct rm_task *t, int x, double dt,
                     double *acc, int *parity)
{
    int step = gantt_cell_step(t, x, dt);
    double before, off;
    struct rm_span sp;
    char kind;

    if (step < 0)
        return -1;
    *parity = step % 2;
    kind = rm_step_kind(c, step);
    if (acc == NULL || !rm_task_has_cpu(t))
        return gantt_kind_index(kind);
    rm_task_span(t, step, &sp);
    if ((x + 0.5) * dt < sp.from + sp.queued)
        return GANTT_QUEUED;
    if (kind == 'w')
        return 1; /* a wait waits for something else than a CPU */
    /* Each row adds its running share to the column's; a cell is running where that sum passes a
     * whole number, so a column holds as many running cells as CPUs were busy (rounded), and the
     * offset, which moves from column to column, passes the turns from row to row. */
    off = fmod(x * 0.6180339887, 1.0);
    before = acc[x];
    acc[x] += sp.density;
    return floor(acc[x] + off) > floor(before + off) ? 0 : GANTT_RUNNABLE;
}

static void draw_row(const struct rm_case *c, const struct rm_task *t, int barw, double dt,
                     double *acc, const struct gantt_style *st, FILE *out)
{
    const char *edge = st->ascii ? "|" : "│";
    char wk[24] = "-";
    int color = 0;

    if (t->worker >= 0)
        snprintf(wk, sizeof(wk), "%lld", t->worker);
    fprintf(out, "%7lld %3s%c%s", t->task, wk, gantt_host_letter(c, t), edge);
    for (int x = 0; x < barw; x++) {
        int parity = 0, kind = gantt_cell_glyph(c, t, x, dt, acc, &parity);
        if (kind < 0) {
            gantt_end_color(st, out, &color);
            fputc(' ', out);
        } else {
            gantt_put_glyph(st, out, kind, parity, &color);
        }
    }
    gantt_end_color(st, out, &color);
    /* in a valid case that cancelled tasks, a task that did not end well was cancelled */
    fprintf(out, "%s\n",
            t->ok                             ? edge
            : c->cancelled > 0 && rm_valid(c) ? "x cancelled"
                                              : "! failed");
}

void gantt_in_flight_cells(const struct rm_case *c, int most, int barw, double dt,
                           const struct gantt_style *st, FILE *out)
{
    static const char *const levels_utf8[] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    static const char levels_ascii[] = " .:-=+*#%@";
    int cpu = rm_case_has_cpu(c);

    for (int x = 0; x < barw; x++) {
        double mid = (x + 0.5) * dt, running = cpu ? rm_running_at(c, mid) : 0;
        int k = cpu ? (int)floor(running + 0.5) : rm_in_flight(c, mid);
        k = k < most ? k : most;
        if (k == 0 && running >= 0.05)
            fputc('.', out); /* some CPU, under half of one: not nothing */
        else if (most <= 9)
            fputc(k == 0 ? ' ' : '0' + k, out);
        else if (st->ascii)
            fputc(levels_ascii[k == 0 ? 0 : 1 + (k * 8 + most - 1) / most], out);
        else
            fputs(levels_utf8[k == 0 ? 0 : (k * 8 + most - 1) / most], out);
    }
}

static void draw_in_flight(const struct rm_case *c, int most, int barw, double dt,
                           const struct gantt_style *st, FILE *out)
{
    fprintf(out, "%11s %s", rm_case_has_cpu(c) ? "running" : "in flight", st->ascii ? "|" : "│");
    gantt_in_flight_cells(c, most, barw, dt, st, out);
    fprintf(out, "%s\n", st->ascii ? "|" : "│");
}

void gantt_axis_text(int barw, double tmax, char *line, size_t size)
{
    char label[32];
    int n;

    barw = barw < (int)size - 1 ? barw : (int)size - 1;
    memset(line, ' ', (size_t)barw);
    line[barw] = '\0';
    memcpy(line, "0 s", barw >= 3 ? 3 : (size_t)barw);
    n = snprintf(label, sizeof(label), "%.3g s", tmax / 2);
    if (n < barw / 2 - 4)
        memcpy(line + barw / 2 - n / 2, label, (size_t)n);
    n = snprintf(label, sizeof(label), "%.3g s", tmax);
    if (n < barw / 2 - 4)
        memcpy(line + barw - n, label, (size_t)n);
}

/* "0 s" at the left edge, the middle time in the middle, tmax at the right edge. */
static void draw_axis(int barw, double tmax, FILE *out)
{
    char line[1024];

    gantt_axis_text(barw, tmax, line, sizeof(line));
    fprintf(out, "%7s %3s  %s\n", "task", "wk", line);
}

int gantt_pick_rows(const struct rm_case *c, int max, int *rows)
{
    int n = c->ntimeline;

    if (n <= max) {
        for (int i = 0; i < n; i++)
            rows[i] = i;
        return n;
    }
    for (int i = 0; i < max; i++)
        rows[i] = (int)((long long)i * (n - 1) / (max - 1));
    return max;
}

static void draw_title(const struct rm_case *c, int shown, const struct gantt_style *st, FILE *out)
{
    char title[512], more[256] = "", wl[256], label[256], up[64];
    int n = snprintf(
        title, sizeof(title), "%s %s %s: %lld tasks%s", term_safe(c->workload, 0, wl, sizeof(wl)),
        st->ascii ? "-" : "·", term_safe(c->label, 0, label, sizeof(label)),
        c->tasks > 0 ? c->tasks : (long long)c->ntimeline, gantt_startup_text(c, up, sizeof(up)));

    if (c->timeline_every > 1)
        snprintf(more, sizeof(more), "(the file kept every %lld-th: %lld)%s", c->timeline_every,
                 c->timeline_kept, shown < c->ntimeline ? ";" : "");
    if (shown < c->ntimeline)
        snprintf(more + strlen(more), sizeof(more) - strlen(more),
                 "%s%d of %d rows shown, sampled evenly", more[0] ? " " : "", shown, c->ntimeline);
    /* the details go on a line of their own when they would pass the width */
    if (more[0] != '\0' && n + 2 + (int)strlen(more) > st->width)
        fprintf(out, "%s\n  %s\n", title, more);
    else
        fprintf(out, "%s%s%s\n", title, more[0] ? "; " : "", more);
}

/* "max k at once, overlap X = Σ task time / wall", the figures on a second line if need be; with
 * CPU time recorded, both count running tasks only. */
static void draw_overlap(const struct rm_overlap *o, const struct gantt_style *st, FILE *out)
{
    char head[128];
    int n = o->cpu ? snprintf(head, sizeof(head), "  max %.1f running at once, overlap %.2f",
                              o->max_running, o->overlap)
                   : snprintf(head, sizeof(head), "  max %d at once, overlap %.2f", o->max_at_once,
                              o->overlap);
    const char *sum = o->cpu ? (st->ascii ? "sum of CPU time" : "Σ CPU time")
                             : (st->ascii ? "sum of task time" : "Σ task time");
    int rest = snprintf(NULL, 0, " = %s %.3g s / wall %.3g s", sum, o->busy_s, o->span_s);

    fprintf(out, "%s%s= %s %.3g s / wall %.3g s\n", head, n + rest > st->width ? "\n    " : " ",
            sum, o->busy_s, o->span_s);
    if (o->cpu)
        fprintf(out, "    at most %d on a worker, %d in flight\n\n", o->max_holding,
                o->max_at_once);
    else
        fprintf(out, "    CPU time not recorded: in flight drawn as working\n\n");
}

static void draw_panel(const struct rm_case *c, double tmax, const struct gantt_style *st,
                       FILE *out)
{
    int rows[GANTT_MAX_ROWS], shown = gantt_pick_rows(c, GANTT_MAX_ROWS, rows),
                              barw = bar_width(st);
    double dt = tmax / barw, acc[1024] = {0}; /* barw is under the width, at most 1000 */
    struct rm_overlap o;
    double least = rm_latency_bound_s(c); /* io_bound's drawn delays; < 0 when none */

    rm_timeline_overlap(c, &o);
    draw_title(c, shown, st, out);
    if (c->ntimeline == 0) {
        fprintf(out, "  (no timeline in this case)\n\n");
        return;
    }
    draw_axis(barw, tmax, out);
    for (int i = 0; i < shown; i++)
        draw_row(c, &c->timeline[rows[i]], barw, dt, acc, st, out);
    draw_in_flight(c, o.cpu ? (int)ceil(o.max_running) : o.max_at_once, barw, dt, st, out);
    gantt_hosts_line(c, st, out);
    if (least > 0)
        fprintf(out, "  the drawn delays allow no less than %.3g s; this repetition took %.3g s\n",
                least, o.span_s);
    draw_overlap(&o, st, out);
}

void gantt_legend(const struct gantt_style *st, FILE *out)
{
    const char *const(*g)[2] = st->ascii ? glyph_ascii : glyph_utf8;

    fprintf(out,
            "%s%s compute  %s%s wait  %s%s kind not recorded\n"
            "(shades alternate between a task's steps)\n"
            "where CPU time was recorded: %s running on a CPU\n"
            "  %s on its worker, not on a CPU (runnable, or blocked)\n"
            "  %s queued (for a pool worker or the loop)\n"
            "(a step's CPU share is spread over its cells: a column holds\n"
            " as many running cells as CPUs were busy)\n"
            "wk: the thread, process, coroutine or loop slot that ran it\n",
            g[0][0], g[0][1], g[1][0], g[1][1], g[2][0], g[2][1], g[0][0], g[GANTT_RUNNABLE][0],
            g[GANTT_QUEUED][0]);
}

void gantt_draw(const struct rm_case *const *cases, int n, double tmax,
                const struct gantt_style *st, FILE *out)
{
    if (tmax <= 0)
        for (int i = 0; i < n; i++)
            for (int k = 0; k < cases[i]->ntimeline; k++)
                if (cases[i]->timeline[k].worker >= 0 && cases[i]->timeline[k].end_s > tmax)
                    tmax = cases[i]->timeline[k].end_s;
    if (tmax <= 0)
        tmax = 1;
    for (int i = 0; i < n; i++)
        draw_panel(cases[i], tmax, st, out);
}
