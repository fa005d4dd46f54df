#include "harness/progress.h"

#include <stdio.h>
#include <unistd.h>

#include "harness/clock.h"

void progress_start(struct progress *p, int cases, int rounds)
{
    p->enabled = isatty(STDERR_FILENO);
    p->cases = cases;
    p->rounds = rounds;
    p->start_s = clock_now_s();
}

void progress_update(struct progress *p, const char *label, int case_index, int round, int measured)
{
    if (!p->enabled)
        return;
    fprintf(stderr, "\r\033[K[%d/%d] %-24s round %d/%d%s  elapsed %.1f s", case_index + 1, p->cases,
            label, round + 1, p->rounds, measured ? "" : " (warmup)", clock_now_s() - p->start_s);
    fflush(stderr);
}

void progress_end(struct progress *p)
{
    if (p->enabled)
        fprintf(stderr, "\r\033[K");
}
