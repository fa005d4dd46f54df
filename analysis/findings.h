#ifndef CONCBENCH_FINDINGS_H
#define CONCBENCH_FINDINGS_H

/* What a reproduction's numbers say, as data: every speed-up of the article's experiment (ours in
 * C and Python, the article's) judged against fixed thresholds, before any words are chosen.
 * reading_compute is a pure function of the results model and the published figures;
 * report/repro_reading.c turns its findings into sentences. */

#include "rmodel/article.h"
#include "rmodel/rmodel.h"

/* The thresholds, documented once, here (the reading they drive: docs/reproducing.md). */
#define FINDING_CPU_GAIN 1.25        /* a cpu_bound speed-up counts from here... */
                                     /* ...and only outside the noise (95% intervals apart) */
#define FINDING_IO_OVERLAP     2.0   /* io_bound waits overlapped: speed-up from here (N >= 3) */
#define FINDING_IO_OVERLAP_FEW 1.5   /* ... with 2 tasks */
#define FINDING_IO_NEAR_IDEAL  0.8   /* "close to the Nx that N tasks allow": from 0.8 N */
#define FINDING_SHORT_TASK_S   0.002 /* tasks shorter than this: starting them is a visible cost */
#define FINDING_CEILING_SLACK  1.1   /* a speed-up over 1.1x the CPUs' ceiling: a slowed baseline */

enum finding_kind { FINDING_IO, FINDING_CPU };
enum finding_source { FINDING_C, FINDING_PYTHON, FINDING_ARTICLE };

/* Verdict bits. */
#define FINDING_YES     1 /* io: the waits overlapped; cpu: the model gained */
#define FINDING_NOISE   2 /* cpu: the intervals of the model and sequential overlap */
#define FINDING_CEILING 4 /* cpu: above what the machine's CPUs allow */
#define FINDING_FAR     8 /* cpu: beyond the gain threshold either way (x >= 1.25 or <= 1/1.25) */
/* io: the embedded server's lateness limited the case (rm_server_limited): what it fell short of
 * is the instrument's, never to be read as the model's */
#define FINDING_SERVER 16
/* The ratio's 95% interval (lo, hi) holds the threshold: neither "agrees" nor "differs" can be
 * said, whatever the median; the reading calls it inconclusive, with the interval and the load. */
#define FINDING_INCONCLUSIVE 32

struct finding {
    enum finding_kind kind;
    enum finding_source source;
    int model; /* a row of reading.rows: < REPRO_NMODELS, the article's repro_models */
    double ratio, threshold;
    double lo, hi; /* the ratio's 95% interval (rm_speedup_interval); lo < 0 when unknown */
    int verdict;
    char server[192]; /* FINDING_SERVER: rm_server_limited's words */
};

#define FINDINGS_MAX 64

struct reading {
    struct finding items[FINDINGS_MAX];
    int n;
    long long tasks, ncpu;
    double ceiling;              /* the most a model can gain on cpu_bound here; 0 = unknown */
    double io_request_s;         /* C sequential seconds per request; <= 0 = unknown */
    double article_io_request_s; /* the article's sync seconds per request */
    long long io_delay_ms;       /* our server's delay */
    int io_near_ideal;           /* every concurrent C model overlapped, each within
                                    FINDING_IO_NEAR_IDEAL of the Nx that N tasks allow */
    double cpu_task_s;           /* C sequential seconds per cpu_bound task */
    int short_tasks;             /* cpu_task_s below FINDING_SHORT_TASK_S */
    double same_size_s[3];       /* sequential cpu_bound seconds (C, Python, article) when the
                                    sizes are the article's (one power per task), else -1 */
    double load;                 /* the 1-minute load average when the run started; < 0 unknown */
    long long cpus_used;         /* the CPUs the cases could use: --cpus, else logical_cpus */
    int busy;                    /* load > cpus_used: other work took CPU time from the cases */
    /* The rows: the article's models, then the others (openmp, uring, green:sched=mn...), which
     * have C findings only. */
    struct repro_rows rows;
    /* Per row, its C cpu_bound case: the model as given (its label, options and all; NULL when
     * there is no case) and whether, with those options, it computes on several CPUs at once
     * (rm_case_parallel: green:sched=mn does, plain green does not). */
    const char *label[REPRO_MAX_ROWS];
    int parallel[REPRO_MAX_ROWS];
};

/* Judges every speed-up of f against the thresholds. pub may be NULL. */
void reading_compute(const struct rm_file *f, const struct rm_published *pub, struct reading *r);
/* A finding, or NULL. */
const struct finding *reading_get(const struct reading *r, enum finding_kind kind,
                                  enum finding_source source, int model);
/* Its ratio, or -1 when there is no such finding. */
double reading_ratio(const struct reading *r, enum finding_kind kind, enum finding_source source,
                     int model);

#endif
