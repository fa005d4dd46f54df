/* green_ctx_* on glibc's ucontext: the portable fallback, used on architectures without an
 * assembly switch or when built with -DGREEN_FORCE_UCONTEXT. swapcontext also saves and restores
 * the signal mask, which costs a system call per switch (see `concbench primitives --only
 * green_switch`). */
#if !((defined(__x86_64__) || defined(__aarch64__)) && !defined(GREEN_FORCE_UCONTEXT))

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

#include "runners/green/green.h"

struct green_ctx {
    ucontext_t uc;
    void (*entry)(void *arg);
    void *arg;
};

size_t green_ctx_size(void)
{
    return sizeof(struct green_ctx);
}

const char *green_ctx_impl(void)
{
    return "ucontext";
}

void *green_ctx_sp(const struct green_ctx *ctx)
{
    (void)ctx;
    return NULL;
}

/* makecontext passes int arguments only, so the context's address travels as two halves. */
static void green_uc_start(unsigned int hi, unsigned int lo)
{
    uintptr_t p = (uintptr_t)(((uint64_t)hi << 32) | (uint64_t)lo);
    struct green_ctx *ctx = (struct green_ctx *)p;

    ctx->entry(ctx->arg);
    abort(); /* entry must not return */
}

void green_ctx_make(struct green_ctx *ctx, void *stack_base, size_t stack_size,
                    void (*entry)(void *arg), void *arg)
{
    uint64_t p = (uint64_t)(uintptr_t)ctx;

    if (getcontext(&ctx->uc) != 0) {
        perror("green: getcontext");
        abort();
    }
    ctx->uc.uc_stack.ss_sp = stack_base;
    ctx->uc.uc_stack.ss_size = stack_size;
    ctx->uc.uc_link = NULL;
    ctx->entry = entry;
    ctx->arg = arg;
    makecontext(&ctx->uc, (void (*)(void))green_uc_start, 2, (unsigned int)(p >> 32),
                (unsigned int)(p & 0xffffffffu));
}

void green_ctx_switch(struct green_ctx *from, struct green_ctx *to)
{
    if (swapcontext(&from->uc, &to->uc) != 0) {
        perror("green: swapcontext");
        abort();
    }
}

#else
typedef int green_switch_ucontext_unused; /* ISO C wants a non-empty translation unit */
#endif
