#ifndef CONCBENCH_GANTT_INTERNAL_H
#define CONCBENCH_GANTT_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "report/gantt.h"

/* What the Gantt's two layouts share (report/gantt.c): glyphs, colours, cells and the axis. */

/* 0 compute (running, where CPU time was recorded), 1 wait, 2 not recorded; the states only a
 * step's CPU time tells: */
#define GANTT_RUNNABLE 3 /* in a compute step, its thread not on a CPU */
#define GANTT_QUEUED   4 /* waiting for a pool worker */
#define GANTT_KINDS    5
int gantt_kind_index(char kind);
/* 1 when the terminal named term (or $COLORTERM) draws 256 colours. */
int gantt_256_colors(const char *term);
/* One cell's glyph, switching colour only when it changes (*color: the one in force). */
void gantt_put_glyph(const struct gantt_style *st, FILE *out, int kind, int parity, int *color);
void gantt_end_color(const struct gantt_style *st, FILE *out, int *color);
/* The step a task is in during cell x of width dt (or -1). */
int gantt_cell_step(const struct rm_task *t, int x, double dt);
/* What task t's cell x shows: a kind above, or -1 (blank); *parity: its step's. acc[x] sums the
 * running shares of the rows drawn before in the panel (zeroed per panel; NULL: by step kind
 * alone). */
int gantt_cell_glyph(const struct rm_case *c, const struct rm_task *t, int x, double dt,
                     double *acc, int *parity);
/* barw cells of how many tasks were in flight, or where CPU time was recorded running (a digit,
 * or a level of most when over 9; running under half a CPU: '.'). */
void gantt_in_flight_cells(const struct rm_case *c, int most, int barw, double dt,
                           const struct gantt_style *st, FILE *out);
/* "0 s", the middle and tmax spread over barw columns (at most size - 1). */
void gantt_axis_text(int barw, double tmax, char *line, size_t size);

/* report/gantt_hosts.c, for a case whose ranks ran on more than one host (mpi): the letter of the
 * host t ran on ('A' the first of c->launch->hosts, '?' unknown); ' ' when c ran on one host. */
char gantt_host_letter(const struct rm_case *c, const struct rm_task *t);
/* Under a panel: each host's letter and name, its clock's offset, then the note above. */
void gantt_hosts_line(const struct rm_case *c, const struct gantt_style *st, FILE *out);

#endif
