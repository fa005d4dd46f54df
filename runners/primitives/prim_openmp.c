/* OpenMP's primitive: entering and leaving an empty parallel region. Built with -fopenmp, only
 * when CMake finds OpenMP. */
#include <omp.h>

#include "common/clock.h"
#include "runners/primitives/primitives.h"

static volatile int sink;

/* What OpenMP adds over a hand-made pool at each region: waking the team libgomp keeps between
 * regions and the implicit barrier at its end (the team itself is made once, by the measuring
 * loop's first, unmeasured operation). */
int prim_omp_parallel_region(long long n, double *seconds, char *err, size_t errlen)
{
    double t0;

    (void)err;
    (void)errlen;
    omp_set_dynamic(0);
    t0 = clock_now_s();
    for (long long i = 0; i < n; i++) {
#pragma omp parallel
        {
            if (omp_get_thread_num() < 0) /* never: keeps the region from being empty code */
                sink = 1;
        }
    }
    *seconds = clock_now_s() - t0;
    return 0;
}
