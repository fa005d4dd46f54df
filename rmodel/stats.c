#include "rmodel/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double stats_t975(int df)
{
    /* Standard table values for df = 1..30; beyond that the normal quantile is close enough
     * for a benchmark's error bar (t(60) = 2.000, t(120) = 1.980). */
    static const double t[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
                               2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
                               2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
                               2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
    if (df < 1)
        return 0.0;
    if (df <= 30)
        return t[df - 1];
    if (df <= 60)
        return 2.000;
    if (df <= 120)
        return 1.980;
    return 1.960;
}

void stats_compute(const double *samples, int n, struct stats *out)
{
    double *sorted, sum = 0.0, sq = 0.0;

    memset(out, 0, sizeof(*out));
    out->n = n;
    if (n <= 0)
        return;
    sorted = malloc((size_t)n * sizeof(*sorted));
    if (sorted == NULL)
        abort(); /* a handful of doubles */
    memcpy(sorted, samples, (size_t)n * sizeof(*sorted));
    qsort(sorted, (size_t)n, sizeof(*sorted), cmp_double);

    out->min = sorted[0];
    out->max = sorted[n - 1];
    out->median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    for (int i = 0; i < n; i++)
        sum += sorted[i];
    out->mean = sum / n;
    for (int i = 0; i < n; i++)
        sq += (sorted[i] - out->mean) * (sorted[i] - out->mean);
    out->stddev = n > 1 ? sqrt(sq / (n - 1)) : 0.0;
    {
        double half = n > 1 ? stats_t975(n - 1) * out->stddev / sqrt((double)n) : 0.0;
        out->ci95_lo = out->mean - half;
        out->ci95_hi = out->mean + half;
    }
    free(sorted);
}
