#ifndef CONCBENCH_STATS_H
#define CONCBENCH_STATS_H

/* Summary statistics of one figure's samples. The 95% interval is for the mean, from Student's t
 * (the samples of a benchmark are few); with one sample it collapses to that sample. */
struct stats {
    int n;
    double median, mean, stddev, min, max;
    double ci95_lo, ci95_hi;
};

void stats_compute(const double *samples, int n, struct stats *out);

/* Two-sided 97.5% quantile of Student's t with df degrees of freedom. */
double stats_t975(int df);

#endif
