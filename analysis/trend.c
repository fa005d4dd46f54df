/* Step changes in a series of medians (trend.h). */
#include "analysis/trend.h"

#include <math.h>

void trend_steps(struct trend_point *pts, int n)
{
    int window_start = 0;

    for (int i = 0; i < n; i++) {
        int from = i - TREND_WINDOW > window_start ? i - TREND_WINDOW : window_start, m = i - from;
        double mean = 0, var = 0, diff, z;

        pts[i].step = 0;
        if (m < TREND_MIN_HISTORY)
            continue;
        for (int k = from; k < i; k++)
            mean += pts[k].median / m;
        for (int k = from; k < i; k++)
            var += (pts[k].median - mean) * (pts[k].median - mean) / (m - 1);
        diff = pts[i].median - mean;
        z = var > 0 ? fabs(diff) / sqrt(var) : INFINITY;
        if (mean > 0 && z >= TREND_Z && fabs(diff) / mean >= TREND_MIN_CHANGE) {
            pts[i].step = diff > 0 ? 1 : -1;
            window_start = i;
        }
    }
}
