/* Context switch for x86-64 System V. A context is the saved stack pointer; everything else
 * lives on the stack it points to. Only callee-saved state is kept: rbx, rbp, r12-r15, the SSE
 * control/status word (mxcsr) and the x87 control word. Caller-saved registers are dead across
 * the call by the ABI, so the compiler already spilled whatever it needed.
 *
 * Saved frame, from the saved stack pointer up:
 *   +0  mxcsr (4 bytes), x87 control word (2 bytes), padding
 *   +8  r15  +16 r14  +24 r13  +32 r12  +40 rbx  +48 rbp
 *   +56 return address
 * green_ctx_make (switch_asm.c) builds the same frame for a new context, with r12 = entry,
 * r13 = arg and the return address pointing at green_x86_64_start.
 *
 * The symbols carry an arch prefix: switch_asm.c decides whether they back green_ctx_switch, so a
 * GREEN_FORCE_UCONTEXT build that only reached the C compiler still links. */
#if defined(__x86_64__)

#if defined(__CET__)
#define GREEN_LANDING endbr64
#else
#define GREEN_LANDING
#endif

    .text

/* void green_x86_64_switch(struct green_ctx *from, struct green_ctx *to) */
    .globl  green_x86_64_switch
    .hidden green_x86_64_switch
    .type   green_x86_64_switch, @function
    .p2align 4
green_x86_64_switch:
    .cfi_startproc
    GREEN_LANDING
    pushq   %rbp
    .cfi_adjust_cfa_offset 8
    pushq   %rbx
    .cfi_adjust_cfa_offset 8
    pushq   %r12
    .cfi_adjust_cfa_offset 8
    pushq   %r13
    .cfi_adjust_cfa_offset 8
    pushq   %r14
    .cfi_adjust_cfa_offset 8
    pushq   %r15
    .cfi_adjust_cfa_offset 8
    subq    $8, %rsp
    .cfi_adjust_cfa_offset 8
    stmxcsr (%rsp)
    fnstcw  4(%rsp)

    movq    %rsp, (%rdi)        /* from->sp = rsp */
    movq    (%rsi), %rsp        /* rsp = to->sp: from here on we run on the other stack */

    ldmxcsr (%rsp)
    fldcw   4(%rsp)
    addq    $8, %rsp
    .cfi_adjust_cfa_offset -8
    popq    %r15
    .cfi_adjust_cfa_offset -8
    popq    %r14
    .cfi_adjust_cfa_offset -8
    popq    %r13
    .cfi_adjust_cfa_offset -8
    popq    %r12
    .cfi_adjust_cfa_offset -8
    popq    %rbx
    .cfi_adjust_cfa_offset -8
    popq    %rbp
    .cfi_adjust_cfa_offset -8
    ret
    .cfi_endproc
    .size   green_x86_64_switch, . - green_x86_64_switch

/* First code a new context runs: the switch's ret lands here with rsp 16-byte aligned, so the
 * call below enters entry(arg) with the ABI's alignment. entry never returns. rip is marked
 * undefined so debuggers and sanitizer unwinders stop here instead of walking off the stack. */
    .globl  green_x86_64_start
    .hidden green_x86_64_start
    .type   green_x86_64_start, @function
    .p2align 4
green_x86_64_start:
    .cfi_startproc
    .cfi_undefined rip
    GREEN_LANDING
    movq    %r13, %rdi
    callq   *%r12
    ud2
    .cfi_endproc
    .size   green_x86_64_start, . - green_x86_64_start

#endif

    .section .note.GNU-stack, "", @progbits
