#ifndef CONCBENCH_MANNWHITNEY_H
#define CONCBENCH_MANNWHITNEY_H

/* The two-sided Mann-Whitney U test (Wilcoxon rank-sum): do two sets of timings come from the
 * same distribution? It assumes nothing about their shape, which suits benchmark samples (skewed,
 * with outliers). Exact for small samples without ties (the U distribution counted by dynamic
 * programming); otherwise the normal approximation with the tie correction of the variance and a
 * continuity correction (as scipy.stats.mannwhitneyu and R's wilcox.test do). */

/* Samples at or under this size per side, without ties, get the exact p-value. */
#define MW_EXACT_MAX 50

/* The two-sided p-value of a against b, in [0, 1]; 1 when either side is empty or every value
 * is the same. */
double mw_pvalue(const double *a, int na, const double *b, int nb);

/* The smallest two-sided p-value n1 and n2 samples can give: 2 / C(n1 + n2, n1) (every sample of
 * one side below every sample of the other). When it is >= alpha no verdict is possible. */
double mw_min_pvalue(int n1, int n2);

/* The fewest repetitions per side (the same on both) whose smallest p-value is below alpha;
 * e.g. 4 for alpha 0.05 (2/70 = 0.029), 5 for 0.01. */
int mw_reps_needed(double alpha);

#endif
