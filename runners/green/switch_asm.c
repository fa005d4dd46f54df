/* green_ctx_* on top of the assembly switches (switch_x86_64.S, switch_aarch64.S). Built on
 * x86-64 and AArch64 unless GREEN_FORCE_UCONTEXT is defined; switch_ucontext.c covers the rest. */
#if (defined(__x86_64__) || defined(__aarch64__)) && !defined(GREEN_FORCE_UCONTEXT)

#include <stdint.h>

#include "runners/green/green.h"

struct green_ctx {
    void *sp; /* saved stack pointer; the registers are on the stack it points to */
};

#if defined(__x86_64__)
void green_x86_64_switch(struct green_ctx *from, struct green_ctx *to);
void green_x86_64_start(void);
#define GREEN_ASM_SWITCH green_x86_64_switch
#define GREEN_ASM_IMPL   "x86_64-asm"
#else
void green_aarch64_switch(struct green_ctx *from, struct green_ctx *to);
void green_aarch64_start(void);
#define GREEN_ASM_SWITCH green_aarch64_switch
#define GREEN_ASM_IMPL   "aarch64-asm"
#endif

size_t green_ctx_size(void)
{
    return sizeof(struct green_ctx);
}

const char *green_ctx_impl(void)
{
    return GREEN_ASM_IMPL;
}

void green_ctx_make(struct green_ctx *ctx, void *stack_base, size_t stack_size,
                    void (*entry)(void *arg), void *arg)
{
    uintptr_t top = ((uintptr_t)stack_base + stack_size) & ~(uintptr_t)15;

#if defined(__x86_64__)
    /* The frame green_x86_64_switch pops (see switch_x86_64.S). Its ret pops the start address
     * and leaves rsp = top, 16-byte aligned, as the call in green_x86_64_start expects. */
    uint64_t *frame = (uint64_t *)(top - 8 * 8);
    uint32_t mxcsr;
    uint16_t fpucw;

    /* The new context starts with the creator's rounding and exception masks. */
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    __asm__ volatile("fnstcw %0" : "=m"(fpucw));
    frame[0] = (uint64_t)mxcsr | (uint64_t)fpucw << 32;
    frame[1] = 0;                                       /* r15 */
    frame[2] = 0;                                       /* r14 */
    frame[3] = (uint64_t)(uintptr_t)arg;                /* r13 */
    frame[4] = (uint64_t)(uintptr_t)entry;              /* r12 */
    frame[5] = 0;                                       /* rbx */
    frame[6] = 0;                                       /* rbp: end of the frame chain */
    frame[7] = (uint64_t)(uintptr_t)green_x86_64_start; /* return address */
#else
    /* The frame green_aarch64_switch pops (see switch_aarch64.S). */
    uint64_t *frame = (uint64_t *)(top - 0xa0);

    for (int i = 0; i < 0xa0 / 8; i++)
        frame[i] = 0;
    frame[0] = (uint64_t)(uintptr_t)entry;                /* x19 */
    frame[1] = (uint64_t)(uintptr_t)arg;                  /* x20 */
    frame[11] = (uint64_t)(uintptr_t)green_aarch64_start; /* x30 (x29 = 0 ends the chain) */
#endif
    ctx->sp = frame;
}

void *green_ctx_sp(const struct green_ctx *ctx)
{
    return ctx->sp;
}

/* A C wrapper so the public name does not depend on how the .S files were preprocessed; the
 * compiler turns it into a single jump. */
void green_ctx_switch(struct green_ctx *from, struct green_ctx *to)
{
    GREEN_ASM_SWITCH(from, to);
}

#else
typedef int green_switch_asm_unused; /* ISO C wants a non-empty translation unit */
#endif
