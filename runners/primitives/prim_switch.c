/* Switch primitives: two tasks hand control to each other; the cost of one hand-over.
 *
 * green_switch and swapcontext: two contexts ping-pong, main switching to a partner that switches
 * straight back (one round trip is two switches), with green_ctx_switch (the green runner's
 * switch: only callee-saved registers) or glibc's swapcontext (which also saves the signal mask
 * with a system call). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>
#include <uv.h>

#include "common/clock.h"
#include "runners/green/green.h"
#include "runners/primitives/primitives.h"

#define SC_STACK (64 * 1024)

/* ---- green_ctx_switch ---- */

struct sc_green {
    struct green_ctx *main, *partner;
};

static void sc_green_partner(void *arg)
{
    struct sc_green *p = arg;

    for (;;)
        green_ctx_switch(p->partner, p->main);
}

/* Seconds for n round trips. */
static double sc_green_run(struct sc_green *p, long long n)
{
    double t0 = clock_now_s();

    for (long long i = 0; i < n; i++)
        green_ctx_switch(p->main, p->partner);
    return clock_now_s() - t0;
}

/* ---- swapcontext ---- */

static ucontext_t sc_uc_main, sc_uc_partner;

static void sc_uc_partner_fn(void)
{
    for (;;)
        swapcontext(&sc_uc_partner, &sc_uc_main);
}

/* Separate from its caller: gcc treats getcontext as returning twice (like setjmp), which
 * would put every local of the caller under suspicion of being clobbered. */
__attribute__((noinline)) static int sc_uc_setup(void *stack, size_t size)
{
    if (getcontext(&sc_uc_partner) != 0)
        return -1;
    sc_uc_partner.uc_stack.ss_sp = stack;
    sc_uc_partner.uc_stack.ss_size = size;
    sc_uc_partner.uc_link = NULL;
    makecontext(&sc_uc_partner, sc_uc_partner_fn, 0);
    return 0;
}

static double sc_uc_run(long long n)
{
    double t0 = clock_now_s();

    for (long long i = 0; i < n; i++)
        swapcontext(&sc_uc_main, &sc_uc_partner);
    return clock_now_s() - t0;
}

/* ---- the pair: set up once per operation count ---- */

struct sc_pair {
    struct sc_green g;
    void *stack_g, *stack_u;
};

static void sc_pair_free(struct sc_pair *p);

static struct sc_pair *sc_pair_new(void)
{
    struct sc_pair *p = calloc(1, sizeof(*p));

    if (p == NULL)
        return NULL;
    p->stack_g = mmap(NULL, SC_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p->stack_u = mmap(NULL, SC_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p->g.main = aligned_alloc(16, (green_ctx_size() + 15) / 16 * 16);
    p->g.partner = aligned_alloc(16, (green_ctx_size() + 15) / 16 * 16);
    if (p->stack_g == MAP_FAILED || p->stack_u == MAP_FAILED || p->g.main == NULL ||
        p->g.partner == NULL || sc_uc_setup(p->stack_u, SC_STACK) != 0) {
        sc_pair_free(p);
        return NULL;
    }
    green_ctx_make(p->g.partner, p->stack_g, SC_STACK, sc_green_partner, &p->g);
    return p;
}

/* The partners are parked mid-switch on their stacks; nothing to unwind. */
static void sc_pair_free(struct sc_pair *p)
{
    if (p == NULL)
        return;
    if (p->stack_g != MAP_FAILED && p->stack_g != NULL)
        munmap(p->stack_g, SC_STACK);
    if (p->stack_u != MAP_FAILED && p->stack_u != NULL)
        munmap(p->stack_u, SC_STACK);
    free(p->g.main);
    free(p->g.partner);
    free(p);
}

static double sc_pair_time(struct sc_pair *p, int which, long long n)
{
    return which == 0 ? sc_green_run(&p->g, n) : sc_uc_run(n);
}

/* n one-way switches are n / 2 round trips of the ping-pong. */
static int sw_pair(int which, long long n, double *seconds, char *err, size_t errlen)
{
    struct sc_pair *p = sc_pair_new();
    long long trips = n / 2 > 0 ? n / 2 : 1;

    if (p == NULL)
        return prim_error(err, errlen, "setting up two contexts", ENOMEM);
    *seconds = sc_pair_time(p, which, trips) * (double)n / (2.0 * (double)trips);
    sc_pair_free(p);
    return 0;
}

int prim_green_switch(long long n, double *seconds, char *err, size_t errlen)
{
    return sw_pair(0, n, seconds, err, errlen);
}

int prim_swapcontext(long long n, double *seconds, char *err, size_t errlen)
{
    return sw_pair(1, n, seconds, err, errlen);
}

static void yielder(void *arg)
{
    long long *left = arg;

    while (--*left >= 0)
        green_yield();
}

/* Two coroutines yield in turns: every yield hands the run stack to the other one. */
static int sw_yield(int copy, long long n, double *seconds, char *err, size_t errlen)
{
    struct green_config cfg = {.stack_size = 64 * 1024, .guard = 1, .copy_stack = copy};
    long long left[2] = {n / 2, n - n / 2};
    struct green_sched *s;
    uv_loop_t loop;
    double t0;
    int rc;

    if (copy && !green_copy_stack_supported())
        return prim_error(err, errlen, "stack=copy in this build", ENOTSUP);
    if ((rc = prim_green_new(&loop, &cfg, &s, err, errlen)) != 0)
        return rc;
    t0 = clock_now_s();
    rc = green_spawn(s, yielder, &left[0]);
    if (rc == 0)
        rc = green_spawn(s, yielder, &left[1]);
    if (rc == 0)
        rc = green_sched_run(s);
    *seconds = clock_now_s() - t0;
    prim_green_free(&loop, s);
    return rc < 0 ? prim_error(err, errlen, "green coroutines", -rc) : 0;
}

int prim_green_yield_copy(long long n, double *seconds, char *err, size_t errlen)
{
    return sw_yield(1, n, seconds, err, errlen);
}

int prim_green_yield_separate(long long n, double *seconds, char *err, size_t errlen)
{
    return sw_yield(0, n, seconds, err, errlen);
}

/* One side of a pipe ping-pong: read a byte from in, write it to out, trips times. */
static int pong(int in, int out, long long trips, int first)
{
    char c = 'x';

    for (long long i = 0; i < trips; i++) {
        if (!first && read(in, &c, 1) != 1)
            return -1;
        if (write(out, &c, 1) != 1)
            return -1;
        if (first && read(in, &c, 1) != 1)
            return -1;
    }
    return 0;
}

struct pipe_partner {
    int in, out;
    long long trips;
};

static void *pong_thread(void *arg)
{
    struct pipe_partner *p = arg;

    pong(p->in, p->out, p->trips, 0);
    return NULL;
}

/* Two pipes between two threads (process = 0) or processes; n one-way hand-overs. */
static int sw_pipes(int process, long long n, double *seconds, char *err, size_t errlen)
{
    int ab[2], ba[2], rc = 0, started = 0;
    long long trips = n / 2 > 0 ? n / 2 : 1;
    struct pipe_partner p;
    pthread_t t;
    pid_t pid = -1;
    double t0;

    if (pipe(ab) != 0)
        return prim_error(err, errlen, "pipe", errno);
    if (pipe(ba) != 0) {
        close(ab[0]);
        close(ab[1]);
        return prim_error(err, errlen, "pipe", errno);
    }
    /* The partner answers one round trip more: the first, untimed, waits until it runs. */
    p = (struct pipe_partner){ab[0], ba[1], trips + 1};
    if (process) {
        pid = fork();
        if (pid == 0)
            _exit(pong(p.in, p.out, p.trips, 0) == 0 ? 0 : 1);
        rc = pid < 0 ? errno : 0;
    } else {
        rc = pthread_create(&t, NULL, pong_thread, &p);
        started = rc == 0;
    }
    if (rc == 0 && pong(ba[0], ab[1], 1, 1) != 0)
        rc = EPIPE;
    t0 = clock_now_s();
    if (rc == 0 && pong(ba[0], ab[1], trips, 1) != 0)
        rc = EPIPE;
    *seconds = (clock_now_s() - t0) * (double)n / (2.0 * (double)trips);
    close(ab[1]); /* a partner still waiting for a byte sees the end instead */
    if (process && pid > 0)
        waitpid(pid, NULL, 0);
    else if (!process && started)
        pthread_join(t, NULL);
    close(ab[0]);
    close(ba[0]);
    close(ba[1]);
    return rc ? prim_error(err, errlen, process ? "process ping-pong" : "thread ping-pong", rc) : 0;
}

int prim_thread_pipe_switch(long long n, double *seconds, char *err, size_t errlen)
{
    return sw_pipes(0, n, seconds, err, errlen);
}

int prim_process_pipe_switch(long long n, double *seconds, char *err, size_t errlen)
{
    return sw_pipes(1, n, seconds, err, errlen);
}
