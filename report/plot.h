#ifndef CONCBENCH_PLOT_H
#define CONCBENCH_PLOT_H

#include "analysis/trend.h"

/* Draws a results file with gnuplot: grouped bars of the speed-up against sequential per model
 * (C next to the article and our Python when present), or with timeline = a workload, one bar
 * per task over time, one panel per model. The data and the gnuplot script go to a temporary
 * folder, kept when keep is set. Returns the exit status: 0 drawn; 1 unreadable input, gnuplot
 * missing or failing. slides: the look for a projector (1920x1080, text of 28 px at least,
 * Okabe-Ito colours; plot_style.h). */
int plot_render(const char *path, const char *output, const char *timeline,
                const char *published_path, int keep, int slides);

/* A case's medians over stored runs (history trend), step changes marked; output .png or
 * .svg. 0 drawn, 1 gnuplot missing or failing. */
int plot_trend(const char *key, const struct trend_point *pts, int n, const char *output, int keep);

/* 1 when the output's name ends in .png or .svg (any case); plot_is_svg: in .svg. */
int plot_output_ok(const char *output);
int plot_is_svg(const char *output);

#endif
