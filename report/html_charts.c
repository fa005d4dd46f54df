/* The HTML report's inline SVG: horizontal bar charts with interval whiskers, and task
 * timelines. Coordinates are in a 960-wide viewBox; CSS (report/html.c) sets colours and sizes. */
#include <math.h>
#include <string.h>

#include "report/gantt.h"
#include "report/html_internal.h"

#define SVG_W     960
#define BAR_X     260 /* left edge of the bars; labels end just before it */
#define BAR_W     560 /* the longest bar */
#define BAR_ROW   34
#define LABEL_MAX 24 /* bytes of a bar's label shown */
#define TL_ROWS   24 /* timeline rows per case at most (sampled evenly) */
#define TL_ROW    16
#define TL_X      150
#define TL_W      780

void html_text(FILE *out, const char *text)
{
    for (const char *p = text ? text : ""; *p != '\0'; p++) {
        switch (*p) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&#39;", out);
            break;
        default:
            /* a control character (ESC, BEL, ...) shown as text, never passed to the page */
            if (((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
                fprintf(out, "\\x%02x", (unsigned char)*p);
            else
                fputc(*p, out);
        }
    }
}

static double bar_extent(const struct html_bar *bars, int n)
{
    double max = 0;

    for (int i = 0; i < n; i++) {
        double v = bars[i].value + (isnan(bars[i].part) ? 0 : bars[i].part);
        if (!isnan(v) && v > max)
            max = v;
        if (!isnan(bars[i].hi) && bars[i].hi > max)
            max = bars[i].hi;
    }
    return max > 0 ? max : 1;
}

/* A label cut to fit left of the bars (at a UTF-8 character boundary), the whole one in a
 * tooltip. */
static void bar_label(FILE *out, const char *label, int y)
{
    char cut[LABEL_MAX + 4];
    size_t n = strlen(label);

    if (n > LABEL_MAX) {
        n = LABEL_MAX;
        while (n > 0 && ((unsigned char)label[n] & 0xC0) == 0x80)
            n--;
    }
    snprintf(cut, sizeof(cut), "%.*s%s", (int)n, label, n < strlen(label) ? "…" : "");
    fprintf(out, "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\"><title>", BAR_X - 8,
            y + 19);
    html_text(out, label);
    fputs("</title>", out);
    html_text(out, cut);
    fputs("</text>", out);
}

static void bar_row(FILE *out, const struct html_bar *b, int y, double scale, const char *unit)
{
    double w = isnan(b->value) ? 0 : b->value * scale, end = w;

    bar_label(out, b->label ? b->label : "", y);
    if (isnan(b->value)) {
        fprintf(out, "<text class=\"value\" x=\"%d\" y=\"%d\">no data</text>\n", BAR_X + 4, y + 19);
        return;
    }
    fprintf(out, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"24\"/>", BAR_X, y,
            w);
    if (!isnan(b->part)) {
        fprintf(out, "<rect class=\"bar part\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"24\"/>",
                BAR_X + w, y, b->part * scale);
        end += b->part * scale;
    }
    if (!isnan(b->lo) && !isnan(b->hi) && b->hi > b->lo) {
        double x1 = BAR_X + fmax(b->lo, 0) * scale, x2 = BAR_X + b->hi * scale;
        fprintf(out, "<path class=\"ci\" d=\"M%.1f %d V%d M%.1f %d H%.1f M%.1f %d V%d\"/>", x1,
                y + 4, y + 20, x1, y + 12, x2, x2, y + 4, y + 20);
        end = fmax(end, b->hi * scale);
    }
    fprintf(out, "<text class=\"value\" x=\"%.1f\" y=\"%d\">%.3g%s</text>\n", BAR_X + end + 6,
            y + 19, b->value + (isnan(b->part) ? 0 : b->part), unit);
}

void html_bars(FILE *out, const char *title, const char *unit, const struct html_bar *bars, int n,
               const char *legend)
{
    double max = bar_extent(bars, n), scale = BAR_W / max;
    int h = 12 + n * BAR_ROW;

    fputs("<figure class=\"chart\"><figcaption>", out);
    html_text(out, title);
    fprintf(out, "</figcaption>\n<svg viewBox=\"0 0 %d %d\" role=\"img\" class=\"bars\">\n", SVG_W,
            h);
    fprintf(out, "<line class=\"axis\" x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\"/>\n", BAR_X, BAR_X,
            h);
    for (int i = 0; i < n; i++)
        bar_row(out, &bars[i], 6 + i * BAR_ROW, scale, unit);
    fputs("</svg>", out);
    if (legend != NULL)
        fprintf(out, "<p class=\"legend\">%s</p>", legend); /* our own text, not the file's */
    fputs("</figure>\n", out);
}

/* Step k of a task with CPU time: its queued part outlined, the rest a pale bar (on its worker)
 * filled from below to its running share; a wait stays a wait. */
static void tl_cpu_span(FILE *out, const struct rm_case *c, const struct rm_task *t, int k, int y,
                        double scale)
{
    struct rm_span sp;
    double x0, x1, h = TL_ROW - 3;
    char kind = rm_step_kind(c, k);

    rm_task_span(t, k, &sp);
    x0 = TL_X + sp.from * scale;
    x1 = TL_X + (sp.from + sp.queued) * scale;
    if (sp.queued * scale >= 0.5)
        fprintf(out, "<rect class=\"queued\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>",
                x0, y + 2, x1 - x0, TL_ROW - 3);
    if ((sp.to - sp.from - sp.queued) * scale < 0.5 && sp.queued > 0)
        return;
    fprintf(out, "<rect class=\"%s%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>",
            kind == 'w' ? "wait" : "runnable", kind == 'w' && k % 2 ? " odd" : "", x1, y + 2,
            fmax((sp.to - sp.from - sp.queued) * scale, 1.0), TL_ROW - 3);
    if (kind != 'w' && sp.density > 0)
        fprintf(out,
                "<rect class=\"compute%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                "height=\"%.1f\"/>",
                k % 2 ? " odd" : "", x1, y + 2 + h * (1 - sp.density),
                fmax((sp.to - sp.from - sp.queued) * scale, 1.0), h * sp.density);
}

static void tl_task(FILE *out, const struct rm_case *c, const struct rm_task *t, int y,
                    double scale)
{
    double from = t->start_s;

    fprintf(out, "<text class=\"label small\" x=\"%d\" y=\"%d\" text-anchor=\"end\">task %lld",
            TL_X - 6, y + 16, t->task);
    if (t->worker >= 0)
        fprintf(out, " · w%lld", t->worker);
    if (t->worker >= 0 && rm_launch_uncertainty(c) >= 0 && rm_launch_host_of(c, t->worker) >= 0) {
        fputs(" @ ", out); /* the host of a case that ran on several */
        html_text(out, c->launch->hosts[rm_launch_host_of(c, t->worker)].name);
    }
    fputs("</text>", out);
    if (t->worker < 0)
        return;
    for (int k = 0; rm_task_has_cpu(t) && k <= t->nsteps; k++)
        tl_cpu_span(out, c, t, k, y, scale);
    for (int k = 0; !rm_task_has_cpu(t) && k <= t->nsteps; k++) {
        double to = k < t->nsteps ? fmin(t->steps_end_s[k], t->end_s) : t->end_s;
        char kind = rm_step_kind(c, k);
        if (k == t->nsteps && (to - from) * scale < 0.5)
            break; /* nothing after the last recorded step */
        fprintf(out, "<rect class=\"%s%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>",
                kind == 'c'   ? "compute"
                : kind == 'w' ? "wait"
                              : "step",
                k % 2 ? " odd" : "", TL_X + from * scale, y + 2, fmax((to - from) * scale, 1.0),
                TL_ROW - 3);
        from = to;
    }
    fputc('\n', out);
}

static void tl_axis(FILE *out, int y, double tmax, double scale)
{
    for (int i = 0; i <= 4; i++) {
        double t = tmax * i / 4;
        fprintf(out,
                "<line class=\"grid\" x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\"/><text "
                "class=\"value small\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.3g s</text>\n",
                TL_X + t * scale, TL_X + t * scale, y, TL_X + t * scale, y + 14, t);
    }
}

static void tl_panel(FILE *out, const struct rm_case *c, double tmax)
{
    int rows[TL_ROWS], shown = gantt_pick_rows(c, TL_ROWS, rows), h = shown * TL_ROW + 22;
    double scale = TL_W / tmax;
    struct rm_overlap o;
    char note[128];

    rm_timeline_overlap(c, &o);
    fputs("<figure class=\"timeline\"><figcaption>", out);
    html_text(out, c->workload);
    fputs(" · ", out);
    html_text(out, c->label);
    if (o.cpu)
        fprintf(out,
                ": max %.1f running at once (at most %d on a worker, %d in flight), overlap %.2f "
                "(Σ CPU time %.3g s / wall %.3g s)",
                o.max_running, o.max_holding, o.max_at_once, o.overlap, o.busy_s, o.span_s);
    else
        fprintf(out,
                ": max %d at once, overlap %.2f (Σ task time %.3g s / wall %.3g s; CPU time not "
                "recorded)",
                o.max_at_once, o.overlap, o.busy_s, o.span_s);
    if (shown < c->ntimeline)
        fprintf(out, "; %d of %d tasks shown, sampled evenly", shown, c->ntimeline);
    if (c->launch != NULL && isfinite(c->launch->startup_s))
        fprintf(out,
                "; start-up %.3g s before the first task (mpirun to every rank past MPI_Init, "
                "inside the wall time)",
                c->launch->startup_s);
    if (gantt_align_note(c, 0, note, sizeof(note)))
        fprintf(out, "; %s (clock offsets measured at start, ping-pong)", note);
    fprintf(out, "</figcaption>\n<svg viewBox=\"0 0 %d %d\" role=\"img\" class=\"tl\">\n", SVG_W,
            h);
    tl_axis(out, shown * TL_ROW + 4, tmax, scale);
    for (int i = 0; i < shown; i++)
        tl_task(out, c, &c->timeline[rows[i]], i * TL_ROW, scale);
    fputs("</svg></figure>\n", out);
}

void html_timelines(FILE *out, const struct rm_case *const *cases, int n)
{
    double tmax = 0;

    for (int i = 0; i < n; i++)
        for (int k = 0; k < cases[i]->ntimeline; k++)
            if (cases[i]->timeline[k].worker >= 0)
                tmax = fmax(tmax, cases[i]->timeline[k].end_s);
    if (tmax <= 0)
        tmax = 1;
    for (int i = 0; i < n; i++)
        if (cases[i]->ntimeline > 0)
            tl_panel(out, cases[i], tmax);
}
