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
    int color; /* ANSI colours */
};

/* Width from $COLUMNS (else 80); colour only when out is a terminal and NO_COLOR is unset. */
void gantt_style_init(struct gantt_style *st, FILE *out, int ascii);

/* Panels of n cases on one axis from 0 to tmax seconds (tmax <= 0: the latest task end). */
void gantt_draw(const struct rm_case *const *cases, int n, double tmax,
                const struct gantt_style *st, FILE *out);

/* The timeline rows to show: every task up to max (>= 2), else max of them spread evenly, first
 * and last included. Fills rows with indexes into c->timeline; returns how many. */
int gantt_pick_rows(const struct rm_case *c, int max, int *rows);

/* The legend of the glyphs, one line. */
void gantt_legend(const struct gantt_style *st, FILE *out);

/* `report --timeline [WL]`: every case of a workload (NULL: each workload in turn) in the
 * file's order. 0, or -1 with a message naming the workloads the file has. */
int gantt_report(const struct rm_file *f, const char *workload, const struct gantt_style *st,
                 FILE *out, char *err, size_t errlen);

#endif
