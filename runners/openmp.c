/* openmp: the tasks as OpenMP work on a team of threads (GCC's libgomp). By default one parallel
 * region shares the task indices out with `omp for schedule(dynamic, 1)`, each team thread taking
 * the next index as it becomes free, as the pthreads pool takes its shared counter; with
 * mode=tasks one thread of the team (`omp single`) creates an `omp task` per task and the whole
 * team runs them, the producer too once it is done producing. Every step runs its blocking face
 * in the team (sleep and io_bound block a team thread, as in the pthreads pool). The team has
 * -j threads, else OMP_NUM_THREADS, else one per CPU (libgomp's default); without -j the case's
 * warnings say which size it ran with, so the results file records it. Built only with OpenMP
 * (CMake's FindOpenMP, -fopenmp): runners/registry.c lists it then. */
#include <errno.h>
#include <omp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runners/runner.h"

/* ThreadSanitizer does not see libgomp's barriers and task queue (libgomp is not built with it),
 * so it would take the team's hand-offs for races. They are announced to it instead: whoever hands
 * work over releases, whoever takes it acquires. Reports from inside libgomp (its own allocator
 * and queues, where no code of ours runs) are left out. Elsewhere these compile to nothing. */
#if defined(__SANITIZE_THREAD__)
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
const char *__tsan_default_suppressions(void);
const char *__tsan_default_suppressions(void)
{
    return "race:libgomp.so\n";
}
#define HANDOFF_GIVE(p) __tsan_release(p)
#define HANDOFF_TAKE(p) __tsan_acquire(p)
#else
#define HANDOFF_GIVE(p) ((void)(p))
#define HANDOFF_TAKE(p) ((void)(p))
#endif

static const struct param_spec openmp_options[] = {
    {"mode", PARAM_CHOICE, "for", 0, 0, "for|tasks",
     "for = one parallel region, `omp for schedule(dynamic, 1)` over the task indices; tasks = "
     "one thread creates an `omp task` per task (`omp single`), the team runs them",
     0},
    {0},
};

/* libgomp exits the process ("Thread creation failed") when it cannot start its team. The team's
 * threads are tried first as libgomp makes them (the default thread stack, or OMP_STACKSIZE),
 * so that a limit is named in the case instead; they are joined before the region starts. */
static void *probe_thread(void *arg)
{
    char c;

    while (read(*(int *)arg, &c, 1) < 0 && errno == EINTR)
        ;
    return NULL;
}

static size_t omp_stack_bytes(void)
{
    const char *env = getenv("OMP_STACKSIZE");
    pthread_attr_t attr;
    size_t bytes = 0;

    if (env != NULL && env[0] != '\0') {
        char *end;
        unsigned long long v = strtoull(env, &end, 10);
        switch (*end) { /* OpenMP: a number with B, K (the default), M or G */
        case 'B':
        case 'b':
            break;
        case 'M':
        case 'm':
            v <<= 20;
            break;
        case 'G':
        case 'g':
            v <<= 30;
            break;
        default:
            v <<= 10;
            break;
        }
        return (size_t)v;
    }
    pthread_attr_init(&attr);
    pthread_attr_getstacksize(&attr, &bytes);
    pthread_attr_destroy(&attr);
    return bytes;
}

static int team_probe(struct run_ctx *ctx, int team)
{
    size_t stack = omp_stack_bytes();
    pthread_t *threads = calloc((size_t)team, sizeof(*threads));
    pthread_attr_t attr;
    int started = 0, rc = 0, hold[2];

    if (threads == NULL) {
        run_limit_error(ctx, "allocating the OpenMP team", ENOMEM, 0, team);
        return -ENOMEM;
    }
    if (pipe(hold) != 0) {
        rc = errno;
        run_limit_error(ctx, "starting the OpenMP team: pipe", rc, 0, team);
        free(threads);
        return -rc;
    }
    pthread_attr_init(&attr);
    if (stack > 0)
        pthread_attr_setstacksize(&attr, stack);
    /* the calling thread is the team's thread 0: team - 1 more */
    for (; started < team - 1 && rc == 0; started += rc == 0)
        rc = pthread_create(&threads[started], &attr, probe_thread, &hold[0]);
    if (rc != 0)
        run_thread_error(ctx, "starting the OpenMP team: pthread_create", rc, started + 1, team,
                         stack);
    close(hold[1]);
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    close(hold[0]);
    pthread_attr_destroy(&attr);
    free(threads);
    return -rc;
}

static void run_for(struct run_ctx *ctx, int team)
{
    int tasks = ctx->tasks;

    HANDOFF_GIVE(ctx);
#pragma omp parallel num_threads(team)
    {
        int me = omp_get_thread_num();

        HANDOFF_TAKE(ctx);
#pragma omp for schedule(dynamic, 1)
        for (int i = 0; i < tasks; i++)
            task_run_blocking(ctx, i, me);
        HANDOFF_GIVE(ctx);
    }
    HANDOFF_TAKE(ctx);
}

static void run_tasks(struct run_ctx *ctx, int team)
{
    int tasks = ctx->tasks;

    HANDOFF_GIVE(ctx);
#pragma omp parallel num_threads(team)
    {
        HANDOFF_TAKE(ctx);
#pragma omp single
        for (int i = 0; i < tasks; i++) {
            HANDOFF_GIVE(ctx);
#pragma omp task firstprivate(i)
            {
                HANDOFF_TAKE(ctx);
                task_run_blocking(ctx, i, omp_get_thread_num());
                HANDOFF_GIVE(ctx);
            }
        }
        HANDOFF_GIVE(ctx);
    }
    HANDOFF_TAKE(ctx);
}

static int openmp_run(struct run_ctx *ctx)
{
    int tasks_mode = strcmp(params_str(ctx->opts, openmp_options, "mode"), "tasks") == 0;
    const char *env = getenv("OMP_NUM_THREADS");
    int team, rc;

    omp_set_dynamic(0); /* exactly the team asked for, not fewer when the machine is busy */
    team = ctx->workers > 0 ? ctx->workers : omp_get_max_threads();
    if (team < 1)
        team = 1;
    if (ctx->workers <= 0)
        snprintf(ctx->warning, sizeof(ctx->warning), "OpenMP team of %d thread%s (%s%s)", team,
                 team == 1 ? "" : "s", env != NULL ? "OMP_NUM_THREADS=" : "one per CPU",
                 env != NULL ? env : "; -j or OMP_NUM_THREADS sets it");
    rc = team_probe(ctx, team);
    if (rc < 0)
        return rc;
    if (tasks_mode)
        run_tasks(ctx, team);
    else
        run_for(ctx, team);
    return 0;
}

const struct runner runner_openmp = {
    .name = "openmp",
    .summary = "an OpenMP team (libgomp): omp for schedule(dynamic) over the tasks, or omp tasks",
    .options = openmp_options,
    .run = openmp_run,
    .pool = 1,
    .compute = RUNNER_COMPUTE_THREADS,
    .parallel = runner_parallel_always,
};
