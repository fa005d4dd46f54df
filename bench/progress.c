#include "bench/progress.h"

#include <stdio.h>
#include <unistd.h>

#include "common/clock.h"

static void progress_started(void *arg, const struct rm_file *f, int rounds)
{
    struct progress *p = arg;

    p->enabled = isatty(STDERR_FILENO);
    p->cases = f->ncases;
    p->rounds = rounds;
    p->start_s = clock_now_s();
}

static void progress_rep(void *arg, const struct rm_file *f, int case_index, int round,
                         int measured)
{
    struct progress *p = arg;

    if (!p->enabled)
        return;
    fprintf(stderr, "\r\033[K[%d/%d] %-24s round %d/%d%s  elapsed %.1f s", case_index + 1, p->cases,
            f->cases[case_index].label, round + 1, p->rounds, measured ? "" : " (warmup)",
            clock_now_s() - p->start_s);
    fflush(stderr);
}

static void progress_finished(void *arg, const struct rm_file *f)
{
    struct progress *p = arg;

    (void)f;
    if (p->enabled)
        fprintf(stderr, "\r\033[K");
}

void progress_init(struct progress *p)
{
    *p = (struct progress){
        .observer = {.run_started = progress_started,
                     .rep_started = progress_rep,
                     .run_finished = progress_finished,
                     .arg = p},
    };
}
