/* Context switch for AArch64 (AAPCS64). A context is the saved stack pointer; the callee-saved
 * state lives on the stack it points to: x19-x28, the frame pointer x29, the link register x30
 * and the low halves d8-d15 of v8-v15. Everything else is caller-saved by the ABI.
 *
 * Saved frame (0xa0 bytes, keeps sp 16-byte aligned), from the saved stack pointer up:
 *   +0x00 x19 x20  +0x10 x21 x22  +0x20 x23 x24  +0x30 x25 x26  +0x40 x27 x28
 *   +0x50 x29 x30  +0x60 d8 d9    +0x70 d10 d11  +0x80 d12 d13  +0x90 d14 d15
 * green_ctx_make (switch_asm.c) builds the same frame for a new context, with x19 = entry,
 * x20 = arg and x30 = green_aarch64_start. */
#if defined(__aarch64__)

    .text

/* void green_aarch64_switch(struct green_ctx *from, struct green_ctx *to) */
    .globl  green_aarch64_switch
    .hidden green_aarch64_switch
    .type   green_aarch64_switch, %function
    .p2align 4
green_aarch64_switch:
    .cfi_startproc
    hint    #34                 /* bti c: a landing pad when branch protection is on, else nop */
    sub     sp, sp, #0xa0
    stp     x19, x20, [sp, #0x00]
    stp     x21, x22, [sp, #0x10]
    stp     x23, x24, [sp, #0x20]
    stp     x25, x26, [sp, #0x30]
    stp     x27, x28, [sp, #0x40]
    stp     x29, x30, [sp, #0x50]
    stp     d8,  d9,  [sp, #0x60]
    stp     d10, d11, [sp, #0x70]
    stp     d12, d13, [sp, #0x80]
    stp     d14, d15, [sp, #0x90]

    mov     x9, sp
    str     x9, [x0]            /* from->sp = sp */
    ldr     x9, [x1]
    mov     sp, x9              /* sp = to->sp: from here on we run on the other stack */

    ldp     x19, x20, [sp, #0x00]
    ldp     x21, x22, [sp, #0x10]
    ldp     x23, x24, [sp, #0x20]
    ldp     x25, x26, [sp, #0x30]
    ldp     x27, x28, [sp, #0x40]
    ldp     x29, x30, [sp, #0x50]
    ldp     d8,  d9,  [sp, #0x60]
    ldp     d10, d11, [sp, #0x70]
    ldp     d12, d13, [sp, #0x80]
    ldp     d14, d15, [sp, #0x90]
    add     sp, sp, #0xa0
    ret                         /* to x30 */
    .cfi_endproc
    .size   green_aarch64_switch, . - green_aarch64_switch

/* First code a new context runs (the switch's ret lands here): call entry(arg), never return.
 * The return address is marked undefined so unwinders stop here. */
    .globl  green_aarch64_start
    .hidden green_aarch64_start
    .type   green_aarch64_start, %function
    .p2align 4
green_aarch64_start:
    .cfi_startproc
    .cfi_undefined x30
    mov     x0, x20
    blr     x19
    brk     #0
    .cfi_endproc
    .size   green_aarch64_start, . - green_aarch64_start

#endif

    .section .note.GNU-stack, "", %progbits
