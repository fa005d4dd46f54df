#ifndef CONCBENCH_RMODEL_H
#define CONCBENCH_RMODEL_H

/* The one results model: a results file (results/README.md, schema_version 1) as typed C
 * structs, with one load (rmodel_load.c) and one dump (rmodel_dump.c). The measuring loop fills
 * it (bench/bench.c, bench/results.c), every writer dumps it, every reader loads it; the figures
 * derived from it (speed-up, validity) are computed here and nowhere else.
 *
 * Loading checks every type it reads and names the field of a wrong one ("cases[2].wall_s.
 * samples[0]: expected a number, got a string"): a results file may come from anywhere. Keys the
 * model does not know are kept in `extra` and written back after the known ones, so a file from
 * a newer concbench survives a load and a dump. Strings are owned by the model; an absent
 * optional string is NULL, an absent number NAN. */

#include <jansson.h>
#include <stddef.h>

#include "rmodel/stats.h"

#define RM_SCHEMA_VERSION 1

/* The figures measured per repetition, in the schema's order. */
enum rm_fig {
    RM_WALL,
    RM_USER,
    RM_SYS,
    RM_RSS,
    RM_CTXV,
    RM_CTXI,
    RM_PSS,          /* pss_kib: proportional set size when the tasks were done */
    RM_PTE,          /* vm_pte_kib: page tables then (VmPTE) */
    RM_RSS_PER_TASK, /* rss_per_task_bytes: (peak RSS - RSS before the model ran) / tasks */
    RM_NFIGS
};
extern const char *const rm_fig_keys[RM_NFIGS]; /* "wall_s", "user_s", ... */

struct rm_strs {
    char **v;
    int n;
};

/* One figure of a case: statistics over the measured repetitions and every sample in round
 * order (samples with the same index come from the same round). */
struct rm_figure {
    struct stats st; /* st.n is the number of samples the statistics were computed over */
    double *samples;
    int nsamples;
};

/* A parameter's value: a whole number or a text; a repeated parameter is a list. */
struct rm_scalar {
    int is_int;
    long long i;
    char *s;
};

struct rm_param {
    char *key;
    struct rm_scalar *v;
    int n;
    int is_list;
};

struct rm_params {
    struct rm_param *v;
    int n;
};

struct rm_task;
/* Frees what a timeline entry owns (its arrays), not the entry. */
void rm_task_clear(struct rm_task *t);

/* One task of the last repetition; times in seconds from the earliest start of the case.
 * Step k spans from the end of step k-1 (the task's start for k = 0) to steps_end_s[k]; a last
 * span runs from the last mark to end_s. Where recorded (NULL, 0 in older files), steps_cpu_s[k]
 * is the CPU time step k ran on its thread ([nsteps], when present: the last span's), and
 * steps_queued_s[k] how long it first waited for a pool worker (rmodel/rmodel_cpu.c). */
struct rm_task {
    long long task, worker;
    double start_s, end_s;
    double *steps_end_s;
    int nsteps;
    double *steps_cpu_s;
    int ncpu;
    double *steps_queued_s;
    int nqueued;
    double *delays_ms; /* io_bound: each request's drawn delay (as steps_end_s: the first 8) */
    int ndelays;
    int ok;
};

/* io_bound's drawn delays (rmodel/rmodel_latency.c): what the case's requests asked the server to
 * wait, and the least time the waits allow. */
struct rm_latency {
    struct rm_strs dists; /* one distribution per request position (common/latency.h's text) */
    char *profile;        /* the profile's name; NULL when none */
    long long seed;
    double scale;      /* latency_scale, already in dists */
    char *digest;      /* FNV-1a 64 over every drawn delay, hex (workloads/io_latency.h) */
    double makespan_s; /* max over tasks of the sum of their delays: any concurrent model's bound */
    double total_s;    /* the sum over every task: what a sequential run waits */
};

/* io_bound's embedded server during the case's measured repetitions (bench/rmodel_latency.c):
 * the ceiling the instrument put on the result. Lateness: how long after arrival + delay a
 * response began to be written (server/server.h), over every response of those repetitions. */
struct rm_server {
    long long threads, responses;
    long long requests;    /* per task, one after another */
    long long connections; /* the server accepted, over the measured repetitions; -1: unknown */
    double late_p50_ms, late_p90_ms, late_p99_ms, late_max_ms, late_mean_ms;
    double delay_ms;                  /* the mean delay a request asked for */
    double client_cpu_us_per_request; /* the model's user + system CPU (medians) per request */
};

/* A case is limited by the server when what its lateness can add to a task (requests x p99
 * lateness: every request of a task can be that late) is at least this share of the time the case
 * took beyond the least its delays allow (median - theoretical makespan): the gap is then the
 * instrument's as much as the model's. Cases without a bound: p99 lateness >= this share of the
 * mean delay. */
#define RM_SERVER_LIMIT_SHARE 0.5

/* What one task computed when the workload said more than its parameters (cpu_bound: its power
 * repeated `count` times, the count calibrated to target_ms before timing). */
struct rm_calibration {
    double target_ms; /* asked per task; 0 when the count was given */
    long long count;  /* operations per task */
    double op_ms;     /* one operation as calibration timed it (fastest); NAN when unknown */
    long long timings;
    char *task; /* in words: "7777**200000, 27 times" */
};

/* Where a model that launches its workers (mpi) ran them, and what the launch cost
 * (rmodel/rmodel_launch.c): start-up is inside the wall time, told apart. */
struct rm_host {
    char *name;
    long long ranks;
    double offset_s, uncertainty_s; /* its clock minus the first rank's, within +- uncertainty */
};
struct rm_launch {
    double startup_s; /* median over the measured repetitions; NAN when none said */
    double *startup_reps;
    int nreps;
    struct rm_host *hosts; /* of the last repetition */
    int nhosts;
    int *rank_host; /* of the last repetition: rank r ran on hosts[rank_host[r]] (-1: unknown) */
    int nranks;
};

struct rm_case {
    char *implementation; /* "c" or "python" */
    char *model;          /* runner name (for Python: the C model of the same row) */
    char *label;          /* the model as given, with options */
    char *workload;
    long long tasks, workers;
    struct rm_params params, model_options;
    long long reps_done;
    struct rm_figure fig[RM_NFIGS];
    int validation_ok;
    char *checksum;
    long long tasks_checked, failures;
    long long cancelled; /* tasks of the last repetition cancelled by --cancel-after */
    long long error_count;
    struct rm_strs errors; /* the first distinct texts */
    struct rm_strs warnings;
    char *step_kinds; /* one letter per step of a task: 'c' compute, 'w' wait; NULL if unknown */
    struct rm_task *timeline;
    int ntimeline;
    long long timeline_every, timeline_kept, timeline_of;
    json_t *python;             /* Python cases: interpreter facts, kept as written; NULL for C */
    struct rm_latency *latency; /* io_bound's drawn delays; NULL when the case has none */
    struct rm_server *server;   /* io_bound's embedded server's record; NULL when none */
    double rss_baseline_kib;    /* the model's peak RSS growth with no task; NAN when unknown */
    /* run --count instructions: instructions the timed region of one repetition executed, as
     * valgrind's callgrind counted them (single-thread cases); -1 when not counted */
    long long instructions;
    struct rm_calibration *calibration; /* NULL when the workload said nothing more */
    struct rm_launch *launch;           /* NULL unless the model launched its workers */
    json_t *extra;                      /* keys this model does not know, kept for the dump */
};

struct rm_kv {
    char *key, *value;
};

struct rm_context {
    char *date, *host, *kernel, *cpu_model, *compiler, *build_type, *git_commit;
    long long logical_cpus;
    double load_avg[3];
    struct rm_kv *libraries;
    int nlibraries;
    /* What makes timings noisy on the machine (bench/sysfacts.h): governor, boost, SMT, ... */
    struct rm_kv *system;
    int nsystem;
    /* The CI provider's commit, ref and runner variables, when the run was in CI. */
    struct rm_kv *ci;
    int nci;
    json_t *extra;
};

struct rm_config {
    struct rm_strs workloads, models;
    long long tasks, reps, warmup, workers, timeout_s, timeline_max;
    char *cpus; /* the CPU list of --cpus as given ("0", "0-1,3"); NULL when not pinned */
    json_t *extra;
};

/* The article's published figures (results/published/article_003.json). */
struct rm_pub_row {
    char *article_model, *model, *python;
    double cpu_bound_s, io_bound_s; /* NAN when the article has none */
    json_t *extra;
};

/* The article's figures: its source (author, title; other facts kept as written), the unit, and
 * one row per model; the experiment's description and notes are kept in extra. */
struct rm_published {
    char *format, *unit;
    char *author, *title;
    json_t *source_extra;
    /* The experiment's sizes, read from its "experiment" object (kept in extra); -1 if absent. */
    long long exp_tasks, exp_cpu_base, exp_cpu_exponent, exp_io_requests;
    struct rm_pub_row *rows;
    int nrows;
    json_t *extra;
};

/* What `reproduce` adds: the experiment, the figures it was made against, what could not run,
 * and the Python runs' facts (kept as written). */
struct rm_repro {
    char *experiment;
    struct rm_published *published; /* NULL when the file has null */
    struct rm_strs missing;
    json_t *python; /* NULL when absent */
    json_t *extra;
};

/* A point of a sweep that did not run (rmodel/rmodel_sweep.c): which, and why. */
struct rm_sweep_skip {
    char *workload, *label;
    long long tasks;
    char *kind;   /* "limit" (predicted), "time" (over a time bound), "stopped" (a smaller N of
                   * the model failed or was skipped) */
    char *reason; /* in words, naming the limit or the bound and its value */
    json_t *extra;
};

/* The N of one workload's sweep, smallest first. */
struct rm_sweep_plan {
    char *workload;
    long long *tasks;
    int n;
};

/* What `sweep` adds: the N asked per workload, its time bounds, and the points it left out.
 * Every point that ran is a case of its own (cases differ in tasks). */
struct rm_sweep {
    struct rm_sweep_plan *plans;
    int nplans;
    double max_seconds;            /* a point predicted longer per repetition is skipped */
    double sequential_max_seconds; /* the same for sequential */
    struct rm_sweep_skip *skipped;
    int nskipped;
    json_t *extra;
};

/* The reference kernel timed once per measured round (common/ref_kernel.h): the divisor of
 * compare --metric normalized. */
struct rm_kernel {
    char *name; /* what it computes; files whose kernels differ are not comparable */
    long long steps;
    struct rm_figure fig; /* seconds, one sample per measured round, in round order */
};

struct rm_file {
    long long schema_version;
    char *tool;
    struct rm_context *context; /* NULL when absent or null */
    struct rm_config config;
    struct rm_case *cases;
    int ncases;
    int interrupted;
    /* 0 in a checkpoint written while the run was still going (and left so when a later write
     * failed or the run was killed), with why in partial; 1 when finished; -1 in files of older
     * versions, which have no such field (rm_complete reads them as complete). */
    int complete;
    char *partial;
    struct rm_repro *repro;   /* NULL unless written by reproduce */
    struct rm_sweep *sweep;   /* NULL unless written by sweep */
    struct rm_kernel *kernel; /* NULL in files written before it, or by sweep */
    json_t *extra;
};

/* --- Loading and dumping (rmodel/rmodel_load.c, rmodel/rmodel_dump.c) --- */

/* Loads a results file. NULL with a clear message in err when it is missing, a folder, empty,
 * not JSON, of another schema version, or a field has the wrong type. */
struct rm_file *rm_load(const char *path, char *err, size_t errlen);
/* The same from a document in memory; name is what messages call it. */
struct rm_file *rm_from_doc(json_t *root, const char *name, char *err, size_t errlen);
/* The same from a document's text (rm_to_text's, stored by `history`). NULL with err; *not_json
 * is 1 when the text is not JSON at all (err: the parser's words), else 0. */
struct rm_file *rm_from_text(const char *text, const char *name, int *not_json, char *err,
                             size_t errlen);
/* One case object (e.g. a Python variant's output) into c (initialised here; rm_case_clear
 * frees it, also after a failure); path names it in messages. 0 or -1 with err. */
int rm_case_from_doc(json_t *doc, const char *path, struct rm_case *c, char *err, size_t errlen);
/* A context object (machine and build, as context_json in bench/results.h makes it). 0, or -1
 * with err. */
int rm_context_from_doc(json_t *doc, struct rm_context **out, char *err, size_t errlen);
/* The published figures' object (format concbench-published 1). NULL with err. */
struct rm_published *rm_published_from_doc(json_t *doc, const char *path, char *err, size_t errlen);

/* The document of a model, speed-ups computed afresh. New reference. */
json_t *rm_to_doc(const struct rm_file *f);
/* The document as text on one line, in a style below; a figure's samples as a JSON array on one
 * line, reals to 9 significant digits. NULL when memory runs out; free() them. */
enum rm_text_style {
    RM_TEXT_COMPACT, /* keys in the file's order, reals in full (the HTML page's data) */
    RM_TEXT_STORED,  /* keys sorted, reals to 9 significant digits (what `history` stores) */
};
char *rm_to_text(const struct rm_file *f, enum rm_text_style style);
char *rm_samples_text(const struct rm_figure *fig);
json_t *rm_case_to_doc(const struct rm_file *f, const struct rm_case *c);
json_t *rm_published_to_doc(const struct rm_published *p);
/* Writes the model atomically (a temporary file in the same folder, then rename): a reader or
 * a Ctrl-C never sees half a file. 0, or -1 with a message in err. */
int rm_write(const struct rm_file *f, const char *path, char *err, size_t errlen);

/* --- Building and freeing (rmodel/rmodel.c) --- */

struct rm_file *rm_new(void);
void rm_free(struct rm_file *f);
/* A case with nothing in it (figures NAN): what rm_case_from_doc and rm_case_add start from. */
void rm_case_init(struct rm_case *c);
void rm_case_clear(struct rm_case *c);
void rm_published_free(struct rm_published *p);
void rm_context_free(struct rm_context *x);
/* Appends a zeroed case (numbers NAN where a figure has none); NULL when memory runs out. */
struct rm_case *rm_case_add(struct rm_file *f);
/* Appends a copy of text unless it is there already or the list holds max; 1 when appended. */
int rm_strs_note(struct rm_strs *l, const char *text, int max);
void rm_strs_clear(struct rm_strs *l);
/* Sets a figure's samples (copied) and computes its statistics from them. */
void rm_figure_set(struct rm_figure *fig, const double *samples, int n);
char *rm_strdup(const char *s); /* NULL stays NULL; aborts when memory runs out */

/* --- Reading (rmodel/rmodel.c): the derived figures live here; a NULL case has none --- */

/* A case by implementation ("c" or "python"), workload and model (runner name; for C the case
 * whose label is the plain model name is preferred). NULL if none. */
const struct rm_case *rm_find(const struct rm_file *f, const char *impl, const char *workload,
                              const char *model);
/* 1 when c's model, with the options c records, computes on several CPUs at once (the runner's
 * parallel trait: green with sched=mn, not plain green; pthreads, unless gil=on). An option this
 * build's runner does not know, or a value it refuses, counts as its default; a model this build
 * lacks has no trait (0). */
int rm_case_parallel(const struct rm_case *c);
/* The cases of a workload in file order (workload NULL: every case), as a NULL-terminated array
 * the caller frees; *n gets their count. Aborts when memory runs out. */
const struct rm_case **rm_cases_of(const struct rm_file *f, const char *workload, int *n);
/* 1 when case i is the first of its workload in the file. */
int rm_first_of_workload(const struct rm_file *f, int i);
/* The case of implementation impl on the workload with exactly this label, or NULL. */
const struct rm_case *rm_find_label(const struct rm_file *f, const char *impl, const char *workload,
                                    const char *label);
/* 1 when the file has a case of the workload (of implementation impl; NULL = any). */
int rm_has_workload(const struct rm_file *f, const char *impl, const char *workload);
/* Median wall seconds of a case; < 0 when it has no measured repetition. */
double rm_median(const struct rm_case *c);
/* The sequential case a case's speed-up is measured against: the first sequential case of the
 * same implementation and workload with a measured repetition. NULL if none. */
const struct rm_case *rm_baseline(const struct rm_file *f, const struct rm_case *c);
/* THE speed-up of a case (compare --metric speedup, history, report and the readings all use
 * it): the median of the per-round ratios sequential / case, rm_speedup_samples (the samples
 * with the same index come from the same round, so a slow moment of the machine divides out).
 * A file whose figures lack their samples gives sequential median / case median. < 0 when the
 * case or its baseline has no measured repetition. */
double rm_speedup(const struct rm_file *f, const struct rm_case *c);
/* The per-round ratios case wall / reference kernel (f->kernel, timed at the start of the same
 * round; malloc'd, *n of them); NULL with *n = 0 when the file has no kernel or the case no
 * samples. A slower machine moment slows both and divides out; a slowdown of the case does not. */
double *rm_normalized_samples(const struct rm_file *f, const struct rm_case *c, int *n);
/* THE normalized figure of a case (what compare --metric normalized reads per round, history
 * stores and checks): the median of rm_normalized_samples, in reference kernels. < 0 when the
 * file has no kernel or the case no measured round. */
double rm_normalized(const struct rm_file *f, const struct rm_case *c);
/* The reference kernel's identity ("xorshift64*-chain-v1, 5000000 steps"): normalized figures
 * of two files compare only when theirs are the same. 0, or -1 (buf "") when f has none. */
int rm_kernel_id(const struct rm_file *f, char *buf, size_t len);
/* The per-round ratios sequential / case (malloc'd, *n of them, as many as both sides have
 * rounds); NULL with *n = 0 when the case has no baseline or either has no samples. */
double *rm_speedup_samples(const struct rm_file *f, const struct rm_case *c, int *n);
/* 1 when the case's 95% wall interval and its baseline's do not overlap, 0 when they do, -1
 * when either is missing. */
int rm_differs_from_baseline(const struct rm_file *f, const struct rm_case *c);
/* The 95% interval of c's speed-up over its baseline, from both cases' intervals of the mean wall
 * time: [baseline low / c's high, baseline high / c's low] (a low end at or below 0 gives 0, or
 * infinity for the high end). 0, or -1 when either interval is unknown. */
int rm_speedup_interval(const struct rm_file *f, const struct rm_case *c, double *lo, double *hi);
/* 0 when the file is a checkpoint of a run that did not finish (f->partial says why). */
int rm_complete(const struct rm_file *f);
/* 1 when every task of the case was checked and correct and it has no errors. */
int rm_valid(const struct rm_case *c);
/* What a case's timeline shows (its tasks that ran): the span from the first start to the last
 * end, the sum of the tasks' durations, the most tasks running at one instant, and overlap =
 * busy / span (1 for one task after another, N for N tasks side by side). With a sampled
 * timeline (every > 1) busy is scaled up by every and max_at_once is of the kept tasks. */
struct rm_overlap {
    double span_s, busy_s, overlap;
    int max_at_once, ran;
    /* Where the timeline recorded CPU time (cpu = 1): the most tasks *running* on a CPU at one
     * instant (a sum of densities, rmodel_cpu.c), the most holding a worker (not queued), and
     * overlap = their CPU time / span; busy_s is then that CPU time. max_at_once stays the most
     * in flight. */
    int cpu, max_holding;
    double max_running;
};
void rm_timeline_overlap(const struct rm_case *c, struct rm_overlap *o);
/* Tasks of the timeline running at time t (start <= t < end). */
int rm_in_flight(const struct rm_case *c, double t);
/* The kind of step k of a case's tasks: 'c' compute, 'w' wait, '?' not recorded. */
char rm_step_kind(const struct rm_case *c, int k);
/* The step of a task running at time t (0..), or -1 when the task is not running then. */
int rm_task_step_at(const struct rm_task *t, double when);

/* Waiting for a CPU (rmodel/rmodel_cpu.c). Step k's span (k = nsteps: from the last mark to the
 * end): its wall time, its queued part (first), its CPU time, and its running density = cpu /
 * (wall - queued), 0..1, or -1 when the task recorded no CPU time. */
struct rm_span {
    double from, to, queued, cpu, density;
};
void rm_task_span(const struct rm_task *t, int k, struct rm_span *sp);
int rm_task_has_cpu(const struct rm_task *t);
int rm_case_has_cpu(const struct rm_case *c); /* 0: an older file, or a model that did not say */
enum rm_tstate { RM_TS_IDLE, RM_TS_QUEUED, RM_TS_ACTIVE };
/* What t was doing at when: not in flight, queued, or in step *step with running *density. */
enum rm_tstate rm_task_state_at(const struct rm_task *t, double when, int *step, double *density);
/* Expected tasks running on a CPU at when (a task with no CPU time counts 1 while in flight). */
double rm_running_at(const struct rm_case *c, double when);
/* The most running at one instant, the most holding a worker at one instant (in flight and not
 * queued: running, runnable or blocked in a step) and the CPU time of the tasks that recorded it.
 */
void rm_timeline_running(const struct rm_case *c, double *most, int *holding, double *cpu_s);
/* The running count as a step function: from at[i] on it is value[i] (times in order, one per
 * instant). Returns the number of steps; free both arrays. */
int rm_running_steps(const struct rm_case *c, double **at, double **value);

/* A parameter of a case (the last value of a list); def / NULL when absent or of another type. */
long long rm_param_int(const struct rm_params *p, const char *key, long long def);
const char *rm_param_str(const struct rm_params *p, const char *key);
/* The interpreter's version of a Python case (its "python" facts); NULL for C or when absent. */
const char *rm_python_version(const struct rm_case *c);
/* A whole-number parameter of a workload, from its C sequential case (else its first case). */
long long rm_file_param(const struct rm_file *f, const char *workload, const char *key,
                        long long def);
/* The least wall time the drawn delays allow this case (sequential: their total; others: the
 * theoretical makespan), and that bound / the median wall time; < 0 when the case has none. */
double rm_latency_bound_s(const struct rm_case *c);
double rm_latency_efficiency(const struct rm_case *c);
/* The case's "latency" object and back (rmodel/rmodel_latency.c); free with rm_latency_free. */
json_t *rm_latency_to_doc(const struct rm_latency *l);
void rm_latency_free(struct rm_latency *l);
/* The case's "server" object and back; free with free(). */
json_t *rm_server_to_doc(const struct rm_server *sv);
/* A case's "launch" object, and adding one repetition's start-up (0: none), its hosts and each
 * rank's host (an index into hosts, -1 unknown) to it. */
json_t *rm_launch_to_doc(const struct rm_launch *l);
void rm_launch_add(struct rm_case *c, double startup_s, const struct rm_host *hosts, int nhosts,
                   const int *rank_host, int nranks);
void rm_launch_free(struct rm_launch *l);
/* The host worker (a rank) of c ran on, an index into c->launch->hosts; -1 when unknown. */
int rm_launch_host_of(const struct rm_case *c, long long worker);
/* When c's ranks ran on more than one host: the largest uncertainty of the clock offsets by
 * which their times were aligned to rank 0's (>= 0); else -1. */
double rm_launch_uncertainty(const struct rm_case *c);
/* 1 when the server's lateness limited the case (RM_SERVER_LIMIT_FRACTION), with the words
 * ("limited by the server: p99 lateness 18 ms of 100 ms") in text; else 0 and text empty. */
int rm_server_limited(const struct rm_case *c, char *text, size_t len);

/* --- Sweeps (rmodel/rmodel_sweep.c) --- */

/* The file's "sweep" object and back; rm_sweep_free frees one (NULL is fine). */
json_t *rm_sweep_to_doc(const struct rm_sweep *s);
void rm_sweep_free(struct rm_sweep *s);
/* Appends a plan / a skipped point (strings copied); aborts when memory runs out. */
void rm_sweep_plan_add(struct rm_sweep *s, const char *workload, const long long *tasks, int n);
void rm_sweep_skip_add(struct rm_sweep *s, const char *workload, const char *label, long long tasks,
                       const char *kind, const char *reason);
/* The least wall time a case's waits allow with one task per thread/process/coroutine: sleep's
 * longest ms (sequential: their sum), io_bound's theoretical makespan (sequential: total); < 0
 * for cpu_bound, pools and cases without the figures. */
double rm_ideal_wall_s(const struct rm_case *c);
/* That bound / the median wall time; < 0 when either is missing. */
double rm_efficiency(const struct rm_case *c);
/* A figure's median over the case's tasks (CPU per task: user + sys); < 0 when missing. */
double rm_cpu_per_task_s(const struct rm_case *c);

/* Published seconds of a model (ours: sequential...) on a workload; < 0 when absent. */
double rm_published_seconds(const struct rm_published *p, const char *model, const char *workload);

#endif
