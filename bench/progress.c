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

double progress_eta_s(int done, int rounds, double took_s, double since_s)
{
    double left;

    if (done <= 0 || rounds <= 0)
        return -1;
    left = took_s / done * (rounds - done) - since_s;
    return left > 0 ? left : 0;
}

/* "  ETA 1 min 05 s", "  ETA 12 s", or "" before the first round is done. */
static void eta_text(const struct progress *p, double now, char *buf, size_t len)
{
    double eta = progress_eta_s(p->rounds_done, p->rounds, p->round_end_s - p->first_rep_s,
                                now - p->round_end_s);

    if (eta < 0)
        snprintf(buf, len, "%s", "");
    else if (eta >= 3600)
        snprintf(buf, len, "  ETA %d h %02d min", (int)(eta / 3600), (int)(eta / 60) % 60);
    else if (eta >= 60)
        snprintf(buf, len, "  ETA %d min %02d s", (int)(eta / 60), (int)eta % 60);
    else
        snprintf(buf, len, "  ETA %.0f s", eta);
}

static void progress_rep(void *arg, const struct rm_file *f, int case_index, int round,
                         int measured)
{
    struct progress *p = arg;
    double now = clock_now_s();
    char eta[48];

    if (p->first_rep_s == 0)
        p->first_rep_s = now;
    if (!p->enabled)
        return;
    eta_text(p, now, eta, sizeof eta);
    fprintf(stderr, "\r\033[K[%d/%d] %-24s round %d/%d%s  elapsed %.1f s%s", case_index + 1,
            p->cases, f->cases[case_index].label, round + 1, p->rounds, measured ? "" : " (warmup)",
            now - p->start_s, eta);
    fflush(stderr);
}

static void progress_round(void *arg, struct bench *b, const struct rm_file *f, int round,
                           int measured)
{
    struct progress *p = arg;

    (void)b;
    (void)f;
    (void)measured;
    p->rounds_done = round + 1;
    p->round_end_s = clock_now_s();
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
                     .round_done = progress_round,
                     .run_finished = progress_finished,
                     .arg = p},
    };
}
