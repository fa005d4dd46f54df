#ifndef CONCBENCH_REF_KERNEL_H
#define CONCBENCH_REF_KERNEL_H

/* The reference kernel: a fixed single-thread CPU loop timed once per round beside the cases, so
 * a case's wall time can be divided by what the machine gave a plain loop at that moment
 * (compare --metric normalized). It must stay the same in every version of concbench: changing
 * REF_KERNEL_NAME, REF_KERNEL_STEPS or the loop makes old and new files incomparable. */

#include <stdint.h>

/* What the kernel computes, as results files name it. */
#define REF_KERNEL_NAME  "xorshift64*-chain-v1"
#define REF_KERNEL_STEPS 5000000LL /* about 40 ms on this project's 2-core VM */

/* Runs the kernel and returns its wall seconds (monotonic clock); *digest gets the loop's result,
 * the same for the same steps on every run, so the work cannot be optimised away. */
double ref_kernel_time(long long steps, uint64_t *digest);

#endif
