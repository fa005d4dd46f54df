#ifndef CONCBENCH_PLOT_TIMELINE_H
#define CONCBENCH_PLOT_TIMELINE_H

/* The timeline picture's layout, shared by its default look (plot_timeline.c) and its slides
 * (plot_timeline_slides.c). */

#include "report/plot_internal.h"

#define TL_MAX_ROWS 64

struct tl_layout {
    const struct rm_case *rows[TL_MAX_ROWS][2]; /* C, Python */
    int nrows, ncols, maxtasks;
    double xmax[2];
    double top; /* slides: pixels above the first row (title and key) */
};

/* The latest task end of a case's timeline (0 with none). */
double timeline_end(const struct rm_case *c);

/* Slides: the canvas's title and the key of the colours, then one panel (row r, column k). */
void tl_slides_setup(struct plot_ctx *p, struct tl_layout *l, const char *workload,
                     const char *machine, FILE *gp);
int tl_slides_panel(struct plot_ctx *p, const struct tl_layout *l, int r, int k, FILE *gp);

#endif
