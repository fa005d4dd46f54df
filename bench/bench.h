#ifndef CONCBENCH_BENCH_H
#define CONCBENCH_BENCH_H

#include <jansson.h>
#include <stddef.h>

#include "bench/config.h"
#include "rmodel/rmodel.h"
#include "rmodel/stats.h"

#define CASE_MAX_MESSAGES 20

struct bench;
struct bench_case; /* the loop's own state of a case (bench.c) */
struct bench_latency;

/* What the measuring loop tells the command as it happens; the core itself never prints or
 * writes files. Observers read the run as a results model, f (b->results), up to date when they
 * are told (as Google Benchmark's reporters read a Run). Every callback may be NULL. */
struct bench_observer {
    void (*run_started)(void *arg, const struct rm_file *f, int rounds);
    void (*rep_started)(void *arg, const struct rm_file *f, int case_index, int round,
                        int measured);
    /* While a repetition of a case runs, about 20 times a second (only when some observer has
     * this callback): its tasks so far as the timeline of now, a copy of the case valid during
     * the call (tasks not started have worker -1; a running one ends now, its current step
     * open; under processes a task's steps show only once it ends). */
    void (*rep_progress)(void *arg, const struct rm_file *f, int case_index,
                         const struct rm_case *now);
    /* A measured repetition of a case finished: its samples, statistics and validation are up
     * to date (a checkpoint writer saves the results here). */
    void (*case_updated)(void *arg, const struct rm_file *f, int case_index);
    /* Every case ran once in this round (warmup rounds too, measured = 0); never once the run
     * is interrupted. A callback may stop a case (bench_skip_case) or set b->interrupted to
     * stop the run. */
    void (*round_done)(void *arg, struct bench *b, const struct rm_file *f, int round,
                       int measured);
    /* The run is over (finished or interrupted): final statistics and warnings are in. */
    void (*run_finished)(void *arg, const struct rm_file *f);
    void *arg;
};

#define BENCH_MAX_OBSERVERS 4

struct bench {
    const struct config *cfg;
    json_t *context; /* machine and build, read by bench_init; freed by bench_free */
    void *wl_instances[CONFIG_MAX_WORKLOADS];
    struct bench_latency *latency[CONFIG_MAX_WORKLOADS]; /* io_bound's drawn delays, or NULL */
    int nprepared;
    /* The run as a results model, filled by bench_run as it goes: case k is workload
     * k / nmodels under model k % nmodels. Owned by b (bench_free); after bench_run the caller
     * may add to it. NULL before bench_run. */
    struct rm_file *results;
    struct bench_case *cases; /* the loop's own state of each case, ncases entries */
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
/* Frees the results, the context and the loop's state (after bench_release). */
void bench_free(struct bench *b);

/* The model case case_index runs (of b->cfg). */
const struct model_spec *bench_case_model(const struct bench *b, int case_index);

/* From a round_done observer: the case runs no more repetitions, with why among its warnings
 * (once: a case stopped already keeps its first reason). */
void bench_skip_case(struct bench *b, int case_index, const char *why);

/* The warning a case's wall-time figure deserves (too few repetitions, or a spread over 10% of
 * the mean): 1 with it in text, else 0. */
int bench_spread_warning(const struct stats *wall, char *text, size_t len);

#endif
