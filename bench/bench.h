#ifndef CONCBENCH_BENCH_H
#define CONCBENCH_BENCH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "bench/config.h"
#include "rmodel/rmodel.h"
#include "rmodel/stats.h"

#define CASE_MAX_MESSAGES 20

/* One repetition's figures, measured inside the isolated child around the timed region. */
struct sample {
    double wall_s, user_s, sys_s;
    double max_rss_kib;
    double ctx_voluntary, ctx_involuntary;
    double pss_kib, pte_kib, rss_per_task_bytes;
    double rss_growth_kib; /* peak RSS beyond what the process had before the model ran */
};

/* One figure of a sample (enum rm_fig: wall, user, sys, rss, context switches). */
double sample_figure(const struct sample *s, enum rm_fig f);

/* A task of a case's timeline: its record and when its first steps ended. */
struct timeline_task {
    struct task_record rec;
    double step_end_s[TASK_STEP_MARKS];
};

#define CASE_STEP_KINDS 64

struct case_result {
    const struct model_spec *model;
    const struct workload_spec *ws;
    int wl_index;
    struct sample *samples; /* reps entries */
    int nsamples;
    struct stats stats[RM_NFIGS];

    int validation_ok;
    uint64_t checksum; /* FNV over every task digest of the last repetition */
    long long tasks_checked, tasks_failed;
    int tasks_cancelled; /* --cancel-after: tasks of the last repetition cancelled at a wait */

    long long error_count;
    char *messages[CASE_MAX_MESSAGES]; /* first distinct error texts */
    int nmessages;
    char *warnings[CASE_MAX_MESSAGES];
    int nwarnings;

    /* The kind of each step, 'c' compute or 'w' wait, read from the workload while its instance
     * lives (the first CASE_STEP_KINDS steps; later ones are of the last kind listed). */
    char step_kinds[CASE_STEP_KINDS + 1];
    struct timeline_task *timeline; /* last repetition, every timeline_step-th task */
    int timeline_len, timeline_step;
    int reps_done;
    /* The model's own growth of peak RSS with no task at all (its loop, pool, run stack...),
     * measured once before the rounds; < 0 when that repetition failed. */
    double rss_baseline_kib;
    int skip_rest; /* set by an observer: the case's remaining repetitions are not run */
};

struct bench;
struct bench_latency;

/* What the measuring loop tells the command as it happens; the core itself never prints or
 * writes files. Every callback may be NULL. */
struct bench_observer {
    void (*run_started)(void *arg, const struct bench *b, int rounds);
    void (*rep_started)(void *arg, const struct bench *b, int case_index, int round, int measured);
    /* A measured repetition of a case finished: its samples, statistics, speed-up and
     * validation are up to date (a checkpoint writer saves the results here). */
    void (*case_updated)(void *arg, struct bench *b, int case_index);
    /* Every case ran once in this round (warmup rounds too, measured = 0); never once the run
     * is interrupted. A callback may set b->interrupted to stop the run. */
    void (*round_done)(void *arg, struct bench *b, int round, int measured);
    /* The run is over (finished or interrupted): final statistics and warnings are in. */
    void (*run_finished)(void *arg, struct bench *b);
    void *arg;
};

#define BENCH_MAX_OBSERVERS 4

struct bench {
    const struct config *cfg;
    json_t *context; /* machine and build, read by bench_init; freed by bench_free */
    void *wl_instances[CONFIG_MAX_WORKLOADS];
    struct bench_latency *latency[CONFIG_MAX_WORKLOADS]; /* io_bound's drawn delays, or NULL */
    int nprepared;
    struct case_result *cases; /* ncases entries, workload by workload, models in -m order */
    int ncases;
    int interrupted; /* set by Ctrl-C, SIGTERM, or an observer */
    int finished;    /* every round ran (set before run_finished is told) */
    const struct bench_observer *observers[BENCH_MAX_OBSERVERS];
    int nobservers;
    char error[256]; /* why bench_run could not start, when it returns 1 with no case */
};

/* A bench for cfg, with the machine's and the build's context read now. */
void bench_init(struct bench *b, const struct config *cfg);

/* Adds an observer (at most BENCH_MAX_OBSERVERS), called in the order added. */
void bench_observe(struct bench *b, const struct bench_observer *o);

/* Prepares every workload (expected results, io_bound's server): not timed. Returns 0, or -1
 * with a message in err (then bench_release undoes what was done). */
int bench_prepare(struct bench *b, char *err, size_t errlen);
void bench_release(struct bench *b);

/* Runs every case of cfg, rounds interleaving the models, telling the observers as it goes.
 * Returns 0 when every case ran and validated, 1 otherwise. */
int bench_run(struct bench *b);
/* Frees the cases, the context and the drawn delays (after bench_release). */
void bench_free(struct bench *b);

/* Adds a message to a case (errors or warnings), keeping the first distinct ones. */
void case_note(char **list, int *n, const char *text);

/* The warning a case's wall-time figure deserves (too few repetitions, or a spread over 10% of
 * the mean): 1 with it in text, else 0. */
int bench_spread_warning(const struct stats *wall, char *text, size_t len);

#endif
