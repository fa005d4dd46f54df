#ifndef CONCBENCH_TREND_H
#define CONCBENCH_TREND_H

/* A case's history as a series, and the step changes in it, found with the rule of Arrow's
 * conbench: a run's median is a step when it is at least TREND_Z standard deviations from the
 * mean of the runs before it (at most TREND_WINDOW of them, none before the previous step) and
 * at least TREND_MIN_CHANGE away from that mean, relatively. With a window of identical values
 * (no spread) the relative change alone decides. The window needs TREND_MIN_HISTORY runs; a step
 * starts a new window, so the new level is not judged against the old one. */

#define TREND_WINDOW      20
#define TREND_Z           5.0
#define TREND_MIN_CHANGE  0.05
#define TREND_MIN_HISTORY 3

struct trend_point {
    char commit[16];
    char date[24];
    double median, lo, hi; /* wall seconds; the 95% interval of the mean */
    int step;              /* +1 a step up (slower), -1 down (faster), 0 none */
};

/* Sets pts[i].step for every point from the medians. */
void trend_steps(struct trend_point *pts, int n);

#endif
