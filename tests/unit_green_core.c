/* Green-thread core: the context switch, the hub's scheduling order, libuv integration, stacks
 * (guard pages, canaries, the vm.max_map_count budget, reuse) and deadlock detection. */
#include <errno.h>
#include <fcntl.h>
#include <fenv.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#endif

#include "common/params.h"
#include "runners/green/green.h"
#include "runners/runner.h"
#include "testutil.h"

#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(UNDER_TSAN)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif

/* ThreadSanitizer gives every fiber ~0.8 MiB and ~1 ms to create: 10,000 of them is 8 GiB. */
#ifdef UNDER_TSAN
#define MANY_SLEEPERS 200
#else
#define MANY_SLEEPERS 10000
#endif

#define TEST_TIME_LIMIT_S 300 /* the whole program; CTest's own timeout is 600 s */

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *map_stack(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    assert_true(p != MAP_FAILED);
    return p;
}

/* The raw-switch tests run frames on these stacks without telling ASan; clear what they leave
 * in the shadow, which munmap does not, before the addresses get reused. */
static void unmap_stack(void *p, size_t size)
{
#ifdef __SANITIZE_ADDRESS__
    __asan_unpoison_memory_region(p, size);
#endif
    munmap(p, size);
}

static struct green_ctx *new_ctx(void)
{
    struct green_ctx *c = aligned_alloc(16, (green_ctx_size() + 15) / 16 * 16);

    assert_non_null(c);
    return c;
}

/* ---- the raw switch ---- */

struct roundtrip {
    struct green_ctx *main, *co;
    long value;
    double fsum;
    int rounding; /* as the coroutine sees it */
    int count;
};

static void roundtrip_entry(void *arg)
{
    struct roundtrip *r = arg;
    double acc = 1.0;
    char buf[64];

    for (;;) {
        r->value = r->value * 3 + 1;
        acc = acc * 1.5 + 0.25; /* lives in a register or on this stack across switches */
        /* varargs with doubles: crashes on a misaligned stack (movaps) */
        snprintf(buf, sizeof(buf), "%.3f %d", acc, r->count);
        r->fsum = strtod(buf, NULL);
        r->rounding = fegetround();
        r->count++;
        green_ctx_switch(r->co, r->main);
    }
}

static void test_ctx_roundtrip(void **state)
{
    (void)state;
    struct roundtrip r = {0};
    size_t size = 64 * 1024;
    void *stack = map_stack(size);
    double expect = 1.0;
    long keep = 12345; /* must survive in the caller's callee-saved registers */

    r.main = new_ctx();
    r.co = new_ctx();
    assert_true(strcmp(green_ctx_impl(), "x86_64-asm") == 0 ||
                strcmp(green_ctx_impl(), "aarch64-asm") == 0 ||
                strcmp(green_ctx_impl(), "ucontext") == 0);
    green_ctx_make(r.co, stack, size, roundtrip_entry, &r);
    for (int i = 0; i < 1000; i++) {
        r.value = i;
        keep = keep * 7 % 1000003;
        green_ctx_switch(r.main, r.co);
        expect = expect * 1.5 + 0.25;
        assert_int_equal(r.value, (long)i * 3 + 1);
        assert_int_equal(r.count, i + 1);
        if (i < 20) /* before %.3f loses precision relative to the value */
            assert_true(r.fsum > expect - 0.001 && r.fsum < expect + 0.001);
    }
    {
        long check = 12345;
        for (int i = 0; i < 1000; i++)
            check = check * 7 % 1000003;
        assert_int_equal(keep, check);
    }
#if defined(__x86_64__)
    /* mxcsr is callee-saved state: each context keeps its own rounding mode. */
    assert_int_equal(fesetround(FE_UPWARD), 0);
    green_ctx_switch(r.main, r.co);
    assert_int_equal(r.rounding, FE_TONEAREST);
    assert_int_equal(fegetround(), FE_UPWARD);
    fesetround(FE_TONEAREST);
#endif
    unmap_stack(stack, size);
    free(r.main);
    free(r.co);
}

/* Three contexts in a ring: main -> a -> b -> main, values passed along. */
struct ring {
    struct green_ctx *main, *a, *b;
    int token;
};

static void ring_a(void *arg)
{
    struct ring *r = arg;

    for (;;) {
        r->token += 10;
        green_ctx_switch(r->a, r->b);
    }
}

static void ring_b(void *arg)
{
    struct ring *r = arg;

    for (;;) {
        r->token *= 2;
        green_ctx_switch(r->b, r->main);
    }
}

static void test_ctx_ring(void **state)
{
    (void)state;
    struct ring r = {.main = new_ctx(), .a = new_ctx(), .b = new_ctx()};
    size_t size = 32 * 1024;
    void *sa = map_stack(size), *sb = map_stack(size);

    green_ctx_make(r.a, sa, size, ring_a, &r);
    green_ctx_make(r.b, sb, size, ring_b, &r);
    for (int i = 0; i < 100; i++) {
        r.token = i;
        green_ctx_switch(r.main, r.a);
        assert_int_equal(r.token, (i + 10) * 2);
    }
    unmap_stack(sa, size);
    unmap_stack(sb, size);
    free(r.main);
    free(r.a);
    free(r.b);
}

/* ---- scheduling order ---- */

struct order {
    int log[64];
    int n;
    struct green_thread *g[8];
};

static void order_log(struct order *o, int v)
{
    assert_true(o->n < 64);
    o->log[o->n++] = v;
}

static void parker(void *arg)
{
    struct order *o = arg;
    int id = green_id(green_self());

    o->g[id] = green_self();
    order_log(o, id);
    green_park();
    order_log(o, 10 + id);
}

static void waker(void *arg)
{
    struct order *o = arg;

    order_log(o, 99);
    green_wake(o->g[2]);
    green_wake(o->g[0]);
    green_wake(o->g[1]);
    green_wake(o->g[1]); /* queued already: must not be queued twice */
    green_yield();
    order_log(o, 98);
}

static void test_park_wake_fifo(void **state)
{
    (void)state;
    uv_loop_t loop;
    struct order o = {0};
    struct green_config cfg = {.stack_size = 32 * 1024, .guard = 1};
    struct green_sched *s;
    int expect[] = {0, 1, 2, 99, 12, 10, 11, 98};

    assert_int_equal(uv_loop_init(&loop), 0);
    s = green_sched_new(&loop, &cfg);
    assert_non_null(s);
    for (int i = 0; i < 3; i++)
        assert_int_equal(green_spawn(s, parker, &o), 0);
    assert_int_equal(green_spawn(s, waker, &o), 0);
    assert_int_equal(green_sched_run(s), 0);
    assert_int_equal(o.n, 8);
    for (int i = 0; i < 8; i++)
        assert_int_equal(o.log[i], expect[i]);
    assert_int_equal(green_sched_live(s), 0);
    assert_int_equal(green_sched_guarded(s), 1);
    green_sched_free(s);
    assert_int_equal(uv_loop_close(&loop), 0);
}

static void yielder(void *arg)
{
    struct order *o = arg;
    int id = green_id(green_self());

    assert_ptr_equal(green_self(), green_self());
    for (int k = 0; k < 3; k++) {
        order_log(o, id * 10 + k);
        green_yield();
    }
}

/* A wake that arrives before the park is kept: the park returns at once. */
static void self_waker(void *arg)
{
    struct order *o = arg;

    green_wake(green_self());
    green_park();
    order_log(o, 77);
}

static void test_yield(void **state)
{
    (void)state;
    uv_loop_t loop;
    struct order o = {0};
    struct green_sched *s;
    int expect[] = {0, 10, 1, 11, 2, 12, 77};

    assert_int_equal(uv_loop_init(&loop), 0);
    s = green_sched_new(&loop, NULL);
    assert_non_null(s);
    assert_null(green_self());
    assert_int_equal(green_spawn(s, yielder, &o), 0);
    assert_int_equal(green_spawn(s, yielder, &o), 0);
    assert_int_equal(green_sched_run(s), 0);
    assert_int_equal(green_spawn(s, self_waker, &o), 0);
    assert_int_equal(green_sched_run(s), 0);
    assert_int_equal(o.n, 7);
    for (int i = 0; i < 7; i++)
        assert_int_equal(o.log[i], expect[i]);
    green_sched_free(s);
    assert_int_equal(uv_loop_close(&loop), 0);
}

/* ---- sleeping on libuv timers ---- */

struct sleeper {
    uv_timer_t timer;
    struct green_thread *g;
    int fired, closed;
};

static void sleeper_fired(uv_timer_t *t)
{
    struct sleeper *sl = t->data;

    sl->fired = 1;
    green_wake(sl->g);
}

static void sleeper_closed(uv_handle_t *h)
{
    struct sleeper *sl = h->data;

    sl->closed = 1;
    green_wake(sl->g);
}

/* The timer lives on the coroutine's stack, so wait for the close too before returning. */
static void green_sleep_ms(uv_loop_t *loop, uint64_t ms)
{
    struct sleeper sl = {.g = green_self()};

    assert_int_equal(uv_timer_init(loop, &sl.timer), 0);
    sl.timer.data = &sl;
    assert_int_equal(uv_timer_start(&sl.timer, sleeper_fired, ms, 0), 0);
    while (!sl.fired)
        green_park();
    uv_close((uv_handle_t *)&sl.timer, sleeper_closed);
    while (!sl.closed)
        green_park();
}

struct sleepers {
    uv_loop_t loop;
    uint64_t ms;
    double *start, *end;
    int done;
};

static void sleepy(void *arg)
{
    struct sleepers *sp = arg;
    int id = green_id(green_self());

    sp->start[id] = now_s();
    green_sleep_ms(&sp->loop, sp->ms);
    sp->end[id] = now_s();
    sp->done++;
}

/* Spawns n sleepers of ms each on a default-config scheduler and checks they all slept at the
 * same time: every one started before the first one woke. */
static void run_sleepers(int n, uint64_t ms, struct green_sched **out_s, struct sleepers *sp)
{
    struct green_sched *s;
    double max_start = 0, min_end = 1e300;

    sp->ms = ms;
    sp->done = 0;
    sp->start = calloc((size_t)n, sizeof(double));
    sp->end = calloc((size_t)n, sizeof(double));
    assert_non_null(sp->start);
    assert_non_null(sp->end);
    assert_int_equal(uv_loop_init(&sp->loop), 0);
    s = green_sched_new(&sp->loop, NULL);
    assert_non_null(s);
    for (int i = 0; i < n; i++)
        assert_int_equal(green_spawn(s, sleepy, sp), 0);
    assert_int_equal(green_sched_run(s), 0);
    assert_int_equal(sp->done, n);
    assert_int_equal(green_sched_live(s), 0);
    assert_int_equal(green_sched_overflows(s), 0);
    for (int i = 0; i < n; i++) {
        assert_true(sp->end[i] >= sp->start[i]);
        if (sp->start[i] > max_start)
            max_start = sp->start[i];
        if (sp->end[i] < min_end)
            min_end = sp->end[i];
    }
    assert_true(max_start < min_end); /* all n intervals overlap */
    *out_s = s;
}

static void finish_sleepers(struct green_sched *s, struct sleepers *sp)
{
    green_sched_free(s);
    assert_int_equal(uv_loop_close(&sp->loop), 0);
    free(sp->start);
    free(sp->end);
}

static void test_timers_many(void **state)
{
    (void)state;
    struct sleepers sp;
    struct green_sched *s;

    run_sleepers(MANY_SLEEPERS, 5, &s, &sp);
    finish_sleepers(s, &sp);
}

static void test_timers_100k(void **state)
{
    (void)state;
#ifdef UNDER_SANITIZER
    skip(); /* 100,000 fibers is too heavy for the sanitizer runtimes; the normal build runs it */
#else
    struct sleepers sp;
    struct green_sched *s;

    run_sleepers(100000, 50, &s, &sp);
    /* 100,000 stacks cannot all have guard pages under vm.max_map_count: auto mode switched
     * over to canary-checked stacks. */
    if (green_max_map_count() / 2 < 100000) {
        assert_int_equal(green_sched_guarded(s), 0);
        assert_true(green_sched_guard_off_at(s) > 1000);
        assert_true(green_sched_unguarded(s) > 0);
    }
    assert_int_equal(green_sched_stacks(s), 100000);
    finish_sleepers(s, &sp);
#endif
}

/* ---- stacks ---- */

/* The permissions of the mapping of /proc/self/maps that ends exactly at addr, or "" if none. */
static void maps_perms_ending_at(const void *addr, char perms[8])
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    uintptr_t want = (uintptr_t)addr;

    perms[0] = '\0';
    assert_non_null(f);
    while (fgets(line, sizeof(line), f) != NULL) {
        uintptr_t lo, hi;
        char p[8];

        if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %7s", &lo, &hi, p) == 3 && hi == want) {
            strcpy(perms, p);
            break;
        }
    }
    fclose(f);
}

struct bounds {
    void *lo[16];
    size_t size[16];
    int corrupt; /* write just below the stack, as an overflow would */
};

static void record_bounds(void *arg)
{
    struct bounds *b = arg;
    int id = green_id(green_self());
    char *frame = __builtin_frame_address(0); /* locals may sit on ASan's fake stack */

    green_stack_bounds(green_self(), &b->lo[id], &b->size[id]);
    assert_true(frame > (char *)b->lo[id] && frame < (char *)b->lo[id] + b->size[id]);
    if (b->corrupt)
        memset((char *)b->lo[id] - 8, 0x55, 8);
    green_yield();
}

/* Forks a child that writes one byte at addr; returns its wait status. */
static int child_write(void *addr)
{
    int status;
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGSEGV, SIG_DFL); /* no sanitizer report: just die */
        *(volatile char *)addr = 1;
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

static void test_guard_on(void **state)
{
    (void)state;
    uv_loop_t loop;
    struct bounds b = {0};
    struct green_config cfg = {.stack_size = 16 * 1024, .guard = 1};
    struct green_sched *s;
    char perms[8];
    int status;

    assert_int_equal(uv_loop_init(&loop), 0);
    s = green_sched_new(&loop, &cfg);
    assert_non_null(s);
    assert_int_equal(green_spawn(s, record_bounds, &b), 0);
    assert_int_equal(green_sched_run(s), 0);
    assert_true(b.size[0] >= 16 * 1024);
    assert_int_equal(green_sched_stack_size(s), 16 * 1024);
    /* The page below the stack is a PROT_NONE mapping of its own... */
    maps_perms_ending_at(b.lo[0], perms);
    assert_string_equal(perms, "---p");
    /* ...and touching it kills: in a child, so the test lives on. The stack itself is fine. */
    status = child_write(b.lo[0]);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    status = child_write((char *)b.lo[0] - 1);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGSEGV);
    green_sched_free(s);
    assert_int_equal(uv_loop_close(&loop), 0);
}

static void test_guard_auto_budget(void **state)
{
    (void)state;
    uv_loop_t loop;
    struct bounds b = {0};
    struct green_config cfg = {.stack_size = 16 * 1024, .guard = -1, .guard_limit = 2};
    struct green_sched *s;
    char perms[8];

    assert_int_equal(uv_loop_init(&loop), 0);
    s = green_sched_new(&loop, &cfg);
    assert_non_null(s);
    for (int i = 0; i < 4; i++)
        assert_int_equal(green_spawn(s, record_bounds, &b), 0);
    assert_int_equal(green_sched_run(s), 0);
    assert_int_equal(green_sched_stacks(s), 4);
    assert_int_equal(green_sched_unguarded(s), 2);
    assert_int_equal(green_sched_guard_off_at(s), 2);
    assert_int_equal(green_sched_guarded(s), 0);
    for (int i = 0; i < 4; i++) {
        assert_true(b.size[i] >= 16 * 1024);
        maps_perms_ending_at(b.lo[i], perms);
        if (i < 2)
            assert_string_equal(perms, "---p");
        else
            assert_string_not_equal(perms, "---p");
    }
    /* Finished coroutines' stacks are reused: no new stack for the next four. */
    for (int i = 0; i < 4; i++)
        assert_int_equal(green_spawn(s, record_bounds, &b), 0);
    assert_int_equal(green_sched_run(s), 0);
    assert_int_equal(green_sched_stacks(s), 4);
    green_sched_free(s);
    assert_int_equal(uv_loop_close(&loop), 0);

    /* Auto without a limit: a few stacks stay well inside the budget, all guarded. */
    assert_int_equal(uv_loop_init(&loop), 0);
    cfg.guard_limit = 0;
    s = green_sched_new(&loop, &cfg);
    assert_non_null(s);
    for (int i = 0; i < 8; i++)
        assert_int_equal(green_spawn(s, record_bounds, &b), 0);
    assert_int_equal(green_sched_run(s), 0);
    assert_int_equal(green_sched_guarded(s), 1);
    assert_int_equal(green_sched_guard_off_at(s), 0);
    green_sched_free(s);
    assert_int_equal(uv_loop_close(&loop), 0);
}

/* In a child: an unguarded coroutine writes below its stack; the hub must catch it. */
static void test_canary_overflow(void **state)
{
    (void)state;
    int status;
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0) {
        uv_loop_t loop;
        struct bounds b = {.corrupt = 1};
        struct green_config cfg = {.stack_size = 16 * 1024, .guard = 0};
        struct green_sched *s;
        int devnull = open("/dev/null", O_WRONLY);

        if (devnull >= 0)
            dup2(devnull, 2); /* the abort message is expected */
        uv_loop_init(&loop);
        s = green_sched_new(&loop, &cfg);
        if (s == NULL || green_spawn(s, record_bounds, &b) != 0)
            _exit(3);
        green_sched_run(s);
        _exit(0); /* not reached when the canary check works */
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
}

#define MIXED_COPY 100000
#ifdef UNDER_TSAN
#define MIXED_SEPARATE 1000 /* TSan's ~4 mappings per fiber would use up vm.max_map_count */
#else
#define MIXED_SEPARATE 10000
#endif

struct mixed_arg {
    int id, ok;
};

static struct green_sched *mixed_sched;
static size_t mixed_pooled_max;

static size_t mixed_depth(int id)
{
    return id % 997 == 0 ? 3000 + 16 : 16 + (size_t)(id % 9) * 100;
}

static void __attribute__((noinline)) mixed_frames(struct mixed_arg *a, size_t n)
{
    volatile unsigned char *buf = __builtin_alloca(n);
    size_t pooled;

    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)(a->id * 7 + i);
    green_yield(); /* every coroutine is parked (queued) here at once */
    pooled = green_sched_pooled_bytes(mixed_sched);
    if (pooled > mixed_pooled_max)
        mixed_pooled_max = pooled;
    for (size_t i = 0; i < n; i++)
        if (buf[i] != (unsigned char)(a->id * 7 + i))
            return;
    a->ok = 1;
}

static void mixed_coroutine(void *arg)
{
    struct mixed_arg *a = arg;

    mixed_frames(a, mixed_depth(a->id));
    if (!a->ok)
        return;
    a->ok = 0;
    mixed_frames(a, mixed_depth(a->id + 5)); /* another class; or from, or to, malloc'd */
}

/* Spawns coroutines for args[from, to) and runs them to the end; each must find its frames. */
static void mixed_wave(struct mixed_arg *args, int from, int to)
{
    for (int i = from; i < to; i++) {
        args[i].id = i;
        assert_int_equal(green_spawn(mixed_sched, mixed_coroutine, &args[i]), 0);
    }
    assert_int_equal(green_sched_run(mixed_sched), 0);
    for (int i = from; i < to; i++)
        if (!args[i].ok)
            fail_msg("coroutine %d (%zu, then %zu bytes of locals) found its frames changed", i,
                     mixed_depth(i), mixed_depth(i + 5));
}

static void nothing(void *arg);

/* In a child: a coroutine overflows a guarded stack (its own, or stack=copy's run stack) for
 * real. It must die of SIGSEGV, and (in builds without a sanitizer, whose own report takes over)
 * say which coroutine overflowed. */
static void overflow_dies(const struct green_config *cfg, int parked)
{
    int status, fd;
    char msg[1024];
    pid_t pid;

    pid = fork_stderr_piped(&fd);
    if (pid == 0) {
        uv_loop_t loop;
        struct green_sched *s;
        int result = 0;

        signal(SIGSEGV, SIG_DFL); /* sanitizer builds: die of the signal, no report */
        uv_loop_init(&loop);
        struct mixed_arg *args = calloc((size_t)parked + 1, sizeof(*args));

        s = green_sched_new(&loop, cfg);
        mixed_sched = s;
        /* other coroutines' frames, of mixed depths, are parked when the overflow comes (under
         * stack=copy: in their size classes and malloc'd buffers) */
        for (int i = 0; i < parked && s != NULL; i++) {
            args[i].id = i;
            if (green_spawn(s, mixed_coroutine, &args[i]) != 0)
                _exit(3);
        }
        if (s == NULL || (parked == 0 && green_spawn(s, nothing, &result) != 0) ||
            green_spawn(s, overflow_stack, &result) != 0)
            _exit(3);
        green_sched_run(s);
        _exit(0); /* not reached */
    }
    status = child_output_status(pid, fd, msg, sizeof(msg));
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGSEGV);
#ifndef UNDER_SANITIZER
    {
        char want[80];

        snprintf(want, sizeof(want),
                 "green: stack overflow in coroutine %d:", parked > 0 ? parked : 1);
        if (strstr(msg, want) == NULL)
            fail_msg("wanted \"%s\" in: %s", want, msg);
    }
#endif
}

static void test_guard_overflow_dies(void **state)
{
    (void)state;
    struct green_config cfg = {.stack_size = 16 * 1024, .guard = 1};

    overflow_dies(&cfg, 0);
    overflow_dies(&cfg, 1000);
}

static void test_copy_overflow_dies(void **state)
{
    (void)state;
    struct green_config cfg = {.stack_size = 16 * 1024, .copy_stack = 1};

    if (!green_copy_stack_supported())
        skip();
    overflow_dies(&cfg, 0);
    overflow_dies(&cfg, 1000);
}

static void nothing(void *arg)
{
    int *count = arg;

    (*count)++;
}

static void test_guard_on_exhausted(void **state)
{
    (void)state;
    uv_loop_t loop;
    struct green_config cfg = {.stack_size = 16 * 1024, .guard = 1, .guard_limit = 3};
    struct green_sched *s;
    int count = 0, spawned = 0, rc = 0;
    long max_maps = green_max_map_count();

    /* A configured limit. */
    assert_int_equal(uv_loop_init(&loop), 0);
    s = green_sched_new(&loop, &cfg);
    assert_non_null(s);
    for (int i = 0; i < 3; i++)
        assert_int_equal(green_spawn(s, nothing, &count), 0);
    assert_int_equal(green_spawn(s, nothing, &count), -ENOMEM);
    assert_int_equal(green_sched_run(s), 0);
    assert_int_equal(count, 3);
    green_sched_free(s);

    /* The real vm.max_map_count budget: spawning fails cleanly before the kernel's limit is hit,
     * the process keeps working, and what was spawned runs. (Under TSan that is ~9,000 fibers,
     * ~7 GiB: only the configured limit above is checked there.) */
#ifdef UNDER_TSAN
    assert_int_equal(uv_loop_close(&loop), 0);
    (void)spawned;
    (void)rc;
    (void)max_maps;
    return;
#endif
    cfg.guard_limit = 0;
    s = green_sched_new(&loop, &cfg);
    assert_non_null(s);
    count = 0;
    while (spawned < 200000 && (rc = green_spawn(s, nothing, &count)) == 0)
        spawned++;
    assert_int_equal(rc, -ENOMEM);
    assert_true(spawned > 1000);
    assert_true(spawned < max_maps / 2);
    assert_int_equal(green_sched_guarded(s), 1);
    {
        void *p = malloc(1 << 20); /* mmap-backed: there are mappings left for others */
        assert_non_null(p);
        free(p);
    }
    assert_int_equal(green_sched_run(s), 0);
    assert_int_equal(count, spawned);
    green_sched_free(s);
    assert_int_equal(uv_loop_close(&loop), 0);
}

/* ---- reuse and spawning from coroutines ---- */

struct chain {
    struct green_sched *s;
    int left, ran;
};

static void chain_link(void *arg)
{
    struct chain *c = arg;

    c->ran++;
    if (--c->left > 0)
        assert_int_equal(green_spawn(c->s, chain_link, c), 0);
}

static void test_stack_reuse(void **state)
{
    (void)state;
    uv_loop_t loop;
    struct chain c = {.left = 1000};

    assert_int_equal(uv_loop_init(&loop), 0);
    c.s = green_sched_new(&loop, NULL);
    assert_non_null(c.s);
    assert_int_equal(green_spawn(c.s, chain_link, &c), 0);
    assert_int_equal(green_sched_run(c.s), 0);
    assert_int_equal(c.ran, 1000);
    assert_true(green_sched_stacks(c.s) <= 2); /* one running, one just spawned */
    green_sched_free(c.s);
    assert_int_equal(uv_loop_close(&loop), 0);
}

/* ---- deadlock ---- */

static void park_forever(void *arg)
{
    (void)arg;
    green_park();
    fail_msg("woken although nobody wakes it");
}

static void sleep_then_park(void *arg)
{
    green_sleep_ms(arg, 1);
    green_park();
    fail_msg("woken although nobody wakes it");
}

static void test_deadlock(void **state)
{
    (void)state;
    uv_loop_t loop;
    struct green_sched *s;
    int count = 0;
    double t0 = now_s();

    assert_int_equal(uv_loop_init(&loop), 0);
    s = green_sched_new(&loop, NULL);
    assert_non_null(s);
    assert_int_equal(green_spawn(s, park_forever, NULL), 0);
    assert_int_equal(green_spawn(s, nothing, &count), 0);
    assert_int_equal(green_sched_run(s), -EDEADLK);
    assert_int_equal(count, 1);
    assert_int_equal(green_sched_live(s), 1);
    green_sched_free(s); /* reclaims the stuck coroutine's stack */

    /* The loop was busy for a while (a timer), then nothing is left. */
    s = green_sched_new(&loop, NULL);
    assert_non_null(s);
    assert_int_equal(green_spawn(s, sleep_then_park, &loop), 0);
    assert_int_equal(green_sched_run(s), -EDEADLK);
    assert_int_equal(green_sched_live(s), 1);
    green_sched_free(s);
    assert_int_equal(uv_loop_close(&loop), 0);
    assert_true(now_s() - t0 < 60);
}

static void test_config_errors(void **state)
{
    (void)state;
    uv_loop_t loop;
    struct green_config bad = {.guard = 2};

    errno = 0;
    assert_null(green_sched_new(NULL, NULL));
    assert_int_equal(errno, EINVAL);
    assert_int_equal(uv_loop_init(&loop), 0);
    errno = 0;
    assert_null(green_sched_new(&loop, &bad));
    assert_int_equal(errno, EINVAL);
    assert_int_equal(green_spawn(NULL, nothing, NULL), -EINVAL);
    assert_int_equal(uv_loop_close(&loop), 0);
}

/* ---- the runner (runners/green.c) with a made-up workload ---- */

extern const struct runner runner_green;

/* Two steps: compute (digest += 1), then wait on a 1 ms uv_timer (digest += 10). mode 1: the wait
 * never completes (deadlock); mode 2: the wait fails to start. */
struct fake_wl {
    int mode;
    int loop_inits, loop_finis;
    int loop_state_seen_wrong;
    /* the compute step waits until this many tasks compute at once (sched=mn: only threads
     * computing in parallel get there); gives up, failing the test, after 120 s */
    int rendezvous;
    atomic_int computing, gave_up;
};

struct fake_timer {
    uv_timer_t timer;
    struct task_ctx *t;
};

static int fake_steps(const void *inst)
{
    (void)inst;
    return 2;
}

static enum step_kind fake_kind(const void *inst, int step)
{
    (void)inst;
    return step == 0 ? STEP_COMPUTE : STEP_WAIT;
}

static int fake_block(void *inst, struct task_ctx *t)
{
    struct fake_wl *f = inst;
    double give_up = now_s() + 120;

    atomic_fetch_add(&f->computing, 1);
    while (f->rendezvous > 0 && atomic_load(&f->computing) < f->rendezvous)
        if (now_s() > give_up) {
            atomic_store(&f->gave_up, 1);
            break;
        }
    t->rec->digest += 1;
    return 0;
}

static void fake_closed(uv_handle_t *h)
{
    free(h->data);
}

static void fake_fired(uv_timer_t *tm)
{
    struct fake_timer *ft = tm->data;
    struct task_ctx *t = ft->t;

    uv_close((uv_handle_t *)tm, fake_closed);
    t->rec->digest += 10;
    t->env->done(t, 0);
}

static int fake_start(void *inst, struct task_ctx *t)
{
    struct fake_wl *f = inst;
    struct fake_timer *ft;

    if (t->env->loop_state != &f->loop_inits)
        f->loop_state_seen_wrong++;
    if (f->mode == 1)
        return 0; /* "started", but nothing will ever call done */
    if (f->mode == 2)
        return -EIO;
    ft = malloc(sizeof(*ft));
    if (ft == NULL)
        return -ENOMEM;
    uv_timer_init(t->env->loop, &ft->timer);
    ft->timer.data = ft;
    ft->t = t;
    uv_timer_start(&ft->timer, fake_fired, 1, 0);
    return 0;
}

static int fake_loop_init(void *inst, uv_loop_t *loop, void **loop_state)
{
    struct fake_wl *f = inst;

    (void)loop;
    f->loop_inits++;
    *loop_state = &f->loop_inits;
    return 0;
}

static void fake_loop_fini(void *inst, void *loop_state)
{
    struct fake_wl *f = inst;

    (void)loop_state;
    f->loop_finis++;
}

static const struct workload fake_workload = {
    .name = "fake",
    .summary = "test workload",
    .steps = fake_steps,
    .step_kind = fake_kind,
    .step_block = fake_block,
    .step_start = fake_start,
    .loop_init = fake_loop_init,
    .loop_fini = fake_loop_fini,
};

/* Runs the green runner on n fake tasks; the table is returned in *out (task_table_free). */
static int run_green(struct fake_wl *f, int n, int workers, const char *opt1, const char *opt2,
                     struct run_ctx *ctx, struct task_table **out)
{
    static struct param_set opts;
    const char *given[] = {opt1, opt2, NULL};
    struct task_table *tt = task_table_new(n, 1, 0);
    char err[256];
    int rc;

    assert_non_null(tt);
    params_clear(&opts);
    for (int i = 0; i < 2; i++) {
        /* "a+b" is two options */
        char one[64], *plus;
        if (given[i] == NULL)
            continue;
        snprintf(one, sizeof(one), "%s", given[i]);
        plus = strchr(one, '+');
        if (plus != NULL) {
            *plus = '\0';
            assert_int_equal(params_add(&opts, runner_green.options, plus + 1, err, sizeof(err)),
                             0);
        }
        assert_int_equal(params_add(&opts, runner_green.options, one, err, sizeof(err)), 0);
    }
    memset(ctx, 0, sizeof(*ctx));
    ctx->wl = &fake_workload;
    ctx->wl_instance = f;
    ctx->tasks = n;
    ctx->workers = workers;
    ctx->opts = &opts;
    ctx->env.table = tt;
    rc = runner_green.run(ctx);
    assert_int_equal(f->loop_finis, f->loop_inits); /* one per loop (sched=mn: per worker) */
    *out = tt;
    return rc;
}

static void test_runner_per_task_and_workers(void **state)
{
    (void)state;
    struct fake_wl f = {0};
    struct run_ctx ctx;
    struct task_table *tt;
    struct task_record *recs;

    assert_string_equal(runner_green.name, "green");
    assert_non_null(params_find_spec(runner_green.options, "stack_kib"));
    assert_non_null(params_find_spec(runner_green.options, "guard"));

    assert_int_equal(run_green(&f, 1000, 0, NULL, NULL, &ctx, &tt), 0);
    assert_int_equal(f.loop_inits, 1);
    recs = tt->records;
    assert_string_equal(ctx.error, "");
    assert_string_equal(ctx.warning, "");
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(recs[i].status, 0);
        assert_int_equal(recs[i].worker, i); /* one coroutine per task, in spawn order */
        assert_int_equal(recs[i].steps_done, 2);
        assert_int_equal(recs[i].digest, 11);
        assert_true(recs[i].end_s >= recs[i].start_s && recs[i].start_s > 0);
    }
    assert_int_equal(f.loop_state_seen_wrong, 0);
    task_table_free(tt);

    memset(&f, 0, sizeof(f));
    assert_int_equal(run_green(&f, 100, 7, "guard=on+stack=separate", "stack_kib=32", &ctx, &tt),
                     0);
    recs = tt->records;
    for (int i = 0; i < 100; i++) {
        assert_int_equal(recs[i].status, 0);
        assert_true(recs[i].worker >= 0 && recs[i].worker < 7);
        assert_int_equal(recs[i].digest, 11);
    }
    task_table_free(tt);
}

static void test_runner_failures(void **state)
{
    (void)state;
    struct fake_wl f = {.mode = 1};
    struct run_ctx ctx;
    struct task_table *tt;
    struct task_record *recs;

    /* Every task parks on a wait that never ends: a deadlock, reported, not a hang. */
    assert_int_equal(run_green(&f, 5, 0, "guard=off", NULL, &ctx, &tt), -EDEADLK);
    recs = tt->records;
    assert_non_null(strstr(ctx.error, "deadlock"));
    for (int i = 0; i < 5; i++) {
        assert_int_equal(recs[i].status, -EDEADLK);
        assert_int_equal(recs[i].steps_done, 1); /* the compute step ran */
    }
    task_table_free(tt);

    /* A wait step that cannot start: that is the step's status, no park. */
    memset(&f, 0, sizeof(f));
    f.mode = 2;
    assert_int_equal(run_green(&f, 5, 0, NULL, NULL, &ctx, &tt), 0);
    recs = tt->records;
    for (int i = 0; i < 5; i++) {
        assert_int_equal(recs[i].status, -EIO);
        assert_true(recs[i].end_s > 0);
    }
    task_table_free(tt);
}

/* More coroutines than the map budget allows guard pages for: auto mode goes on without them and
 * says so; guard=on refuses cleanly and runs what it could spawn. */
static void test_runner_guard_budget(void **state)
{
    (void)state;
#ifdef UNDER_SANITIZER
    skip();
#else
    struct fake_wl f = {0};
    struct run_ctx ctx;
    struct task_table *tt;
    struct task_record *recs;
    int n = (int)(green_max_map_count() / 2 + 1000), ran = 0;

    assert_int_equal(run_green(&f, n, 0, "stack_kib=16+stack=separate", NULL, &ctx, &tt), 0);
    recs = tt->records;
    assert_non_null(strstr(ctx.warning, "guard pages off above"));
    for (int i = 0; i < n; i++)
        assert_int_equal(recs[i].status, 0);
    task_table_free(tt);

    memset(&f, 0, sizeof(f));
    assert_int_equal(run_green(&f, n, 0, "stack_kib=16+stack=separate", "guard=on", &ctx, &tt),
                     -ENOMEM);
    recs = tt->records;
    assert_non_null(strstr(ctx.error, "green stack mmap"));
    for (int i = 0; i < n; i++) {
        if (recs[i].worker >= 0) {
            assert_int_equal(recs[i].status, 0);
            ran++;
        }
    }
    assert_true(ran > 1000 && ran < n);
    task_table_free(tt);
#endif
}

/* ---- the runner with sched=mn (the scheduler itself: unit_green_mn.c) ---- */

static void check_mn_records(const struct task_table *tt, int n, int per_task)
{
    for (int i = 0; i < n; i++) {
        assert_int_equal(tt->records[i].status, 0);
        assert_int_equal(tt->records[i].digest, 11); /* each step ran once */
        if (per_task)
            assert_int_equal(tt->records[i].worker, i);
    }
}

/* sched=mn's stack schemes: separate everywhere, copy where the build has it (else NULL). */
static const char *mn_scheme(int i)
{
    return i == 0 ? "stack=separate" : green_copy_stack_supported() ? "stack=copy" : NULL;
}

/* Two tasks whose compute steps each wait for the other's to start: done only if two workers
 * computed at once (one hub would wait for ever); their intervals in the timeline overlap. No
 * time is looked at. With stack=copy the two coroutines spread before their first run. */
static void test_runner_mn_compute_in_parallel(void **state)
{
    (void)state;
    for (int i = 0; i < 2 && mn_scheme(i) != NULL; i++) {
        struct fake_wl f = {.rendezvous = 2};
        struct run_ctx ctx;
        struct task_table *tt;
        const struct task_record *a, *b;

        assert_int_equal(run_green(&f, 2, 0, "sched=mn+threads=2", mn_scheme(i), &ctx, &tt), 0);
        assert_string_equal(ctx.error, "");
        assert_int_equal(atomic_load(&f.gave_up), 0);
        check_mn_records(tt, 2, 1);
        a = &tt->records[0];
        b = &tt->records[1];
        assert_true(a->start_s < b->end_s && b->start_s < a->end_s);
        assert_non_null(strstr(ctx.warning, "green M:N on 2 worker threads"));
        assert_int_equal(f.loop_inits, 2); /* one per worker loop */
        task_table_free(tt);
    }
}

static void test_runner_mn_tasks_and_workers(void **state)
{
    (void)state;
    for (int i = 0; i < 2 && mn_scheme(i) != NULL; i++) {
        struct fake_wl f = {0};
        struct run_ctx ctx;
        struct task_table *tt;
        char opt[64];

        snprintf(opt, sizeof(opt), "%s+stack_kib=16", mn_scheme(i));
        assert_int_equal(run_green(&f, 3000, 0, "sched=mn+threads=2", opt, &ctx, &tt), 0);
        assert_string_equal(ctx.error, "");
        assert_int_equal(f.loop_state_seen_wrong, 0);
        check_mn_records(tt, 3000, 1);
        task_table_free(tt);

        memset(&f, 0, sizeof(f)); /* -j 5: five coroutines share the tasks */
        snprintf(opt, sizeof(opt), "%s+guard=on", mn_scheme(i));
        assert_int_equal(run_green(&f, 500, 5, "sched=mn+threads=3", opt, &ctx, &tt), 0);
        check_mn_records(tt, 500, 0);
        for (int k = 0; k < 500; k++)
            assert_true(tt->records[k].worker >= 0 && tt->records[k].worker < 5);
        assert_int_equal(f.loop_inits, 3);
        task_table_free(tt);
    }
}

/* stack=copy under sched=mn: what auto picks where the build has it (the warning says so); an
 * explicit copy where it has not is refused with the reason. */
static void test_runner_mn_copy(void **state)
{
    (void)state;
    struct fake_wl f = {0};
    struct run_ctx ctx;
    struct task_table *tt;
    struct param_set opts = {0};
    char err[256];

    if (green_copy_stack_supported()) {
        assert_int_equal(run_green(&f, 3, 0, "sched=mn", NULL, &ctx, &tt), 0);
        assert_non_null(strstr(ctx.warning, "stack=copy: before their first run only"));
        check_mn_records(tt, 3, 1);
    } else {
        assert_int_equal(run_green(&f, 3, 0, "sched=mn", "stack=copy", &ctx, &tt), -ENOTSUP);
        assert_non_null(strstr(ctx.error, "stack=copy needs the assembly context switch"));
        assert_int_equal(tt->records[0].worker, -1); /* nothing ran */
    }
    task_table_free(tt);
    /* the trait the reports read: parallel with sched=mn, unless gil=on */
    assert_false(runner_green.parallel(&opts));
    assert_int_equal(params_add(&opts, runner_green.options, "sched=mn", err, sizeof(err)), 0);
    assert_true(runner_green.parallel(&opts));
    assert_int_equal(params_add(&opts, runner_green.options, "gil=on", err, sizeof(err)), 0);
    assert_false(runner_green.parallel(&opts));
    params_clear(&opts);
}

/* stack=copy: coroutines with frames larger than a struct's room for them (4 KiB locals) park
 * and yield in turns on the one run stack; each finds its frames, and their addresses, intact. */
struct frames_arg {
    int id, ok;
    struct green_thread *self;
};

static void big_frames(void *arg)
{
    struct frames_arg *a = arg;
    volatile unsigned char buf[4096];
    volatile unsigned char *where = buf;

    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (unsigned char)(a->id * 31 + i);
    a->self = green_self();
    for (int round = 0; round < 20; round++) {
        if (round % 2)
            green_yield();
        else {
            green_wake(a->self); /* a permit: the park returns after a trip through the hub */
            green_yield();
            green_park();
        }
        assert_ptr_equal(where, buf);
        for (size_t i = 0; i < sizeof(buf); i += 97)
            assert_int_equal(buf[i], (unsigned char)(a->id * 31 + i));
    }
    a->ok = 1;
}

/* A stack=copy scheduler on a fresh loop (the test is skipped where the build has none). */
static struct green_sched *copy_sched_new(uv_loop_t *loop, size_t expected)
{
    struct green_config cfg = {.stack_size = 64 * 1024, .copy_stack = 1, .expected = expected};
    struct green_sched *s;

    if (!green_copy_stack_supported())
        skip();
    assert_int_equal(uv_loop_init(loop), 0);
    s = green_sched_new(loop, &cfg);
    assert_non_null(s);
    assert_int_equal(green_sched_copy_stack(s), 1);
    return s;
}

static void test_copy_stack_frames(void **state)
{
    (void)state;
    uv_loop_t loop;
    struct frames_arg args[8];
    struct green_sched *s = copy_sched_new(&loop, 0);

    for (int i = 0; i < 8; i++) {
        args[i] = (struct frames_arg){.id = i};
        assert_int_equal(green_spawn(s, big_frames, &args[i]), 0);
    }
    assert_int_equal(green_sched_run(s), 0);
    for (int i = 0; i < 8; i++)
        assert_int_equal(args[i].ok, 1);
    assert_true(green_sched_saved_bytes(s) >= 8 * 4096); /* beyond the inline room: malloc'd */
    assert_int_equal(green_sched_stacks(s), 1);
    green_sched_free(s);
    assert_int_equal(uv_loop_close(&loop), 0);
}

/* stack=copy with the number of coroutines announced: more than announced still run (their
 * structs come from further chunks), each keeps its own frames across a yield, and a second
 * round reuses the structs of the first. */
struct counted {
    int id, seen;
};

static void yield_and_count(void *arg)
{
    struct counted *c = arg;
    volatile int mine = c->id * 3 + 1; /* on the run stack, copied out and back */

    green_yield();
    c->seen = mine == c->id * 3 + 1;
}

/* Spawns n fn coroutines (yield_and_count's kind) on s, runs them, checks each kept its frames. */
static void run_counted_fn(struct green_sched *s, struct counted *c, int n, void (*fn)(void *))
{
    for (int i = 0; i < n; i++) {
        c[i] = (struct counted){.id = i};
        assert_int_equal(green_spawn(s, fn, &c[i]), 0);
    }
    assert_int_equal(green_sched_run(s), 0);
    for (int i = 0; i < n; i++)
        assert_int_equal(c[i].seen, 1);
}

static void test_copy_expected(void **state)
{
    (void)state;
    enum { EXPECTED = 1000, SPAWNED = 3000 };
    uv_loop_t loop;
    static struct counted c[SPAWNED];
    struct green_sched *s = copy_sched_new(&loop, EXPECTED);

    for (int round = 0; round < 2; round++)
        run_counted_fn(s, c, SPAWNED, yield_and_count);
    assert_int_equal(green_sched_stacks(s), 1);
    assert_int_equal(green_sched_saved_bytes(s), 0); /* every coroutine's frames fit inline */
    green_sched_free(s);
    assert_int_equal(uv_loop_close(&loop), 0);
}

/* Announcing more coroutines than memory holds is no error: their structs then come from
 * chunks that grow, as without an announcement. */
static void test_copy_expected_too_many(void **state)
{
    (void)state;
    uv_loop_t loop;
    static struct counted c[300];
    struct green_sched *s = copy_sched_new(&loop, (size_t)1 << 40);

    run_counted_fn(s, c, 300, yield_and_count);
    green_sched_free(s);
    assert_int_equal(uv_loop_close(&loop), 0);
}

/* stack=copy keeps frames of the same length as their difference from the first: 10,000
 * coroutines parked at the same place, each with a local of its own, hold less than the switch's
 * saved registers alone would take (64 bytes on x86-64, 160 on AArch64) had each kept its frames
 * whole; each finds its local again, and the buffers are all given back at the end. */
#define DELTA_N 10000
static struct green_sched *delta_sched;
static size_t delta_pooled_max;

static void yield_and_note(void *arg)
{
    struct counted *c = arg;
    volatile int mine = c->id * 3 + 1;
    size_t pooled;

    green_yield();
    pooled = green_sched_pooled_bytes(delta_sched);
    if (pooled > delta_pooled_max)
        delta_pooled_max = pooled;
    c->seen = mine == c->id * 3 + 1;
}

static void test_copy_delta(void **state)
{
    (void)state;
    uv_loop_t loop;
    static struct counted c[DELTA_N];

    delta_sched = copy_sched_new(&loop, DELTA_N);
    delta_pooled_max = 0;
    run_counted_fn(delta_sched, c, DELTA_N, yield_and_note);
    assert_true(delta_pooled_max >= (size_t)(DELTA_N - 1) * 16); /* each kept something */
    assert_true(delta_pooled_max < (size_t)DELTA_N * 64);
    assert_int_equal(green_sched_pooled_bytes(delta_sched), 0);
    green_sched_free(delta_sched);
    delta_sched = NULL;
    assert_int_equal(uv_loop_close(&loop), 0);
}

/* Size classes: 100,000 coroutines with frames of mixed depths (16 to 3,016 bytes of locals, the
 * deepest above the largest class, so malloc'd) all parked at once on the one run stack; each
 * finds its frames intact, parks again at another depth (its buffer traded for another class's,
 * to or from malloc), the class buffers held follow the depths, and every buffer is given back
 * when they return. A second wave then reuses the returned coroutines' structs (whose room held
 * saved frames now holds what starts them). The same under stack=separate (10,000: each touches
 * its own pages). */
static void run_mixed(const struct green_config *cfg, int n)
{
    uv_loop_t loop;
    struct mixed_arg *args = calloc((size_t)(n + n / 10), sizeof(*args));
    size_t least = 0, small = 0;

    assert_non_null(args);
    assert_int_equal(uv_loop_init(&loop), 0);
    mixed_sched = green_sched_new(&loop, cfg);
    assert_non_null(mixed_sched);
    mixed_pooled_max = 0;
    for (int i = 0; i < n; i++) {
        if (mixed_depth(i) <= 1024) {
            least += mixed_depth(i);
            small++;
        }
    }
    mixed_wave(args, 0, n);
    if (cfg->copy_stack) {
        /* while all were parked: each held at least its locals, in a class of its size rather
         * than the largest (1 KiB); the deepest were malloc'd */
        assert_true(mixed_pooled_max >= least);
        assert_true(mixed_pooled_max < small * 1024);
        assert_true(green_sched_saved_bytes(mixed_sched) >= (size_t)(n / 997) * 3000);
        assert_int_equal(green_sched_pooled_bytes(mixed_sched), 0); /* all given back */
        mixed_wave(args, n, n + n / 10);
        assert_int_equal(green_sched_pooled_bytes(mixed_sched), 0);
    } else {
        mixed_wave(args, n, n + n / 10);
        assert_int_equal(green_sched_pooled_bytes(mixed_sched), 0);
    }
    green_sched_free(mixed_sched);
    mixed_sched = NULL;
    assert_int_equal(uv_loop_close(&loop), 0);
    free(args);
}

static void test_mixed_depths_copy(void **state)
{
    (void)state;
    struct green_config cfg = {.stack_size = 64 * 1024, .copy_stack = 1, .expected = MIXED_COPY};

    if (!green_copy_stack_supported())
        skip();
    run_mixed(&cfg, MIXED_COPY);
}

static void test_mixed_depths_separate(void **state)
{
    (void)state;
    struct green_config cfg = {.stack_size = 64 * 1024, .guard = -1};

    run_mixed(&cfg, MIXED_SEPARATE);
}

/* The runner at 100,000 coroutines, each parked on a wait at once, on the default stacks. */
static void test_runner_100k_copy(void **state)
{
    (void)state;
    struct fake_wl f = {0};
    struct run_ctx ctx;
    struct task_table *tt;
    int n = 100000;

    if (!green_copy_stack_supported())
        skip(); /* sanitizer builds: stack=copy is not built for them */
    assert_int_equal(run_green(&f, n, 0, "stack=copy", NULL, &ctx, &tt), 0);
    assert_string_equal(ctx.error, "");
    for (int i = 0; i < n; i++) {
        assert_int_equal(tt->records[i].status, 0);
        assert_int_equal(tt->records[i].worker, i);
        assert_int_equal(tt->records[i].digest, 11);
    }
    task_table_free(tt);
}

int main(void)
{
    /* clang-format off */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ctx_roundtrip),
        cmocka_unit_test(test_ctx_ring),
        cmocka_unit_test(test_park_wake_fifo),
        cmocka_unit_test(test_yield),
        cmocka_unit_test(test_timers_many),
        cmocka_unit_test(test_guard_on),
        cmocka_unit_test(test_guard_auto_budget),
        cmocka_unit_test(test_canary_overflow),
        cmocka_unit_test(test_guard_overflow_dies),
        cmocka_unit_test(test_copy_overflow_dies),
        cmocka_unit_test(test_copy_stack_frames),
        cmocka_unit_test(test_copy_expected),
        cmocka_unit_test(test_copy_expected_too_many),
        cmocka_unit_test(test_copy_delta),
        cmocka_unit_test(test_runner_100k_copy),
        cmocka_unit_test(test_mixed_depths_copy),
        cmocka_unit_test(test_mixed_depths_separate),
        cmocka_unit_test(test_guard_on_exhausted),
        cmocka_unit_test(test_stack_reuse),
        cmocka_unit_test(test_deadlock),
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_runner_per_task_and_workers),
        cmocka_unit_test(test_runner_failures),
        cmocka_unit_test(test_runner_guard_budget),
        cmocka_unit_test(test_runner_mn_compute_in_parallel),
        cmocka_unit_test(test_runner_mn_tasks_and_workers),
        cmocka_unit_test(test_runner_mn_copy),
        cmocka_unit_test(test_timers_100k),
    };
    /* clang-format on */

    alarm(TEST_TIME_LIMIT_S); /* a hang anywhere fails the run instead of stalling CI */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
