#ifndef CONCBENCH_RUNNER_H
#define CONCBENCH_RUNNER_H

#include <stddef.h>

#include "common/params.h"
#include "workloads/workload.h"

/* One execution model. run() executes ctx->tasks tasks of the workload and fills one record per
 * task; it is called inside an isolated child of the harness with the clock already running, so
 * everything it does (creating threads, forking, building the loop) is timed. */

#define RUN_ERROR_LEN        256
#define RUN_MAX_HOSTS        16
#define RUN_HOST_LEN         64
#define RUN_MAX_MAPPED_RANKS 4096 /* ranks whose host is kept (rank_host); later ones unknown */

/* A host that ran some of the tasks (mpi), with its clock's offset from the launcher's. */
struct run_host {
    char name[RUN_HOST_LEN]; /* letters, digits, '.', '-', '_' only */
    int ranks;
    double offset_s;      /* its clock minus the first rank's (ping-pong estimate) */
    double uncertainty_s; /* the offset is within +- this (half the best round trip) */
};

struct run_ctx {
    const struct workload *wl;
    void *wl_instance;
    int tasks;
    int workers;                  /* 0 = one thread/process per task */
    const struct param_set *opts; /* this model's options, validated against runner->options */
    /* env.table: the tasks' records, reset (task = i, worker = -1, no details); env.gil: gil=on,
     * held by every compute step, NULL when off; no loop: what task_begin gives a task (a model
     * with a loop gives its tasks an env of its own, a copy with the loop's fields set). */
    struct task_env env;
    double (*task_clock)(void);  /* reads a task's start and end; NULL = clock_now_s */
    char error[RUN_ERROR_LEN];   /* case-level error, e.g. a limit that was hit */
    char warning[RUN_ERROR_LEN]; /* something the reader should know, e.g. guard pages off */
    /* Memory while the tasks' state still exists (run_memory_probe); 0 = not probed yet. */
    double pss_kib, pte_kib;
    double probe_s; /* time the probe took, taken off the wall time */
    /* The workload's parameters as given, for models that prepare it again elsewhere (mpi). */
    const struct param_set *wl_params;
    /* mpi: start-up inside the wall time (mpirun to every rank past MPI_Init; 0 = none), and
     * where the ranks ran. */
    double startup_s;
    struct run_host hosts[RUN_MAX_HOSTS];
    int nhosts;
    unsigned char
        rank_host[RUN_MAX_MAPPED_RANKS]; /* rank r ran on hosts[rank_host[r] - 1]; 0 = ? */
};

/* How a model runs its tasks' compute steps (with gil=off). */
enum runner_compute {
    RUNNER_COMPUTE_SERIAL,    /* one after another on the calling thread */
    RUNNER_COMPUTE_THREADS,   /* each on a thread of its own, in parallel */
    RUNNER_COMPUTE_PROCESSES, /* each in a process of its own, in parallel */
    RUNNER_COMPUTE_POOL,      /* handed from a loop to a thread pool, in parallel */
    RUNNER_COMPUTE_TURNS,     /* coroutines taking turns on one thread */
};

/* A model that, without -j, creates one thread or process per task. */
struct runner_spawn {
    const char *unit;     /* what is alive at once, one per task: "threads", "processes" */
    const char *raw_prim; /* the raw primitive in `concbench primitives` (pthread_spawn) */
    const char *own_prim; /* the model's own spawn path there (pthreads_task) */
};

struct runner {
    const char *name;
    const char *summary;
    const struct param_spec *options; /* model options, shown by `concbench list` */
    /* Returns 0, or a negative errno with ctx->error set when not every task could run. Tasks
     * that never ran keep worker = -1 and get an error status from the harness. */
    int (*run)(struct run_ctx *ctx);

    /* Its traits: what the layers above ask of a model, so that none of them compares its name
     * to a literal (tests/model_names.sh). */
    int baseline; /* the one model speed-ups are against (sequential) */
    int serial;   /* runs its tasks one after another: their waits add up */
    int pool;     /* honours -j: a pool of --workers threads, processes or coroutines */
    enum runner_compute compute;
    /* RUNNER_COMPUTE_POOL: whose threads run the compute steps, for sentences ("libuv's thread
     * pool"); NULL = "a thread pool". */
    const char *compute_pool;
    const struct runner_spawn *spawn; /* one thread or process per task without -j, or NULL */
    /* Starts its workers through a launcher of its own (mpirun): seconds of start-up, maybe
     * other hosts; `-m all` leaves it out, it runs when named. */
    int launched;
    /* 1 when, with these options, its compute steps can run on several CPUs at once; NULL =
     * never. */
    int (*parallel)(const struct param_set *opts);
};

/* The parallel trait of a model whose compute runs on several CPUs whatever its options. */
int runner_parallel_always(const struct param_set *opts);

extern const struct runner *const runners[];
const struct runner *runner_find(const char *name); /* NULL when not in this build */
/* Models of this project that this build was made without (an optional library missing), each
 * with what to install: `list` and an unknown -m say so. Ends with a NULL name. */
struct runner_missing {
    const char *name;
    const char *why;
};
extern const struct runner_missing runners_missing[];
const char *runner_missing_why(const char *name); /* NULL unless name is such a model */

/* For code that knows a model only by a name, say from a results file, which may name a model
 * this build lacks: such a model has no trait (0, NULL). */
const struct runner *runner_baseline(void); /* the registry's one baseline model */
const char *runner_baseline_name(void);
int runner_is_baseline(const char *name);
int runner_is_serial(const char *name);
/* 1 when the model has the option key (gil, ...). */
int runner_has_option(const char *name, const char *key);

/* Shared task plumbing for runners (runners/task_exec.c). */

/* Runs task `index` to the end with blocking faces on the calling thread. */
void task_run_blocking(struct run_ctx *ctx, int index, int worker);
/* The same for the task whose record is rec, kept outside ctx->table's records (a forked child's
 * on its stack, set up with task_record_init); its details are still ctx->table's. */
void task_run_record(struct run_ctx *ctx, struct task_record *rec, int worker);

/* Starts/ends a task: records worker and times, creates/destroys the workload's task state.
 * task_begin returns 0 or the negative status the task already failed with. */
int task_begin(struct run_ctx *ctx, struct task_ctx *t, int index, int worker);
int task_begin_record(struct run_ctx *ctx, struct task_ctx *t, struct task_record *rec, int worker);
void task_end(struct run_ctx *ctx, struct task_ctx *t);
/* Records that step t->step finished with status (0 = ok); returns 1 when the task has more
 * steps to run (t->step then names the next one), 0 when it is over. */
int task_step_done(struct run_ctx *ctx, struct task_ctx *t, int status);

/* A step of t is queued for a pool worker now: a sampled task's step_queued_s is measured from
 * here to its start (task_step_block on the worker). */
void task_queued(struct task_ctx *t);

/* A compute step's blocking face under the model's GIL (when gil=on): acquired before, released
 * after, so waits never hold it. Any other step runs as it is. */
int task_step_block(struct run_ctx *ctx, struct task_ctx *t);

/* The gil= and gil_interval_ms= model options: make ctx->env.gil when gil=on. 0, or -ENOMEM. */
#define GIL_OPTIONS                                                                                \
    {"gil",                                                                                        \
     PARAM_CHOICE,                                                                                 \
     "off",                                                                                        \
     0,                                                                                            \
     0,                                                                                            \
     "off|on",                                                                                     \
     "on = one interpreter-like lock held by every compute step, handed over every "               \
     "gil_interval_ms (Python's GIL)",                                                             \
     0},                                                                                           \
    {                                                                                              \
        "gil_interval_ms", PARAM_INT, "5", 1, 10000, NULL,                                         \
            "with gil=on: how long a compute step keeps the lock while others wait (CPython: 5)",  \
            0                                                                                      \
    }
int run_gil_setup(struct run_ctx *ctx, const struct param_spec *options);
/* 1 when options has gil= and opts say gil=on. */
int run_gil_on(const struct param_set *opts, const struct param_spec *options);
void run_gil_free(struct run_ctx *ctx);
/* Reads this process's PSS (/proc/self/smaps_rollup) and page-table size (VmPTE) into ctx, once:
 * runners call it when every task is done but before they free the tasks' state, so the figures
 * show what the tasks held; the harness calls it after run() for runners that did not. */
void run_memory_probe(struct run_ctx *ctx);
/* This process's resident memory now (VmRSS, KiB), or -1. */
double run_rss_kib(void);

/* Formats "what: strerror (limit hint)" for a failed thread/process/resource creation. */
void run_limit_error(struct run_ctx *ctx, const char *what, int err, int done, int wanted);
/* The same for a thread that could not be created with a stack of stack_bytes: EAGAIN is told
 * apart into the stack's memory (RLIMIT_AS) and the number of threads (RLIMIT_NPROC). */
void run_thread_error(struct run_ctx *ctx, const char *what, int err, int done, int wanted,
                      size_t stack_bytes);

#endif
