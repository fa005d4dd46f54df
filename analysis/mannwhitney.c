/* The Mann-Whitney U test: ranks with ties averaged, U of the first sample, and its two-sided
 * p-value, exact or from the normal approximation (see mannwhitney.h). */
#include "analysis/mannwhitney.h"

#include <math.h>
#include <stdlib.h>

struct mw_obs {
    double v;
    int side; /* 0: a, 1: b */
};

static int mw_cmp(const void *x, const void *y)
{
    double a = ((const struct mw_obs *)x)->v, b = ((const struct mw_obs *)y)->v;
    return (a > b) - (a < b);
}

/* Ranks the pooled samples (ties get their average rank); in size_t and double throughout, so
 * no count overflows. Returns U of a (the number of pairs
 * (x in a, y in b) with x > y, ties counting one half) and the tie term sum(t^3 - t). */
static double mw_u(const double *a, int na, const double *b, int nb, double *ties)
{
    size_t n = (size_t)na + (size_t)nb;
    struct mw_obs *o = malloc(n * sizeof(*o));
    double rank_sum = 0.0;

    if (o == NULL)
        abort();
    for (int i = 0; i < na; i++)
        o[i] = (struct mw_obs){a[i], 0};
    for (int i = 0; i < nb; i++)
        o[(size_t)na + (size_t)i] = (struct mw_obs){b[i], 1};
    qsort(o, n, sizeof(*o), mw_cmp);
    *ties = 0.0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && o[j + 1].v == o[i].v)
            j++;
        double t = (double)(j - i + 1), avg = ((double)i + (double)j) / 2.0 + 1.0;
        for (size_t k = i; k <= j; k++)
            if (o[k].side == 0)
                rank_sum += avg;
        *ties += t * t * t - t;
        i = j + 1;
    }
    free(o);
    return rank_sum - (double)na * ((double)na + 1.0) / 2.0; /* in int from 46,341 on */
}

/* P(U <= u) for sample sizes m and n without ties: counts of the arrangements with each U,
 * from c(m, n, u) = c(m - 1, n, u - n) + c(m, n - 1, u), kept as one row per n. */
static double mw_exact_cdf(int m, int n, int u)
{
    int umax = m * n;
    /* cnt[j][x]: arrangements of i values of one side and j of the other with U = x. */
    double *prev = calloc((size_t)(n + 1) * (size_t)(umax + 1), sizeof(double));
    double *cur = calloc((size_t)(n + 1) * (size_t)(umax + 1), sizeof(double));
    double below = 0.0, total = 0.0;

    if (prev == NULL || cur == NULL)
        abort();
    for (int j = 0; j <= n; j++)
        prev[(size_t)j * (umax + 1)] = 1.0; /* i = 0: only U = 0 */
    for (int i = 1; i <= m; i++) {
        for (int j = 0; j <= n; j++) {
            double *row = cur + (size_t)j * (umax + 1);
            for (int x = 0; x <= umax; x++) {
                /* The largest value is from the first side (it beats all j) or from the second. */
                double v = x >= j ? prev[(size_t)j * (umax + 1) + x - j] : 0.0;
                if (j > 0)
                    v += cur[(size_t)(j - 1) * (umax + 1) + x];
                row[x] = v;
            }
        }
        double *t = prev;
        prev = cur;
        cur = t;
    }
    for (int x = 0; x <= umax; x++) {
        double c = prev[(size_t)n * (umax + 1) + x];
        total += c;
        if (x <= u)
            below += c;
    }
    free(prev);
    free(cur);
    return below / total;
}

double mw_pvalue(const double *a, int na, const double *b, int nb)
{
    double ties, u, mu, var, z, p;

    if (na < 1 || nb < 1)
        return 1.0;
    u = mw_u(a, na, b, nb, &ties);
    mu = na * (double)nb / 2.0;
    if (ties == 0.0 && na <= MW_EXACT_MAX && nb <= MW_EXACT_MAX) {
        /* Symmetric distribution: twice the tail beyond the smaller of U and n1 n2 - U. */
        double lo = fmin(u, na * (double)nb - u);
        p = 2.0 * mw_exact_cdf(na, nb, (int)lo);
        return p > 1.0 ? 1.0 : p;
    }
    double n = (double)na + nb;
    var = na * (double)nb / 12.0 * ((n + 1.0) - ties / (n * (n - 1.0)));
    if (var <= 0.0)
        return 1.0; /* every value equal */
    z = (fabs(u - mu) - 0.5) / sqrt(var);
    if (z < 0.0)
        z = 0.0;
    p = erfc(z / sqrt(2.0));
    return p > 1.0 ? 1.0 : p;
}

double mw_min_pvalue(int n1, int n2)
{
    /* C(n1 + n2, n1) as a running product; doubles hold it far past any repetition count. */
    double c = 1.0;

    if (n1 < 1 || n2 < 1)
        return 1.0;
    for (int i = 1; i <= n1; i++)
        c = c * (n2 + i) / i;
    return fmin(1.0, 2.0 / c);
}

int mw_reps_needed(double alpha)
{
    int n = 1;

    while (n < 1000 && mw_min_pvalue(n, n) >= alpha)
        n++;
    return n;
}
