#ifndef CONCBENCH_DEMO_LIVE_H
#define CONCBENCH_DEMO_LIVE_H

#include <stdio.h>

#include "bench/bench.h"
#include "report/demo.h"
#include "report/gantt.h"

/* The demo's screen (cmd/demo_live.c): the board of every model's panel, redrawn in place on a
 * terminal as the cases run, or printed once at the end elsewhere. */
struct demo_live {
    struct bench_observer observer;
    const struct demo_scenario *scenario;
    double scale;
    struct gantt_style style;
    struct gantt_board board;
    struct gantt_names names;
    const char *row_names[DEMO_MAX_ROWS];
    double planned[DEMO_MAX_ROWS];
    struct gantt_panel *panels; /* one per case, in the run's order */
    int npanels;
    int tty;        /* redrawn with cursor moves (a terminal, not TERM=dumb) */
    int rows;       /* the terminal's rows */
    int one_by_one; /* the board does not fit: each panel drawn alone, one after another */
    int lines;      /* lines of the last frame, drawn over by the next */
    int step;       /* --step: wait for Enter before each model and before the story */
};

/* Sets the screen up for scenario s at scale (ascii: --ascii) and observes b with it. */
void demo_live_init(struct demo_live *live, const struct demo_scenario *s, double scale, int ascii,
                    int step, struct bench *b);
/* --step: says what comes on Enter and waits for it (EOF or a signal: goes on, and waits no
 * more). */
void demo_live_pause(struct demo_live *live, const char *what);
/* After the run: the final board where it was not drawn live, then the legend. */
void demo_live_finish(struct demo_live *live, const struct rm_file *f);
void demo_live_free(struct demo_live *live);

#endif
