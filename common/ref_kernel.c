/* The reference kernel (ref_kernel.h): one dependent chain of xorshift64* steps, so neither the
 * compiler nor the CPU can overlap iterations; no memory beyond registers, no system calls. */
#include "common/ref_kernel.h"

#include "common/clock.h"

static uint64_t ref_kernel_loop(long long steps)
{
    uint64_t x = 0x9e3779b97f4a7c15ULL;

    for (long long i = 0; i < steps; i++) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        x *= 0x2545f4914f6cdd1dULL;
    }
    return x;
}

double ref_kernel_time(long long steps, uint64_t *digest)
{
    double t0 = clock_now_s();
    uint64_t d = ref_kernel_loop(steps);
    double t1 = clock_now_s();

    *digest = d;
    return t1 - t0;
}
