#ifndef CONCBENCH_COMPARE_H
#define CONCBENCH_COMPARE_H

/* Two results files, case by case: the pairing, the statistics and the verdicts of `concbench
 * compare` (and `history compare`), as a list of rows that the renderers in report/ print. Pure:
 * it reads two models and writes nothing.
 *
 * A pair is two cases with the same key (rmodel/case_key.h). Its verdict:
 *   regression  valid in base, invalid in head (a wrong result or an error), whatever the time;
 *   insufficient  so few samples that no p-value can fall below alpha (2 / C(n1 + n2, n1) >=
 *               alpha); reps_needed says how many repetitions per side could;
 *   slower / faster  p < alpha (two-sided Mann-Whitney U over the samples) and the ratio of the
 *               medians head/base beyond the threshold (ratio > 1 + t or < 1 / (1 + t));
 *   ~           beyond the threshold, but p is not small enough to tell it from noise (asv's mark);
 *   noisy       slower or faster by the rules above, but either side's spread (stddev over mean
 *               of the metric's samples) is above CMP_NOISY_SPREAD, or the change is within the
 *               base's own spread: on a busy machine the same commit run twice differs this
 *               much (12-22% stddev at load 5 on 2 CPUs gave "2 slower" out of 5);
 *   same        otherwise.
 * With --metric instructions each side has one count (run --count instructions), deterministic
 * to well under 1%: no p-value, slower / faster when the change is beyond the threshold. */

#include "rmodel/case_key.h"
#include "rmodel/rmodel.h"

/* A side whose samples' stddev is above this share of their mean cannot support a verdict (the
 * bound of the measuring loop's "unstable" warning). */
#define CMP_NOISY_SPREAD 0.10

enum cmp_metric { CMP_WALL, CMP_SPEEDUP, CMP_USER, CMP_RSS, CMP_NORMALIZED, CMP_INSTRUCTIONS };

enum cmp_verdict {
    CMP_SAME,
    CMP_SLOWER,
    CMP_FASTER,
    CMP_MAYBE,        /* "~" */
    CMP_INSUFFICIENT, /* too few samples for any p-value below alpha */
    CMP_BROKEN,       /* valid in base, invalid in head: a regression */
    CMP_INVALID,      /* invalid in both */
    CMP_FIXED,        /* invalid in base, valid in head */
    CMP_NO_DATA,      /* no samples of the metric (e.g. speedup without a sequential case) */
    CMP_ONLY_BASE,
    CMP_ONLY_HEAD,
    CMP_NOISY,   /* beyond the threshold, but a side's spread is too large to say which way */
    CMP_GEOMEAN, /* the geometric mean of a workload's ratios */
};

struct cmp_opts {
    enum cmp_metric metric;
    double alpha;         /* e.g. 0.05 */
    double threshold_pct; /* e.g. 5 */
};

struct cmp_row {
    char key[CK_KEY_MAX]; /* the pairing key; for a geometric-mean row, the workload */
    char name[160];       /* the short name for tables */
    char workload[64];
    double base, head; /* medians of the metric; NAN when absent */
    double ratio;      /* head / base; NAN when absent */
    double p;          /* NAN when not computed */
    int nbase, nhead;  /* samples on each side */
    int reps_needed;   /* for CMP_INSUFFICIENT */
    enum cmp_verdict verdict;
};

struct cmp_result {
    struct cmp_row *rows; /* per workload: its rows, then its geometric mean */
    int nrows;
    int npaired;
    int nregressions;        /* slower + broken */
    struct rm_strs warnings; /* what makes the two files less comparable */
    int name_tasks;          /* a sweep's cases differ in N: row names say it */
};

/* Compares head against base; rows grouped by workload in the order the files list them. 0, or
 * -1 when no case pairs (out still lists the unpaired ones). */
int cmp_run(const struct rm_file *base, const struct rm_file *head, const struct cmp_opts *o,
            struct cmp_result *out);
void cmp_free(struct cmp_result *r);

/* "slower", "~", "regression (invalid)", ... */
const char *cmp_verdict_name(enum cmp_verdict v);
/* "wall", "speedup", "user", "rss", "normalized", "instructions"; -1 from parse for another
 * name. */
const char *cmp_metric_name(enum cmp_metric m);
int cmp_metric_parse(const char *name);
/* The unit of a metric's medians: "s", "x", "KiB", "k" (reference kernels), "instr". */
const char *cmp_metric_unit(enum cmp_metric m);
/* 1 when a bigger value is better (speedup). */
int cmp_bigger_is_better(enum cmp_metric m);
/* One direction for every metric: the change of a ratio head / base in percent of cost, so +12
 * is 12% worse and -8 is 8% better whatever the metric (for a bigger-is-better metric such as
 * speed-up, (base / head - 1) * 100: a speed-up that fell from 2.0x to 1.6x is +25%, the work
 * taking a quarter longer). NAN when the ratio is not a positive number. */
double cmp_change_pct(int bigger_is_better, double ratio);

/* The metric's samples of a case (malloc'd, *n of them); NULL with *n = 0 when it has none.
 * Speed-up samples are rm_speedup_samples (per-round ratios sequential / case), so their median
 * is rm_speedup, what history and report show. */
double *cmp_metric_samples(const struct rm_file *f, const struct rm_case *c, enum cmp_metric m,
                           int *n);

/* NULL when both files carry what the metric reads, else why not (for the command's error). */
const char *cmp_metric_missing(const struct rm_file *f, enum cmp_metric m);

/* The warnings of two contexts that differ (host, CPU, build type, library versions...). */
void cmp_context_warnings(const struct rm_file *base, const struct rm_file *head,
                          struct rm_strs *out);

#endif
