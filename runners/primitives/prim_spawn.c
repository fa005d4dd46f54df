/* Spawn primitives: create a task that does nothing and wait for its end, per model. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include "common/clock.h"
#include "runners/green/green.h"
#include "runners/primitives/primitives.h"
#include "runners/runner.h"

#define PRIM_GREEN_BATCH 64

static void *noop_thread(void *arg)
{
    return arg;
}

int prim_pthread_spawn(long long n, double *seconds, char *err, size_t errlen)
{
    double t0 = clock_now_s();

    for (long long i = 0; i < n; i++) {
        pthread_t t;
        int rc = pthread_create(&t, NULL, noop_thread, NULL);
        if (rc != 0)
            return prim_error(err, errlen, "pthread_create", rc);
        pthread_join(t, NULL);
    }
    *seconds = clock_now_s() - t0;
    return 0;
}

int prim_fork_spawn(long long n, double *seconds, char *err, size_t errlen)
{
    double t0 = clock_now_s();

    for (long long i = 0; i < n; i++) {
        int status;
        pid_t pid = fork();
        if (pid < 0)
            return prim_error(err, errlen, "fork", errno);
        if (pid == 0)
            _exit(0);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    *seconds = clock_now_s() - t0;
    return 0;
}

/* The runner's thread stack size (its stack_kib default), so that the batch below differs from
 * the pthreads runner only by the runner's own work. */
static size_t runner_stack_bytes(void)
{
    extern const struct runner runner_pthreads;
    struct param_set none = {0};

    return (size_t)params_int(&none, runner_pthreads.options, "stack_kib") * 1024;
}

int prim_pthread_spawn_batch(long long n, double *seconds, char *err, size_t errlen)
{
    pthread_t t[PRIM_MODEL_BATCH];
    pthread_attr_t attr;
    size_t stack = runner_stack_bytes();
    double t0;
    int rc = 0;

    pthread_attr_init(&attr);
    if (stack > 0)
        pthread_attr_setstacksize(&attr, stack);
    t0 = clock_now_s();
    for (long long done = 0; done < n && rc == 0; done += PRIM_MODEL_BATCH) {
        int k = 0, want = n - done < PRIM_MODEL_BATCH ? (int)(n - done) : PRIM_MODEL_BATCH;
        for (; k < want && rc == 0; k++)
            if ((rc = pthread_create(&t[k], &attr, noop_thread, NULL)) != 0)
                k--;
        for (int i = 0; i < k; i++)
            pthread_join(t[i], NULL);
    }
    *seconds = clock_now_s() - t0;
    pthread_attr_destroy(&attr);
    return rc != 0 ? prim_error(err, errlen, "pthread_create", rc) : 0;
}

int prim_fork_spawn_batch(long long n, double *seconds, char *err, size_t errlen)
{
    pid_t kids[PRIM_MODEL_BATCH];
    double t0 = clock_now_s();
    int e = 0;

    for (long long done = 0; done < n && e == 0; done += PRIM_MODEL_BATCH) {
        int k = 0, want = n - done < PRIM_MODEL_BATCH ? (int)(n - done) : PRIM_MODEL_BATCH;
        for (; k < want; k++) {
            if ((kids[k] = fork()) < 0) {
                e = errno;
                break;
            }
            if (kids[k] == 0)
                _exit(0);
        }
        for (int i = 0; i < k; i++)
            while (waitpid(kids[i], NULL, 0) < 0 && errno == EINTR)
                ;
    }
    *seconds = clock_now_s() - t0;
    return e != 0 ? prim_error(err, errlen, "fork", e) : 0;
}

static void noop_coroutine(void *arg)
{
    (void)arg;
}

int prim_green_spawn(long long n, double *seconds, char *err, size_t errlen)
{
    struct green_config cfg = {
        .stack_size = 128 * 1024, .guard = -1, .copy_stack = green_copy_stack_supported()};
    struct green_sched *s;
    uv_loop_t loop;
    double t0;
    int rc = 0;

    if ((rc = prim_green_new(&loop, &cfg, &s, err, errlen)) != 0)
        return rc;
    t0 = clock_now_s();
    for (long long done = 0; done < n && rc == 0;) {
        long long batch = n - done < PRIM_GREEN_BATCH ? n - done : PRIM_GREEN_BATCH;
        for (long long i = 0; i < batch && rc == 0; i++)
            rc = green_spawn(s, noop_coroutine, NULL);
        if (rc == 0)
            rc = green_sched_run(s);
        done += batch;
    }
    *seconds = clock_now_s() - t0;
    prim_green_free(&loop, s);
    return rc < 0 ? prim_error(err, errlen, "green_spawn", -rc) : 0;
}

static void noop_work(uv_work_t *req)
{
    (void)req;
}

static void work_done(uv_work_t *req, int status)
{
    *(int *)req->data = status < 0 ? status : 1;
}

int prim_uv_work_round(long long n, double *seconds, char *err, size_t errlen)
{
    uv_loop_t loop;
    uv_work_t req;
    int done = 0, rc = 0;
    double t0;

    if (uv_loop_init(&loop) != 0)
        return prim_error(err, errlen, "uv_loop_init", ENOMEM);
    req.data = &done;
    t0 = clock_now_s();
    for (long long i = 0; i < n && rc == 0; i++) {
        done = 0;
        rc = uv_queue_work(&loop, &req, noop_work, work_done);
        if (rc == 0)
            uv_run(&loop, UV_RUN_DEFAULT);
        if (rc == 0 && done < 0)
            rc = done;
    }
    *seconds = clock_now_s() - t0;
    uv_loop_close(&loop);
    return rc < 0 ? prim_error(err, errlen, "uv_queue_work", -rc) : 0;
}
