#ifndef CONCBENCH_PLOT_H
#define CONCBENCH_PLOT_H

/* Draws a results file with gnuplot: grouped bars of the speed-up against sequential per model
 * (C next to the article and our Python when present), or with timeline = a workload, one bar
 * per task over time, one panel per model. The data and the gnuplot script go to a temporary
 * folder, kept when keep is set. Returns the exit status: 0 drawn; 1 unreadable input, gnuplot
 * missing or failing. */
int plot_render(const char *path, const char *output, const char *timeline,
                const char *published_path, int keep);

/* 1 when the output's name ends in .png or .svg (any case); plot_is_svg: in .svg. */
int plot_output_ok(const char *output);
int plot_is_svg(const char *output);

#endif
