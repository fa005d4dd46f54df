#ifndef CONCBENCH_PLOT_INTERNAL_H
#define CONCBENCH_PLOT_INTERNAL_H

/* What the plot files share: the temporary folder, gnuplot text that no data can turn into a
 * command, and the two kinds of picture. */

#include <limits.h>
#include <stdio.h>

#include "rmodel/rmodel.h"

struct plot_ctx {
    char dir[PATH_MAX];
    char **files; /* every file made in dir, for the clean-up */
    int nfiles;
    int svg;
    int slides; /* plot --slides: 1920x1080, text of 28 px at least, Okabe-Ito colours */
};

/* What a text is, for its size: normal pictures keep small type, slides large (plot_text.c). */
enum plot_role { PLOT_TITLE, PLOT_PANEL, PLOT_TICK, PLOT_KEY, PLOT_SMALL };
/* " font ',N'" for the role under the picture's look. */
const char *gp_font(const struct plot_ctx *p, enum plot_role role);
/* The font size in pixels of a role (slides: points are pixels, PNG and SVG alike). */
int plot_font_px(const struct plot_ctx *p, enum plot_role role);
/* Copies text into out with its lines broken at spaces so that none is longer than what width
 * pixels hold at the role's size; a word longer than a line is cut. Existing breaks stay. */
void plot_wrap(const struct plot_ctx *p, enum plot_role role, int width, const char *text,
               char *out, size_t len);
/* The first line plot_wrap would make, and an ellipsis when the text goes on. */
void plot_cut(const struct plot_ctx *p, enum plot_role role, int width, const char *text, char *out,
              size_t len);

/* Opens a new file in the temporary folder and remembers it for the clean-up; NULL with errno. */
FILE *plot_file(struct plot_ctx *p, const char *name, char *path, size_t len);
/* Removes the files and the folder (keep = 0), or leaves them for the user (keep = 1); either
 * way frees what remembered them. */
void plot_cleanup(struct plot_ctx *p, int keep);

/* Writes s as a parenthesised gnuplot string expression that is only ever text: single-quoted
 * pieces, in which gnuplot does no backquote, macro or escape substitution, joined by "\n" where
 * s has a line break and by "'" where it has a quote. Strings from a results file, and paths, reach
 * gnuplot only this way. */
void gp_quote(FILE *f, const char *s);
/* "set terminal ...": PNG (cairo) or SVG of the given size. */
void gp_terminal(FILE *f, const struct plot_ctx *p, int width, int height);
/* "Intel Xeon, 2 logical CPUs, 2026-11-22T01:23:20Z, concbench 0.1.0" */
void plot_machine_line(const struct rm_file *f, char *buf, size_t len);

/* Writes a picture's gnuplot script into gp (and its data with plot_file), drawing into output
 * (a file of the temporary folder: plot_with puts it in place); 0, or 1 after printing why. */
typedef int (*plot_writer)(struct plot_ctx *p, const void *arg, const char *output, FILE *gp);
/* The whole pipeline for a picture: a temporary folder, the script from write, gnuplot, a check
 * that the picture exists, then output replaced in one rename (common/outfile.h); the folder is
 * kept with keep or on failure. 0, or 1. */
int plot_with(const char *output, int keep, plot_writer write, const void *arg);

/* The pictures; 0, or 1 after printing why on stderr. */
int plot_bars(struct plot_ctx *p, const struct rm_file *f, const struct rm_published *pub,
              const char *output, FILE *gp);
int plot_timeline(struct plot_ctx *p, const struct rm_file *f, const char *workload,
                  const char *output, FILE *gp);
/* A sweep file (f->sweep): time and memory per task against N, log-log (plot_sweep.c). */
int plot_sweep(struct plot_ctx *p, const struct rm_file *f, const char *output, FILE *gp);

#endif
