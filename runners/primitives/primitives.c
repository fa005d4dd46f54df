/* The table of primitives and the calibrated timing loop around each. */
#include "runners/primitives/primitives.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include "common/die_with_parent.h"
#include "common/proc_status.h"

#include "runners/green/green.h"

#define PRIM_PROBE_MIN_S 0.01 /* a probe must last this long before it is scaled */
#define PRIM_MAX_OPS     1000000000LL

const struct prim prims[] = {
    {"pthread_spawn", "spawn", "pthreads", "pthread_create + pthread_join of a no-op thread",
     prim_pthread_spawn, NULL, NULL, 0},
    {"pthread_spawn10", "spawn", "raw",
     "10 pthread_create of no-op threads (the runner's stack size), then 10 joins; per thread",
     prim_pthread_spawn_batch, NULL, NULL, 0},
    {"pthreads_task", "spawn", "pthreads",
     "one task of the pthreads runner, noop workload, 10 tasks per run() as `run -n 10`",
     prim_pthreads_task, "pthread_spawn10", NULL, 0},
    {"fork_spawn", "spawn", "processes", "fork + _exit(0) in the child + waitpid", prim_fork_spawn,
     NULL, NULL, 0},
    {"fork_spawn10", "spawn", "raw",
     "10 forks of children that _exit(0), then 10 waitpid; per child", prim_fork_spawn_batch, NULL,
     NULL, 0},
    {"processes_task", "spawn", "processes",
     "one task of the processes runner, noop workload, 10 tasks per run() as `run -n 10`",
     prim_processes_task, "fork_spawn10", NULL, 0},
    {"green_spawn", "spawn", "green",
     "green_spawn + running a no-op coroutine to its end (batches of 64, default stacks)",
     prim_green_spawn, NULL, NULL, 0},
    {"uv_work_round", "spawn", "evloop",
     "uv_queue_work of a no-op on libuv's pool + its callback back on the loop", prim_uv_work_round,
     NULL, NULL, 0},
    {"exec_spawn10", "spawn", "raw",
     "10 fork + exec of the mpi model's rank program that exits at once (libmpi loaded, never "
     "started), then 10 waitpid; per process",
     prim_exec_spawn_batch, NULL, NULL, PRIM_MODEL_BATCH},
    {"mpi_spawn", "spawn", "mpi",
     "mpirun of 10 ranks on this machine (oversubscribed past its CPUs), each past MPI_Init, "
     "then MPI_Finalize and out; per rank",
     prim_mpi_spawn, "exec_spawn10", NULL, PRIM_MODEL_BATCH},
#ifdef CONCBENCH_HAVE_OPENMP
    {"omp_parallel_region", "spawn", "openmp",
     "enter and leave an empty `omp parallel` region (team of OMP_NUM_THREADS or one per CPU, "
     "kept by libgomp between regions): the team woken, the implicit barrier",
     prim_omp_parallel_region, NULL, NULL, 0},
#endif
    {"swapcontext", "switch", "raw", "glibc swapcontext between two contexts (one way)",
     prim_swapcontext, NULL, NULL, 0},
    {"green_switch", "switch", "green", "green_ctx_switch between two contexts (one way)",
     prim_green_switch, "swapcontext", green_ctx_impl, 0},
    {"green_yield_copy", "switch", "green",
     "one coroutine yields to another through the hub, stack=copy (frames copied out and in)",
     prim_green_yield_copy, NULL, NULL, 0},
    {"green_yield_separate", "switch", "green",
     "one coroutine yields to another through the hub, stack=separate", prim_green_yield_separate,
     NULL, NULL, 0},
    {"thread_pipe_switch", "switch", "pthreads",
     "two threads ping-pong one byte over two pipes (one way)", prim_thread_pipe_switch, NULL, NULL,
     0},
    {"process_pipe_switch", "switch", "processes",
     "two processes ping-pong one byte over two pipes (one way; lmbench lat_ctx style)",
     prim_process_pipe_switch, NULL, NULL, 0},
    {"futex_wake", "wake", "raw",
     "two threads wake each other through a futex word (FUTEX_WAKE, FUTEX_WAIT): one round trip",
     prim_futex_wake, NULL, NULL, 0},
    {"mn_wake", "wake", "green",
     "green:sched=mn, 2 workers: a coroutine pinned on one wakes one pinned on the other, which "
     "wakes it back: one round trip (home list, kick of an idle worker: futex + eventfd)",
     prim_mn_wake, "futex_wake", NULL, 0},
    {"mn_steal", "wake", "green",
     "green:sched=mn, 2 workers: a wake pushes a coroutine on a busy worker's deque; time until "
     "the idle worker, kicked, has stolen it and runs it",
     prim_mn_steal, NULL, NULL, 0},
    {"uv_timer", "timer", "evloop", "uv_timer_start(0 ms) + one uv_run that fires it",
     prim_uv_timer, NULL, NULL, 0},
    {"nanosleep", "timer", "raw",
     "nanosleep(1 ns): the shortest sleep, timer slack included (prctl PR_GET_TIMERSLACK)",
     prim_nanosleep, NULL, NULL, 0},
    {"timerfd", "timer", "raw", "timerfd_settime(1 ns) + read until it fires", prim_timerfd, NULL,
     NULL, 0},
    {0},
};

const struct prim *prim_find(const char *name)
{
    for (const struct prim *p = prims; p->name != NULL; p++)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

/* n rounded up to whole launches of p (p->launch processes each), when it launches. */
static long long whole_launches(const struct prim *p, long long n)
{
    return p->launch > 1 ? (n + p->launch - 1) / p->launch * p->launch : n;
}

/* The smallest power-of-4 count (times p->launch) that lasts PRIM_PROBE_MIN_S (or target_s),
 * timed twice, the faster scaled to target_s. One operation first, unmeasured: the first thread
 * or fork pays for setting things up. */
static int prim_calibrate(const struct prim *p, double target_s, long long *n, char *err,
                          size_t errlen)
{
    double t = 0, probe_min = target_s / 4 < PRIM_PROBE_MIN_S ? target_s / 4 : PRIM_PROBE_MIN_S;
    long long k = whole_launches(p, 1);
    int rc = p->time(k, &t, err, errlen);

    for (; rc == 0; k *= 4) {
        rc = p->time(k, &t, err, errlen);
        if (rc < 0 || t >= probe_min || k >= PRIM_MAX_OPS / 4)
            break;
    }
    if (rc == 0) { /* once more: one hiccup of a busy machine must not shrink every run */
        double again = 0;
        rc = p->time(k, &again, err, errlen);
        t = again < t ? again : t;
    }
    if (rc < 0)
        return rc;
    *n = (long long)((double)k * target_s / (t > 0 ? t : 1e-9));
    if (*n < 1)
        *n = 1;
    if (*n > PRIM_MAX_OPS)
        *n = PRIM_MAX_OPS;
    *n = whole_launches(p, *n);
    return 0;
}

static double tv_ns(struct timeval tv)
{
    return (double)tv.tv_sec * 1e9 + (double)tv.tv_usec * 1e3;
}

/* Both processes' usage: ours (every thread) and our waited-for children's. */
static void usage_now(struct rusage *self, struct rusage *kids)
{
    getrusage(RUSAGE_SELF, self);
    getrusage(RUSAGE_CHILDREN, kids);
}

static void usage_per_op(struct prim_sample *s, const struct rusage a[2], const struct rusage b[2],
                         long long n)
{
    double ops = (double)n;

    s->user_ns = 0;
    s->sys_ns = 0;
    s->ctx_voluntary = 0;
    s->ctx_involuntary = 0;
    for (int k = 0; k < 2; k++) {
        s->user_ns += (tv_ns(b[k].ru_utime) - tv_ns(a[k].ru_utime)) / ops;
        s->sys_ns += (tv_ns(b[k].ru_stime) - tv_ns(a[k].ru_stime)) / ops;
        s->ctx_voluntary += (double)(b[k].ru_nvcsw - a[k].ru_nvcsw) / ops;
        s->ctx_involuntary += (double)(b[k].ru_nivcsw - a[k].ru_nivcsw) / ops;
    }
    s->max_rss_kib = (double)(b[0].ru_maxrss > b[1].ru_maxrss ? b[0].ru_maxrss : b[1].ru_maxrss);
}

/* One timed run of n operations into s. */
static int prim_run(const struct prim *p, long long n, struct prim_sample *s, char *err,
                    size_t errlen)
{
    struct rusage a[2], b[2];
    double t;
    int rc;

    usage_now(&a[0], &a[1]);
    rc = p->time(n, &t, err, errlen);
    usage_now(&b[0], &b[1]);
    s->wall_ns = t * 1e9 / (double)n;
    usage_per_op(s, a, b, n);
    return rc;
}

static int prim_measure_here(const struct prim *p, int runs, double target_s, long long *n,
                             struct prim_sample *s, char *err, size_t errlen)
{
    int rc = prim_calibrate(p, target_s, n, err, errlen);

    for (int i = 0; rc == 0 && i < runs; i++)
        rc = prim_run(p, *n, &s[i], err, errlen);
    return rc;
}

static int prim_measure_pair_here(const struct prim *const p[2], int runs, double target_s,
                                  long long n[2], struct prim_sample *s[2], char *err,
                                  size_t errlen)
{
    int rc = 0;

    for (int k = 0; k < 2 && rc == 0; k++)
        rc = prim_calibrate(p[k], target_s, &n[k], err, errlen);
    for (int i = 0; rc == 0 && i < 2 * runs; i++)
        rc = prim_run(p[i % 2], n[i % 2], &s[i % 2][i / 2], err, errlen);
    return rc;
}

/* What the measuring child hands back, in memory shared with it. */
struct prim_job {
    int rc, done;
    long long n[2];
    char err[256];
    struct prim_sample s[]; /* runs for p[0], then runs for p[1] */
};

/* In the child: measure p[0] (count 1) or the pair (count 2) into job, never return. */
static void prim_child(const struct prim *const p[2], int count, int runs, double target_s,
                       struct prim_job *job, pid_t parent)
{
    struct prim_sample *s[2] = {job->s, job->s + runs};

    die_with_parent(parent);
    if (count == 2)
        job->rc = prim_measure_pair_here(p, runs, target_s, job->n, s, job->err, sizeof(job->err));
    else
        job->rc =
            prim_measure_here(p[0], runs, target_s, &job->n[0], s[0], job->err, sizeof(job->err));
    job->done = 1;
    _exit(0);
}

/* Every measurement runs in a fresh child, as `run` runs every repetition: a process that once
 * ran threads on both CPUs pays for cross-CPU TLB flushes on every later fork and
 * copy-on-write fault (fork_spawn measured after pthread_spawn cost ~1.5x more), and one
 * primitive's crash is an error of its own. */
static int prim_isolated(const struct prim *const p[2], int count, int runs, double target_s,
                         long long n[2], struct prim_sample *s[2], char *err, size_t errlen)
{
    size_t bytes = sizeof(struct prim_job) + 2 * (size_t)runs * sizeof(struct prim_sample);
    struct prim_job *job =
        mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pid_t parent = getpid(), pid;
    int status = 0, rc;

    if (job == MAP_FAILED)
        return prim_error(err, errlen, "mmap of the results", errno);
    fflush(NULL);
    if ((pid = fork()) < 0) {
        rc = prim_error(err, errlen, "fork of the measuring process", errno);
        munmap(job, bytes);
        return rc;
    }
    if (pid == 0)
        prim_child(p, count, runs, target_s, job, parent);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    rc = job->done ? job->rc : -ECHILD;
    if (!job->done) {
        char how[96];
        proc_status_text(status, how, sizeof(how));
        snprintf(err, errlen, "the process measuring it %s", how);
    } else {
        snprintf(err, errlen, "%s", job->err);
    }
    for (int k = 0; k < count && job->done; k++) {
        n[k] = job->n[k];
        memcpy(s[k], job->s + (size_t)k * (size_t)runs, (size_t)runs * sizeof(*job->s));
    }
    munmap(job, bytes);
    return rc;
}

int prim_measure(const struct prim *p, int runs, double target_s, long long *n,
                 struct prim_sample *s, char *err, size_t errlen)
{
    const struct prim *const one[2] = {p, NULL};
    struct prim_sample *ss[2] = {s, NULL};
    long long nn[2] = {0, 0};
    int rc = prim_isolated(one, 1, runs, target_s, nn, ss, err, errlen);

    *n = nn[0];
    return rc;
}

int prim_measure_pair(const struct prim *const p[2], int runs, double target_s, long long n[2],
                      struct prim_sample *s[2], char *err, size_t errlen)
{
    return prim_isolated(p, 2, runs, target_s, n, s, err, errlen);
}

int prim_error(char *err, size_t errlen, const char *what, int e)
{
    snprintf(err, errlen, "%s: %s", what, strerror(e));
    return -e;
}

int prim_green_new(void *loop, const struct green_config *cfg, struct green_sched **s, char *err,
                   size_t errlen)
{
    if (uv_loop_init(loop) != 0)
        return prim_error(err, errlen, "uv_loop_init", ENOMEM);
    *s = green_sched_new(loop, cfg);
    if (*s == NULL) {
        int e = errno;
        uv_loop_close(loop);
        return prim_error(err, errlen, "green_sched_new", e);
    }
    return 0;
}

void prim_green_free(void *loop, struct green_sched *s)
{
    green_sched_free(s);
    uv_loop_close(loop);
}
