#ifndef CONCBENCH_HTML_INTERNAL_H
#define CONCBENCH_HTML_INTERNAL_H

/* Shared by the HTML report's files (report/html*.c). Every text that comes from a results file
 * goes through html_text: the file is untrusted input. */

#include <stdio.h>

#include "rmodel/rmodel.h"

/* Writes text with & < > " ' escaped, for element content and quoted attributes alike, and
 * control characters but tab and newline shown as \xNN (ESC as \x1b). */
void html_text(FILE *out, const char *text);

/* One horizontal bar per row: value with a whisker from lo to hi (NAN: none). */
struct html_bar {
    const char *label;
    double value, lo, hi;
    double part; /* a second segment stacked on value (NAN: none), e.g. system CPU on user */
};
void html_bars(FILE *out, const char *title, const char *unit, const struct html_bar *bars, int n,
               const char *legend);

/* The timelines of n cases on one time axis: one SVG panel per case. */
void html_timelines(FILE *out, const struct rm_case *const *cases, int n);

/* The replay of every workload's timelines (report/html_replay.c): play, pause, step, speed and
 * zoom, with its own inline script; nothing when no case has a timeline. */
void html_replay(FILE *out, const struct rm_file *f);

#endif
