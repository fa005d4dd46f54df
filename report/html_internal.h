#ifndef CONCBENCH_HTML_INTERNAL_H
#define CONCBENCH_HTML_INTERNAL_H

/* Shared by the HTML report's files (report/html*.c). Every text that comes from a results file
 * goes through html_text: the file is untrusted input. */

#include <stdio.h>

#include "report/html.h"
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
/* The cases the page shows: per workload the first per_workload in file order (0: the
 * default), at most HTML_CASES_MAX in all (report/html_select.c). */
struct html_view {
    struct rm_file file; /* the results file with only the cases shown (shallow copies) */
    int per_workload, total, left_out;
};
/* Fills view (html_view_free frees it); returns how many cases are left out. */
int html_select(const struct rm_file *f, int per_workload, struct html_view *view);
void html_view_free(struct html_view *view);
/* The note saying what was left out and how to see it; nothing when nothing was. */
void html_select_note(FILE *out, const struct html_view *view);

#endif
