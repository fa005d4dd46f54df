/* The green core's AArch64 half, run under qemu-aarch64 (CTest test green_core_aarch64): the
 * assembly context switch (switch_aarch64.S, switch_asm.c) and the stacks (stacks.c), cross-built
 * with aarch64-linux-gnu-gcc. The hub (sched.c) is left out on purpose: it needs libuv, which
 * Debian does not ship for a cross sysroot without multiarch, and it has no architecture-specific
 * code; what differs per architecture is exactly the switch and the stack frames it builds.
 * Plain C with a small CHECK (no cmocka: it is not in the cross sysroot either). */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runners/green/green.h"
#include "runners/green/green_internal.h"

static int failures;

/* The hub's coroutine entries live in sched.c (with libuv); copy_stack.c names stack=copy's,
 * which this test does not use: stand-ins that must never run. */
void green_entry(void *arg)
{
    (void)arg;
    abort();
}

void green_copy_entry(void *arg)
{
    (void)arg;
    abort();
}

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                        \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

static struct green_ctx *ctx_new(void)
{
    struct green_ctx *c = aligned_alloc(16, (green_ctx_size() + 15) / 16 * 16);

    if (c == NULL)
        abort();
    return c;
}

/* ---- the switch -------------------------------------------------------------------------- */

struct pingpong {
    struct green_ctx *main, *co;
    long count;
    double acc; /* floating point carried across switches */
};

static void pingpong_entry(void *arg)
{
    struct pingpong *p = arg;
    /* many values live across the switch: the compiler keeps them in x19-x28 and d8-d15 */
    long a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8, i = 9, j = 10;
    double fa = 1.5, fb = 2.5, fc = 3.5, fd = 4.5, fe = 5.5, ff = 6.5, fg = 7.5, fh = 8.5;

    for (;;) {
        p->count++;
        p->acc += fa + fb + fc + fd + fe + ff + fg + fh;
        green_ctx_switch(p->co, p->main);
        a += 1, b += 2, c += 3, d += 4, e += 5, f += 6, g += 7, h += 8, i += 9, j += 10;
        fa *= 1.0, fb *= 1.0, fc *= 1.0, fd *= 1.0, fe *= 1.0, ff *= 1.0, fg *= 1.0, fh *= 1.0;
        if (a + b + c + d + e + f + g + h + i + j != 55 * p->count + 55)
            p->count = -1000000; /* a callee-saved register was not restored */
    }
}

static void test_pingpong(void)
{
    struct pingpong p = {ctx_new(), ctx_new(), 0, 0};
    size_t size = 64 * 1024;
    void *stack = malloc(size);
    long x1 = 11, x2 = 22, x3 = 33, x4 = 44, x5 = 55, x6 = 66, x7 = 77, x8 = 88, x9 = 99, x10 = 110;
    double y1 = 0.25, y2 = 0.5, y3 = 0.75, y4 = 1.25, y5 = 1.5, y6 = 1.75, y7 = 2.25, y8 = 2.5;
    const int rounds = 100000;

    CHECK(strcmp(green_ctx_impl(), "aarch64-asm") == 0);
    green_ctx_make(p.co, stack, size, pingpong_entry, &p);
    for (int r = 0; r < rounds; r++) {
        green_ctx_switch(p.main, p.co);
        x1 += 1, x2 += 1, x3 += 1, x4 += 1, x5 += 1, x6 += 1, x7 += 1, x8 += 1, x9 += 1, x10 += 1;
        y1 += 1, y2 += 1, y3 += 1, y4 += 1, y5 += 1, y6 += 1, y7 += 1, y8 += 1;
    }
    CHECK(p.count == rounds);
    CHECK(p.acc == 40.0 * rounds);
    CHECK(x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 == 605 + 10L * rounds);
    CHECK(y1 + y2 + y3 + y4 + y5 + y6 + y7 + y8 == 10.75 + 8.0 * rounds);
    free(stack);
    free(p.main);
    free(p.co);
}

/* Three contexts in a ring, each on its own stack, with its stack pointer 16-byte aligned. */
struct ring {
    struct green_ctx *ctx[3];
    int order[30], n;
};

static struct ring *the_ring;

static void ring_entry(void *arg)
{
    int me = (int)(intptr_t)arg;

    for (;;) {
        struct ring *r = the_ring;
        CHECK(__builtin_frame_address(0) != NULL &&
              ((uintptr_t)__builtin_frame_address(0) & 15) == 0);
        if (r->n < 30)
            r->order[r->n++] = me;
        green_ctx_switch(r->ctx[me], r->ctx[me == 2 ? 0 : me + 1]);
    }
}

static void test_ring(void)
{
    struct ring r = {{NULL, NULL, NULL}, {0}, 0};
    struct green_ctx *main = ctx_new(), *co[2] = {ctx_new(), ctx_new()};
    void *stacks[2] = {malloc(65536), malloc(65536)};

    the_ring = &r;
    /* ctx[0] is main's slot: the ring comes back to main after 1 -> 2 */
    green_ctx_make(co[0], stacks[0], 65536, ring_entry, (void *)(intptr_t)1);
    green_ctx_make(co[1], stacks[1], 65536, ring_entry, (void *)(intptr_t)2);
    r.ctx[1] = co[0];
    r.ctx[2] = co[1];
    r.ctx[0] = main;
    for (int i = 0; i < 10; i++)
        green_ctx_switch(main, co[0]);
    CHECK(r.n == 20);
    for (int i = 0; i < r.n; i++)
        CHECK(r.order[i] == 1 + i % 2);
    free(stacks[0]);
    free(stacks[1]);
    free(main);
    free(co[0]);
    free(co[1]);
}

/* ---- the stacks -------------------------------------------------------------------------- */

struct deep {
    struct green_ctx *main, *co;
    long result;
};

static long recurse(int depth)
{
    volatile char pad[256];

    pad[0] = (char)depth;
    return depth == 0 ? 0 : recurse(depth - 1) + 1 + pad[0] - (char)depth;
}

static void deep_entry(void *arg)
{
    struct deep *d = arg;

    d->result = recurse(100); /* about 30 KiB of a 64 KiB stack */
    green_ctx_switch(d->co, d->main);
    abort(); /* never resumed */
}

/* Runs a coroutine that uses half of its stack on a slot from green_slot_get. */
static void run_on_slot(struct green_sched *s, struct green_thread *g)
{
    struct deep d = {ctx_new(), ctx_of(g), -1};

    green_ctx_make(d.co, green_lo(s, g), green_usable(s, g), deep_entry, &d);
    green_ctx_switch(d.main, d.co);
    CHECK(d.result == 100);
    if (!g->guarded)
        green_canary_check(s, g); /* aborts if the coroutine wrote below its stack */
    free(d.main);
}

static void test_stacks(int guard)
{
    struct green_config cfg = {.stack_size = 64 * 1024, .guard = guard};
    struct green_sched s;
    struct green_thread *g[64];
    int err = 0;

    memset(&s, 0, sizeof s);
    CHECK(green_stacks_init(&s, &cfg) == 0);
    for (int i = 0; i < 64; i++) {
        g[i] = green_slot_get(&s, &err);
        CHECK(g[i] != NULL);
        if (g[i] == NULL)
            return;
        CHECK(green_usable(&s, g[i]) >= cfg.stack_size);
        CHECK(((uintptr_t)ctx_of(g[i]) & 15) == 0);
        CHECK(g[i]->guarded == (guard == 1));
    }
    for (int i = 0; i < 64; i++) /* no two stacks overlap */
        for (int j = 0; j < 64; j++)
            CHECK(i == j || (char *)g[j] + 1 <= green_lo(&s, g[i]) ||
                  (char *)g[i] + 1 <= green_lo(&s, g[j]));
    run_on_slot(&s, g[0]);
    run_on_slot(&s, g[63]);
    for (int i = 0; i < 64; i++)
        green_slot_release(&s, g[i]);
    CHECK(green_slot_get(&s, &err) == g[63]); /* reused from the free list, no new mapping */
    green_stacks_free(&s);
}

/* A write just below a guarded stack hits its guard page: SIGSEGV (in a child). */
static void test_guard_page(void)
{
    struct green_config cfg = {.stack_size = 64 * 1024, .guard = 1};
    struct green_sched s;
    int err = 0, status = 0;
    pid_t pid;

    memset(&s, 0, sizeof s);
    CHECK(green_stacks_init(&s, &cfg) == 0);
    struct green_thread *g = green_slot_get(&s, &err);
    CHECK(g != NULL && g->guarded);
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        signal(SIGSEGV, SIG_DFL);
        ((volatile char *)green_lo(&s, g))[-1] = 1;
        _exit(0);
    }
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
    green_stacks_free(&s);
}

int main(void)
{
    test_pingpong();
    test_ring();
    test_stacks(1);
    test_stacks(0);
    test_guard_page();
    printf("green core on %s: %s\n", green_ctx_impl(), failures ? "FAILED" : "all checks passed");
    return failures != 0;
}
