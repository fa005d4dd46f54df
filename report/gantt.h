#ifndef CONCBENCH_GANTT_H
#define CONCBENCH_GANTT_H

#include <stddef.h>
#include <stdio.h>

#include "rmodel/rmodel.h"

/* Task timelines as text: one panel per case on one shared time axis, one row per task (at most
 * GANTT_MAX_ROWS, sampled evenly), compute steps and waits drawn differently, the worker that ran
 * each task, and under each panel the tasks in flight and how much they overlapped. */

#define GANTT_MAX_ROWS 20

struct gantt_style {
    int width; /* columns of a line */
    int ascii; /* plain ASCII instead of Unicode blocks */
    int color; /* ANSI colours: 0 none, 1 the 16 colours, 2 the 256 colours */
};

/* Width from $COLUMNS (else 80); colour only when out is a terminal and NO_COLOR is unset. */
void gantt_style_init(struct gantt_style *st, FILE *out, int ascii);

/* Panels of n cases on one axis from 0 to tmax seconds (tmax <= 0: the latest task end). */
void gantt_draw(const struct rm_case *const *cases, int n, double tmax,
                const struct gantt_style *st, FILE *out);

/* The timeline rows to show: every task up to max (>= 2), else max of them spread evenly, first
 * and last included. Fills rows with indexes into c->timeline; returns how many. */
int gantt_pick_rows(const struct rm_case *c, int max, int *rows);

/* For a case whose ranks ran on more than one host (mpi): 1 and "times across hosts aligned to
 * rank 0 within ±X ms" in buf (+- when ascii), X the largest uncertainty of the hosts' clock
 * offsets; else 0 and "" (report/gantt_hosts.c). */
int gantt_align_note(const struct rm_case *c, int ascii, char *buf, size_t len);

/* " (start-up 3.71 s)" for a case whose model launched its workers (mpi: mpirun to every rank
 * past MPI_Init, inside the wall time but before the first task), else "": buf. */
const char *gantt_startup_text(const struct rm_case *c, char *buf, size_t len);

/* The legend of the glyphs, one line. */
void gantt_legend(const struct gantt_style *st, FILE *out);

/* The demos' board: every case's panel on one shared time axis, drawn once at the top, each
 * panel a title line, one row per task named as the article names it (with its planned time),
 * and the tasks in flight when there is room. Cases still to run are drawn empty, so the board
 * keeps its place on the screen while it fills (report/gantt_board.c). */

/* What the rows are called: name[task] and planned_s[task] for task < n (planned < 0: none);
 * other tasks by their number. */
struct gantt_names {
    const char *const *name;
    const double *planned_s;
    int n;
};

enum gantt_state { GANTT_TO_COME, GANTT_RUNNING, GANTT_DONE };

struct gantt_panel {
    const struct rm_case *c; /* the case; while it runs, its tasks so far (running ones end now) */
    enum gantt_state state;
    double now_s; /* running: seconds since its first task started */
};

struct gantt_board {
    const struct gantt_style *st;
    const struct gantt_names *names; /* NULL: rows by number */
    double tmax;                     /* the axis' end (<= 0: the latest task end) */
    int in_flight;                   /* a line of tasks in flight under each panel */
    int max_rows;                    /* rows per panel at most (2..GANTT_MAX_ROWS) */
};

/* Lines the board takes. */
int gantt_board_lines(const struct gantt_board *bd, const struct gantt_panel *p, int n);
/* The most compact board of at most height lines and max_rows rows a panel (in-flight lines
 * first dropped, then rows sampled down to 3 a panel): 0, or -1 when none fits. */
int gantt_board_fit(struct gantt_board *bd, const struct gantt_panel *p, int n, int height);
/* The latest end of a task the panels drew (0: none yet). */
double gantt_board_latest(const struct gantt_panel *p, int n);
void gantt_board_draw(const struct gantt_board *bd, const struct gantt_panel *p, int n, FILE *out);

/* `report --timeline [WL]`: every case of a workload (NULL: each workload in turn) in the
 * file's order. 0, or -1 with a message naming the workloads the file has. */
int gantt_report(const struct rm_file *f, const char *workload, const struct gantt_style *st,
                 FILE *out, char *err, size_t errlen);

#endif
