#ifndef CONCBENCH_HISTORY_CHECK_H
#define CONCBENCH_HISTORY_CHECK_H

#include <stddef.h>

/* The gate of `history check`: a new result judged against the window of the latest results of
 * the same case, machine and branch (as Bencher's t-test threshold judges a new metric against a
 * window of its history). The window's values (one per run: the median wall time or the
 * speed-up) give a mean and a standard deviation; the new value is tested against the Student t
 * prediction interval of one more value from the same distribution,
 *     t = (head - mean) / (sd * sqrt(1 + 1/n)),  n - 1 degrees of freedom,
 * one-sided in the direction it moved. A change is a regression (or an improvement) when that
 * p-value is below alpha and the change is beyond the threshold, compare's two conditions. Below
 * a minimum window the verdict is insufficient. Pure: no database, no printing. */

enum hchk_verdict { HCHK_SAME, HCHK_SLOWER, HCHK_FASTER, HCHK_INSUFFICIENT, HCHK_BROKEN };

struct hchk_opts {
    int window, min_window; /* e.g. 20 and 5 */
    double alpha;           /* e.g. 0.05 */
    double threshold_pct;   /* e.g. 5 */
    int bigger_is_better;   /* speed-up: 1; wall seconds: 0 */
};

#define HCHK_WINDOW     20
#define HCHK_MIN_WINDOW 5

struct hchk_row {
    char key[512];
    int n;             /* the window's size */
    double head;       /* the new value; NAN when the case has none */
    double mean, sd;   /* of the window; NAN when empty */
    double change_pct; /* cmp_change_pct: + is worse, - better, whatever the metric */
    double p;          /* one-sided, in the direction of the change; NAN when not tested */
    int head_valid;
    char oldest[16], newest[16]; /* the window's commits (7 characters) */
    char step[16];               /* the commit where the window was cut at a step; "" none */
    enum hchk_verdict verdict;
};

/* The window cut at its latest step change (analysis/trend.h, conbench's rule), so a level that
 * moved is judged from where it moved on, not against the old level again: values newest first,
 * their commits alongside; the number kept, and the step's commit in step_commit ("" none). */
int hchk_since_step(const double *values, char (*commits)[16], int n, char *step_commit,
                    size_t len);

/* Judges head against the window's n values into r (its key and commits left as they are). */
void hchk_judge(const double *window, int n, double head, int head_valid, const struct hchk_opts *o,
                struct hchk_row *r);

/* P(T >= t) for Student's t with df degrees of freedom. */
double hchk_t_upper(double t, double df);

const char *hchk_verdict_name(enum hchk_verdict v);

/* 1 when the verdict fails the gate (slower, or a valid case now invalid). */
int hchk_is_regression(enum hchk_verdict v);

#endif
