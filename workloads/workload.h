#ifndef CONCBENCH_WORKLOAD_H
#define CONCBENCH_WORKLOAD_H

#include <stddef.h>
#include <uv.h>

#include "common/params.h"
#include "workloads/task.h"

/* A workload is N identical tasks; a task is a short sequence of steps.
 *
 * A compute step has only a blocking face: it runs on whatever thread or coroutine the model
 * gives it. A wait step has a blocking face (nanosleep, curl_easy_perform) and an async face that
 * starts the operation on a libuv loop and calls back once it is done (uv_timer, curl multi).
 * Sequential, pthreads and processes call blocking faces; evloop chains async faces; green
 * threads start the async face and park until the callback wakes them. */

enum step_kind { STEP_COMPUTE, STEP_WAIT };

struct task_ctx;
struct gil;
struct workload_uring;
typedef void (*step_done_fn)(struct task_ctx *t, int status);

/* What every task of a run shares, or every task on one loop (sched=mn: one per worker): a task
 * points to it once rather than keeping each field (a million parked tasks keep a million
 * task_ctx). */
struct task_env {
    struct task_table *table; /* where rec's error text and step marks go (task_fail) */
    struct gil *gil;          /* gil=on: the lock a compute step holds, yielded between pieces */
    uv_loop_t *loop;          /* the loop a wait step's async face starts on; NULL: none */
    void *loop_state;         /* the workload's per-loop state on it */
    step_done_fn done;        /* async face: called exactly once when the step finishes */
};

/* Runtime state of one task inside the process that runs it: only what differs between tasks.
 * A sampled task's in-flight times (a step's held end, its queueing for a pool worker) live in
 * its detail (task.h), the only tasks whose times are kept. */
struct task_ctx {
    const struct task_env *env;
    struct task_record *rec;
    void *state;      /* the workload's per-task state (task_init/task_fini) */
    void *owner;      /* the model's own per-task data */
    int step;         /* step under way */
    int owner_status; /* the model's own too: in what would be padding (green: a wait's result) */
};

/* What one task of a prepared workload computes, when the workload says more than its parameters:
 * cpu_bound calibrated to a target time repeats its operation `count` times per task. */
struct workload_calibration {
    double target_ms; /* the time per task asked for; 0 when the count was given, not calibrated */
    long long count;  /* how many times one task repeats its operation */
    double op_ms;   /* one operation as calibration timed it (the fastest of `timings`); 0: none */
    int timings;    /* how many times calibration ran the operation */
    char task[160]; /* what one task computes, in words: "7777**200000, 27 times" */
};

struct workload {
    const char *name;
    const char *summary;
    const struct param_spec *params;

    /* Before timing: read the parameters, refuse impossible ones, compute what a correct
     * task returns. Returns 0 or -1 with a message in err. */
    int (*prepare)(const struct param_set *params, void **instance, char *err, size_t errlen);
    void (*release)(void *instance);

    int (*steps)(const void *instance);
    enum step_kind (*step_kind)(const void *instance, int step);

    /* Optional per-task state, created and destroyed in the process that runs the task. */
    int (*task_init)(void *instance, struct task_ctx *t);
    void (*task_fini)(void *instance, struct task_ctx *t);

    /* Optional per-loop state for async faces (e.g. one curl multi handle per loop). */
    int (*loop_init)(void *instance, uv_loop_t *loop, void **loop_state);
    void (*loop_fini)(void *instance, void *loop_state);

    /* Blocking face of any step. Returns 0, or a negative code with the error recorded with
     * task_fail. */
    int (*step_block)(void *instance, struct task_ctx *t);
    /* Async face of a wait step: start it on t->env->loop and return 0; t->env->done(t, status)
     * is called once later. A negative return means it did not start and done will not be called.
     */
    int (*step_start)(void *instance, struct task_ctx *t);

    /* After a repetition: is this task's record correct? 0, or -1 with a reason in err. */
    int (*check)(const void *instance, const struct task_record *rec, char *err, size_t errlen);

    /* Optional: after prepare, what one task computes (results files keep it as the case's
     * "calibration"). Returns 0 when it filled out, -1 when there is nothing to say. */
    int (*calibration)(const void *instance, struct workload_calibration *out);

    /* Optional: a KEY=VALUE that makes a prepare in another process (an MPI rank) use what this
     * instance set up rather than set it up again: io_bound's server=<embedded server's URL>.
     * Returns 0 when it wrote one, -1 when there is none. */
    int (*share)(const void *instance, char *kv, size_t len);

    /* 1 when its waits are cancellation points (wait_timer.h: run --cancel-after). */
    int cancellable;

    /* Optional: its wait steps as io_uring requests (workloads/uring_face.h), for the uring
     * model; NULL = none, or a build without liburing. */
    const struct workload_uring *uring;
};

extern const struct workload *const workloads[];
const struct workload *workload_find(const char *name);

#endif
