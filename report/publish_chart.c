/* `history publish`: one case's chart across commits, inline SVG drawn here. The x axis is the
 * order of the commits (by the date each was first measured), labelled with commit and date; y
 * is the median wall time, its 95% interval a band; a line per machine and branch; a step is a
 * dashed line and a triangle at its point; every point links to its run's details. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_internal.h"
#include "report/publish_internal.h"

#define CH_W     960
#define CH_H     320
#define CH_LEFT  78
#define CH_RIGHT 905
#define CH_TOP   14
#define CH_BOT   256
#define CH_TICKS 8 /* commit labels at most */

/* A commit on the axis: its first date (the earliest of its points) and its place. */
struct ch_commit {
    const char *commit, *date;
    int order;
};

/* What the axes map: the commits (sorted by name, for lookup) and the value range. */
struct ch_axes {
    struct ch_commit *c;
    int n;
    double ymin, ymax;
};

static int by_commit(const void *a, const void *b)
{
    return strcmp(((const struct ch_commit *)a)->commit, ((const struct ch_commit *)b)->commit);
}

static int by_date(const void *a, const void *b)
{
    const struct ch_commit *x = a, *y = b;
    int d = strcmp(x->date, y->date);

    return d != 0 ? d : strcmp(x->commit, y->commit);
}

/* The distinct commits of the points, each with its first date, in axis order. -1 out of
 * memory. */
static int axis_commits(const struct hsite *site, const int *at, int n, struct ch_axes *a)
{
    struct ch_commit *byd;
    int total = 0, k = 0;

    for (int i = 0; i < n; i++)
        total += site->series[at[i]].n;
    if ((a->c = calloc(total + 1, sizeof(*a->c))) == NULL)
        return -1;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < site->series[at[i]].n; j++) {
            const struct hsite_point *p = &site->series[at[i]].pts[j];
            a->c[k++] = (struct ch_commit){p->commit, p->date, 0};
        }
    qsort(a->c, total, sizeof(*a->c), by_commit);
    a->n = 0;
    for (int i = 0; i < total; i++) {
        if (a->n > 0 && strcmp(a->c[a->n - 1].commit, a->c[i].commit) == 0) {
            if (strcmp(a->c[i].date, a->c[a->n - 1].date) < 0)
                a->c[a->n - 1].date = a->c[i].date;
            continue;
        }
        a->c[a->n++] = a->c[i];
    }
    if ((byd = malloc((a->n + 1) * sizeof(*byd))) == NULL)
        return -1;
    memcpy(byd, a->c, a->n * sizeof(*byd));
    qsort(byd, a->n, sizeof(*byd), by_date);
    for (int i = 0; i < a->n; i++)
        ((struct ch_commit *)bsearch(&byd[i], a->c, a->n, sizeof(*byd), by_commit))->order = i;
    free(byd);
    return 0;
}

static double ch_x(const struct ch_axes *a, const char *commit)
{
    struct ch_commit key = {commit, "", 0};
    const struct ch_commit *c = bsearch(&key, a->c, a->n, sizeof(key), by_commit);
    int i = c ? c->order : 0;

    return a->n > 1 ? CH_LEFT + (double)i * (CH_RIGHT - CH_LEFT) / (a->n - 1)
                    : (CH_LEFT + CH_RIGHT) / 2.0;
}

static double ch_y(const struct ch_axes *a, double v)
{
    return CH_BOT - (v - a->ymin) / (a->ymax - a->ymin) * (CH_BOT - CH_TOP);
}

/* The value range: the valid points' medians, widened by their intervals by at most half the
 * medians' span (or 10% of the largest) on each side, so a wide interval does not flatten the
 * line (the band is clipped to the chart); never below 0. 0 when there is no valid point. */
static int axis_values(const struct hsite *site, const int *at, int n, struct ch_axes *a)
{
    double lo = INFINITY, hi = -INFINITY, blo = INFINITY, bhi = -INFINITY, room;

    for (int i = 0; i < n; i++)
        for (int j = 0; j < site->series[at[i]].n; j++) {
            const struct hsite_point *p = &site->series[at[i]].pts[j];
            if (!p->valid)
                continue;
            lo = fmin(lo, p->median);
            hi = fmax(hi, p->median);
            blo = fmin(blo, p->lo);
            bhi = fmax(bhi, p->hi);
        }
    if (!(hi >= lo))
        return 0;
    room = fmax((hi - lo) * 0.5, fabs(hi) * 0.1) + 1e-12;
    a->ymin = fmax(fmax(blo, lo - room), 0);
    a->ymax = fmin(bhi, hi + room);
    if (a->ymax < hi + (hi - lo) * 0.05 + 1e-12) /* a little air above the highest point */
        a->ymax = hi + (hi - lo) * 0.05 + fabs(hi) * 0.01 + 1e-12;
    if (a->ymin > lo - (hi - lo) * 0.05)
        a->ymin = fmax(lo - (hi - lo) * 0.05 - fabs(lo) * 0.01, 0);
    return 1;
}

/* The value grid with its labels, the axes, and the commit labels below. */
static void ch_frame(FILE *out, const struct ch_axes *a)
{
    int every = (a->n + CH_TICKS - 1) / CH_TICKS;

    for (int i = 0; i <= 4; i++) {
        double v = a->ymin + (a->ymax - a->ymin) * i / 4, y = ch_y(a, v);
        fprintf(out,
                "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.4g s</text>\n",
                CH_LEFT, y, CH_RIGHT, y, CH_LEFT - 6, y + 4, v);
    }
    fprintf(out,
            "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
            "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
            CH_LEFT, CH_TOP, CH_LEFT, CH_BOT, CH_LEFT, CH_BOT, CH_RIGHT, CH_BOT);
    for (int i = 0; i < a->n; i++) {
        const struct ch_commit *c = &a->c[i];
        double x;
        if (c->order % (every > 0 ? every : 1) != 0 && c->order != a->n - 1)
            continue;
        x = ch_x(a, c->commit);
        fprintf(out, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x,
                CH_BOT + 18);
        fprintf(out, "<tspan x=\"%.1f\">", x);
        pub_text_cut(out, c->commit, 7);
        fprintf(out, "</tspan><tspan x=\"%.1f\" dy=\"15\">", x);
        pub_text_cut(out, c->date, 10);
        fputs("</tspan>", out);
        fputs("</text>\n", out);
    }
}

/* A series' interval band and line, over its valid points. */
static void ch_band_line(FILE *out, const struct ch_axes *a, const struct hsite_series *x,
                         const char *colour)
{
    int first = 1;

    fprintf(out, "<path class=\"band\" fill=\"%s\" d=\"", colour);
    for (int j = 0; j < x->n; j++)
        if (x->pts[j].valid) {
            fprintf(out, "%s%.1f %.1f", first ? "M" : " L", ch_x(a, x->pts[j].commit),
                    ch_y(a, x->pts[j].lo));
            first = 0;
        }
    for (int j = x->n - 1; j >= 0; j--)
        if (x->pts[j].valid)
            fprintf(out, " L%.1f %.1f", ch_x(a, x->pts[j].commit), ch_y(a, x->pts[j].hi));
    fprintf(out, " Z\"/>\n<polyline class=\"line\" stroke=\"%s\" points=\"", colour);
    for (int j = 0; j < x->n; j++)
        if (x->pts[j].valid)
            fprintf(out, "%.1f,%.1f ", ch_x(a, x->pts[j].commit), ch_y(a, x->pts[j].median));
    fputs("\"/>\n", out);
}

/* A point's tooltip: commit, date, median and interval, machine. */
static void ch_title(FILE *out, const struct hsite_series *x, const struct hsite_point *p)
{
    fputs("<title>", out);
    pub_text_cut(out, p->commit, 12);
    fputs(" · ", out);
    html_text(out, p->date);
    fprintf(out, " · %.4g s [%.4g, %.4g] · ", p->median, p->lo, p->hi);
    pub_series_name(out, x);
    fputs("</title>", out);
}

/* The points (each a link to its run) and the steps of a series. */
static void ch_points(FILE *out, const struct ch_axes *a, const struct hsite_series *x,
                      const char *colour)
{
    for (int j = 0; j < x->n; j++) {
        const struct hsite_point *p = &x->pts[j];
        double px, py;
        if (!p->valid)
            continue;
        px = ch_x(a, p->commit);
        py = ch_y(a, p->median);
        if (p->step != 0) {
            fprintf(out,
                    "<g class=\"step %s\"><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                    "<path d=\"M%.1f %.1f l-7 %d h14 z\"/>",
                    p->step > 0 ? "up" : "down", px, CH_TOP, px, CH_BOT, px,
                    py + (p->step > 0 ? -9 : 9), p->step > 0 ? -12 : 12);
            fprintf(out, "<title>step %s at ", p->step > 0 ? "up (slower)" : "down (faster)");
            pub_text_cut(out, p->commit, 12);
            fputs("</title></g>\n", out);
        }
        fprintf(out,
                "<a href=\"#run-%lld\"><circle class=\"pt\" cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" "
                "fill=\"%s\">",
                p->run_id, px, py, a->n > 100 ? "2.5" : "4", colour); /* smaller when crowded */
        ch_title(out, x, p);
        fputs("</circle></a>\n", out);
    }
}

void pub_chart(FILE *out, const struct hsite *site, const int *at, int n, int number)
{
    struct ch_axes a = {NULL, 0, 0, 1};

    if (axis_commits(site, at, n, &a) != 0 || !axis_values(site, at, n, &a)) {
        fputs("<p class=\"meta\">No valid run to draw.</p>\n", out);
        free(a.c);
        return;
    }
    fprintf(out,
            "<svg class=\"trend\" viewBox=\"0 0 %d %d\" role=\"img\" "
            "aria-label=\"median wall time per commit\">\n",
            CH_W, CH_H);
    ch_frame(out, &a);
    fprintf(out,
            "<clipPath id=\"plot-%d\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>"
            "</clipPath>\n<g clip-path=\"url(#plot-%d)\">\n",
            number, CH_LEFT, CH_TOP, CH_RIGHT - CH_LEFT + 6, CH_BOT - CH_TOP, number);
    for (int i = 0; i < n; i++)
        ch_band_line(out, &a, &site->series[at[i]], pub_colour(site, site->series[at[i]].machine));
    fputs("</g>\n", out);
    for (int i = 0; i < n; i++)
        ch_points(out, &a, &site->series[at[i]], pub_colour(site, site->series[at[i]].machine));
    fputs("</svg>\n", out);
    free(a.c);
}
