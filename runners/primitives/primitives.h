#ifndef CONCBENCH_PRIMITIVES_H
#define CONCBENCH_PRIMITIVES_H

#include <stddef.h>

/* The building blocks of the models, timed one at a time next to the raw system calls they rest
 * on (`concbench primitives`): spawning and joining a task that does nothing, switching between
 * two tasks, arming a timer and waiting for it. Measuring only: printing and files are the
 * command's. */

struct prim {
    const char *name;  /* "pthread_spawn": the case is workload "primitive:<name>" */
    const char *group; /* "spawn", "switch", "wake" or "timer" */
    const char *model; /* the model it is a building block of, or "raw" */
    const char *what;  /* one line: what one operation is */
    /* Times n operations into *seconds: 0, or a negative errno with a message in err. */
    int (*time)(long long n, double *seconds, char *err, size_t errlen);
    /* a model's own path (a runner's task, green's switch): the raw primitive it is compared
     * with, their runs alternating; else NULL */
    const char *vs;
    const char *(*impl)(void); /* which implementation this build has, where it has a choice */
    /* 0, or the processes one operation's launch starts (mpi_spawn: PRIM_MODEL_BATCH): then
     * measured only when --only names it (mpirun takes seconds), n always whole launches */
    int launch;
};

extern const struct prim prims[]; /* ends with a NULL name */

/* prim_spawn.c, prim_switch.c, prim_timer.c */
int prim_pthread_spawn(long long n, double *seconds, char *err, size_t errlen);
int prim_fork_spawn(long long n, double *seconds, char *err, size_t errlen);
int prim_green_spawn(long long n, double *seconds, char *err, size_t errlen);
int prim_uv_work_round(long long n, double *seconds, char *err, size_t errlen);
/* prim_openmp.c (built with OpenMP only) */
int prim_omp_parallel_region(long long n, double *seconds, char *err, size_t errlen);
/* prim_mpi.c: mpirun of PRIM_MODEL_BATCH ranks past MPI_Init and out again; the same number of
 * fork + exec of the rank program that exits at once. Per rank, whole launches of ten. */
int prim_mpi_spawn(long long n, double *seconds, char *err, size_t errlen);
int prim_exec_spawn_batch(long long n, double *seconds, char *err, size_t errlen);
/* prim_model.c: one task of the pthreads or processes runner on the noop workload (an operation
 * is one task; the runner runs PRIM_MODEL_BATCH of them at a time, as `run -n 10` does). */
#define PRIM_MODEL_BATCH 10
/* prim_spawn.c: the same shape without the runner: 10 no-op threads (the runner's stack size) or
 * children created, then all joined. */
int prim_pthread_spawn_batch(long long n, double *seconds, char *err, size_t errlen);
int prim_fork_spawn_batch(long long n, double *seconds, char *err, size_t errlen);
int prim_pthreads_task(long long n, double *seconds, char *err, size_t errlen);
int prim_processes_task(long long n, double *seconds, char *err, size_t errlen);
int prim_green_switch(long long n, double *seconds, char *err, size_t errlen);
int prim_swapcontext(long long n, double *seconds, char *err, size_t errlen);
int prim_green_yield_copy(long long n, double *seconds, char *err, size_t errlen);
int prim_green_yield_separate(long long n, double *seconds, char *err, size_t errlen);
int prim_thread_pipe_switch(long long n, double *seconds, char *err, size_t errlen);
int prim_process_pipe_switch(long long n, double *seconds, char *err, size_t errlen);
/* prim_mn.c: the M:N scheduler's cross-worker wake and steal, and the raw futex wake. */
int prim_futex_wake(long long n, double *seconds, char *err, size_t errlen);
int prim_mn_wake(long long n, double *seconds, char *err, size_t errlen);
int prim_mn_steal(long long n, double *seconds, char *err, size_t errlen);
int prim_uv_timer(long long n, double *seconds, char *err, size_t errlen);
int prim_nanosleep(long long n, double *seconds, char *err, size_t errlen);
int prim_timerfd(long long n, double *seconds, char *err, size_t errlen);

/* One timed run, per operation: wall, CPU (this process and its waited-for children) and
 * context switches; and the peak RSS of the largest process so far. */
struct prim_sample {
    double wall_ns, user_ns, sys_ns;
    double ctx_voluntary, ctx_involuntary;
    double max_rss_kib;
};

/* Finds n operations that take about target_s (one unmeasured operation first, then probing
 * from 1 up), then times runs runs of n into s[0..runs). Returns 0, or a negative errno with
 * err. */
int prim_measure(const struct prim *p, int runs, double target_s, long long *n,
                 struct prim_sample *s, char *err, size_t errlen);
/* The same for two primitives at once, their runs alternating (a, b, a, b...), so that a busy
 * machine's drift falls on both alike: for a model's path next to its raw primitive. */
int prim_measure_pair(const struct prim *const p[2], int runs, double target_s, long long n[2],
                      struct prim_sample *s[2], char *err, size_t errlen);
const struct prim *prim_find(const char *name);

/* Shared by the primitives: "what: strerror(e)" into err, returns -e. */
int prim_error(char *err, size_t errlen, const char *what, int e);
/* A loop and a green scheduler on it: 0, or a negative errno with err (nothing to free then). */
struct green_config;
struct green_sched;
int prim_green_new(void *loop, const struct green_config *cfg, struct green_sched **s, char *err,
                   size_t errlen);
void prim_green_free(void *loop, struct green_sched *s);

#endif
