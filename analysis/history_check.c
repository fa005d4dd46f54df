/* The gate of `history check` (history_check.h). */
#include "analysis/history_check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis/compare.h"
#include "analysis/trend.h"

/* The continued fraction of the incomplete beta function (modified Lentz). */
static double betacf(double a, double b, double x)
{
    const double tiny = 1e-300;
    double qab = a + b, qap = a + 1.0, qam = a - 1.0, c = 1.0, d = 1.0 - qab * x / qap, h;

    if (fabs(d) < tiny)
        d = tiny;
    d = 1.0 / d;
    h = d;
    for (int m = 1; m <= 300; m++) {
        int m2 = 2 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) < 1e-12)
            break;
    }
    return h;
}

/* The regularized incomplete beta function I_x(a, b). */
static double ibeta(double a, double b, double x)
{
    double bt;

    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    bt = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1.0 - x));
    if (x < (a + 1.0) / (a + b + 2.0))
        return bt * betacf(a, b, x) / a;
    return 1.0 - bt * betacf(b, a, 1.0 - x) / b;
}

double hchk_t_upper(double t, double df)
{
    double tail;

    if (isinf(t))
        return t > 0 ? 0.0 : 1.0;
    tail = 0.5 * ibeta(df / 2.0, 0.5, df / (df + t * t));
    return t >= 0 ? tail : 1.0 - tail;
}

void hchk_judge(const double *window, int n, double head, int head_valid, const struct hchk_opts *o,
                struct hchk_row *r)
{
    double sum = 0, ss = 0, t;

    r->n = n;
    r->head = head;
    r->head_valid = head_valid;
    r->mean = r->sd = r->change_pct = r->p = NAN;
    for (int i = 0; i < n; i++)
        sum += window[i];
    if (n > 0)
        r->mean = sum / n;
    for (int i = 0; i < n; i++)
        ss += (window[i] - r->mean) * (window[i] - r->mean);
    if (n > 1)
        r->sd = sqrt(ss / (n - 1));
    if (n > 0 && !isnan(head) && r->mean != 0)
        r->change_pct = cmp_change_pct(o->bigger_is_better, head / r->mean);
    if (!head_valid) {
        r->verdict = n > 0 ? HCHK_BROKEN : HCHK_INSUFFICIENT;
        return;
    }
    if (n < o->min_window || n < 2 || isnan(head)) {
        r->verdict = HCHK_INSUFFICIENT;
        return;
    }
    if (r->sd == 0)
        t = head == r->mean ? 0 : (head > r->mean ? INFINITY : -INFINITY);
    else
        t = (head - r->mean) / (r->sd * sqrt(1.0 + 1.0 / n));
    r->p = hchk_t_upper(fabs(t), n - 1);
    r->verdict = HCHK_SAME;
    if (r->p >= o->alpha || !(fabs(r->change_pct) > o->threshold_pct))
        return;
    r->verdict = r->change_pct > 0 ? HCHK_SLOWER : HCHK_FASTER;
}

const char *hchk_verdict_name(enum hchk_verdict v)
{
    static const char *const names[] = {"same", "slower", "faster", "insufficient", "broken"};

    return names[v];
}

int hchk_is_regression(enum hchk_verdict v)
{
    return v == HCHK_SLOWER || v == HCHK_BROKEN;
}

int hchk_since_step(const double *values, char (*commits)[16], int n, char *step_commit, size_t len)
{
    struct trend_point *pts = calloc(n > 0 ? n : 1, sizeof(*pts));
    int keep = n;

    snprintf(step_commit, len, "%s", "");
    if (pts == NULL)
        return n;
    for (int i = 0; i < n; i++) /* oldest first */
        pts[i].median = values[n - 1 - i];
    trend_steps(pts, n);
    for (int i = n - 1; i > 0; i--)
        if (pts[i].step != 0) {
            keep = n - i; /* the step's run and those after it */
            snprintf(step_commit, len, "%s", commits[n - 1 - i]);
            break;
        }
    free(pts);
    return keep;
}
