/* The demos' stories: every number in them comes from the run's results; the article's claim
 * is quoted next to them, scaled like the run. */
#include "report/demo_story.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/findings.h"
#include "rmodel/article.h"
#include "report/report_text.h"
#include "runners/runner.h"

/* A paragraph at the width the demo was given (92 columns when none). */
static void say(FILE *out, struct text_buf *b, const struct render_opts *ro)
{
    size_t width = ro != NULL && ro->width >= 40 ? (size_t)ro->width : 92;

    text_print_wrapped_at(out, b->s ? b->s : "", "  ", "  ", width);
    free(b->s);
    memset(b, 0, sizeof(*b));
}

static double task_s(const struct rm_case *c, int task)
{
    for (int i = 0; i < c->ntimeline; i++)
        if (c->timeline[i].task == task && c->timeline[i].worker >= 0)
            return c->timeline[i].end_s - c->timeline[i].start_s;
    return NAN;
}

/* "evloop 4.00 s, green 4.01 s": the wall time of every case but sequential. */
static void list_concurrent(struct text_buf *b, const struct rm_file *f, const char *workload)
{
    int n = 0;

    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        if (runner_is_baseline(c->model) || strcmp(c->workload, workload) != 0)
            continue;
        text_append(b, "%s%s %.2f s", n++ ? ", " : "", c->label, rm_median(c));
    }
}

static const struct rm_case *first_concurrent(const struct rm_file *f)
{
    for (int i = 0; i < f->ncases; i++)
        if (!runner_is_baseline(f->cases[i].model))
            return &f->cases[i];
    return NULL;
}

/* The scale the scenario ran at: the article's times are quoted multiplied by it. */
static double story_scale(const struct render_opts *ro)
{
    return ro != NULL && ro->scale > 0 ? ro->scale : 1;
}

void story_await_chain(const struct rm_file *f, const struct render_opts *ro, FILE *out)
{
    double scale = story_scale(ro);
    const struct rm_case *seq = rm_find(f, "c", "script", runner_baseline_name());
    const struct rm_case *con = first_concurrent(f);
    struct text_buf b = {0};

    if (seq != NULL)
        text_append(&b,
                    "Awaited one after the other (sequential), the chain took %.2f s: task1 "
                    "(%.2f s: its own sleep, then task2 awaited inside it), then task2 again "
                    "(%.2f s).",
                    rm_median(seq), task_s(seq, 0), task_s(seq, 1));
    if (con != NULL) {
        text_append(&b, " Started together it took ");
        list_concurrent(&b, f, "script");
        text_append(&b,
                    ": task1 still needed %.2f s for its two sleeps in a row, task2 was done "
                    "after %.2f s.",
                    task_s(con, 0), task_s(con, 1));
    }
    if (seq != NULL && con != NULL)
        text_append(
            &b,
            " Awaiting one task at a time made the chain %.1fx as long as starting both together.",
            rm_median(seq) / rm_median(con));
    say(out, &b, ro);
    text_append(&b,
                "The article (seed 000): \"It took 6.0 seconds\" for the chain (%.2f s at this "
                "scale); started together, 4 s and 2 s (%.2f s and %.2f s).",
                6 * scale, 4 * scale, 2 * scale);
    say(out, &b, ro);
}

void story_gather(const struct rm_file *f, const struct render_opts *ro, FILE *out)
{
    double scale = story_scale(ro);
    const struct rm_case *seq = rm_find(f, "c", "sleep", runner_baseline_name());
    struct text_buf b = {0};

    if (seq != NULL)
        text_append(
            &b,
            "One after the other (sequential), A, B and C took %.2f s: the sum of their sleeps.",
            rm_median(seq));
    if (first_concurrent(f) != NULL) { /* demo gather -m sequential has none to list */
        text_append(
            &b,
            " Gathered, each concurrent model took about as long as C, the longest sleep, alone: ");
        list_concurrent(&b, f, "sleep");
        text_append(&b, ".");
    }
    say(out, &b, ro);
    text_append(&b,
                "The article (seed 004): A, B and C wait concurrently, \"the total runtime is 3 "
                "seconds and not 2 + 1 + 3 = 6 seconds\" (%.2f s and %.2f s at this scale).",
                3 * scale, 6 * scale);
    say(out, &b, ro);
}

void story_wait_timeout(const struct rm_file *f, const struct render_opts *ro, FILE *out)
{
    double scale = story_scale(ro);
    struct text_buf b = {0};
    double deadline = 2.5 * scale;

    text_append(&b, "Waited for %.2f s: ", deadline);
    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        text_append(&b,
                    "%s%s got %lld item%s and cancelled %lld, ending %.1f ms after the deadline",
                    i ? "; " : "", c->label, c->tasks - c->cancelled,
                    c->tasks - c->cancelled == 1 ? "" : "s", c->cancelled,
                    (rm_median(c) - deadline) * 1000);
    }
    text_append(&b, ". Every model cancels a task where it waits: a thread or a process cannot be "
                    "stopped from outside without leaving its locks and buffers in an unknown "
                    "state, so its sleep wakes at the deadline and the task ends as cancelled; on "
                    "the loop and in green threads the timer fires at the deadline and the task's "
                    "callback gets -ECANCELED, as an await gets CancelledError. The cost is the "
                    "time from the deadline to the end above: the wake-up and the clean-up.");
    say(out, &b, ro);
    text_append(&b,
                "The article (seed 002): asyncio.wait with a timeout returns the done and the "
                "pending tasks; \"we can access the pending Tasks and call the cancel() "
                "function to kill them\" (sleeps of 1 to 4 s, timeout %.2f s at this scale).",
                deadline);
    say(out, &b, ro);
}

/* Tasks that ended with the first one (within half its time): the first wave. End times, not
 * starts: on a loop every task starts at once and its blocking step waits in the pool's queue. */
static int first_wave(const struct rm_case *c)
{
    double first_end = INFINITY, start = INFINITY;
    int n = 0;

    for (int i = 0; i < c->ntimeline; i++)
        if (c->timeline[i].worker >= 0) {
            first_end = fmin(first_end, c->timeline[i].end_s);
            start = fmin(start, c->timeline[i].start_s);
        }
    for (int i = 0; i < c->ntimeline; i++)
        if (c->timeline[i].worker >= 0 &&
            c->timeline[i].end_s < first_end + (first_end - start) / 2)
            n++;
    return n;
}

void story_executor(const struct rm_file *f, const struct render_opts *ro, FILE *out)
{
    double scale = story_scale(ro);
    struct text_buf b = {0};

    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        text_append(&b,
                    "%s%s ran %d of the tasks in a first wave and the other %d a wave later, "
                    "%.2f s in all",
                    i ? "; " : "", c->label, first_wave(c), c->ntimeline - first_wave(c),
                    rm_median(c));
    }
    text_append(&b,
                ". A pool of %lld workers runs %lld blocking tasks in waves (on the loop every "
                "task starts at once and its blocking call waits in the pool's queue).",
                f->ncases ? f->cases[0].workers : 0, f->ncases ? f->cases[0].tasks : 0);
    say(out, &b, ro);
    text_append(&b,
                "The article (seed 002): run_in_executor on a ThreadPoolExecutor with "
                "max_workers=3 for 6 blocking calls; blocking calls of 1 s take 2 s (%.2f s at "
                "this scale).",
                2 * scale);
    say(out, &b, ro);
}

/* Step ends of the other tasks while task 0's blocking step ran. */
static int progress_during_block(const struct rm_case *c, double *block_s)
{
    const struct rm_task *t0 = NULL;
    int n = 0;

    for (int i = 0; i < c->ntimeline; i++)
        if (c->timeline[i].task == 0)
            t0 = &c->timeline[i];
    if (t0 == NULL || t0->nsteps == 0)
        return -1;
    *block_s = t0->steps_end_s[0] - t0->start_s;
    for (int i = 0; i < c->ntimeline; i++)
        for (int k = 1; k < c->timeline[i].nsteps && c->timeline[i].task != 0; k++)
            if (c->timeline[i].steps_end_s[k] > t0->start_s &&
                c->timeline[i].steps_end_s[k] < t0->steps_end_s[0])
                n++;
    return n;
}

/* "A and B froze under green (for the 1.00 s block)..." (frozen), or the models under which
 * their waits went on while the block ran. */
static void blocking_list(struct text_buf *b, const struct rm_file *f, int frozen)
{
    int listed = 0;

    for (int i = 0; i < f->ncases; i++) {
        double block_s = 0;
        int n = progress_during_block(&f->cases[i], &block_s);
        if ((n == 0) != frozen || n < 0)
            continue;
        text_append(b, "%s%s (",
                    listed++ ? ", "
                    : frozen ? "While \"blocking\" held its thread, A and B froze under "
                             : "Under ",
                    f->cases[i].label);
        if (frozen)
            text_append(b, "for the %.2f s block)", block_s);
        else
            text_append(b, "%d waits ended during the %.2f s block)", n, block_s);
    }
    if (listed > 0)
        text_append(b, frozen ? ": none of their waits ended. " : ", their waits went on. ");
}

void story_blocking(const struct rm_file *f, const struct render_opts *ro, FILE *out)
{
    double scale = story_scale(ro);
    struct text_buf b = {0};

    blocking_list(&b, f, 1);
    blocking_list(&b, f, 0);
    text_append(&b, " On one thread (a loop computing inline, green threads) nothing else runs "
                    "until the blocking step returns; on the thread pool or on threads the waits "
                    "go on.");
    say(out, &b, ro);
    text_append(&b,
                "The article (seed 004): \"the event loop never interrupts or pre-empts a "
                "running coroutine\"; \"you must never write blocking code inside a coroutine\" "
                "(the block here: %.2f s at this scale).",
                1 * scale);
    say(out, &b, ro);
}

/* The article's column for model (sequential, pthreads, ...), or -1 (openmp, uring, mpi). */
static int article_column(const char *model)
{
    for (int m = 0; m < REPRO_NMODELS; m++)
        if (strcmp(repro_models[m], model) == 0)
            return m;
    return -1;
}

/* "cpu_bound speed-up here: pthreads 1.9x (article's threads 0.88x), ...": every C case of the
 * workload but the baseline and the GIL's (gil_line's), in the order they ran; a launched
 * model's start-up said, as it is inside its wall time. */
static void cpu_io_line(struct text_buf *b, const struct rm_file *f, const struct rm_published *p,
                        const char *workload)
{
    const char *base = runner_baseline_name();
    const struct rm_case *s = rm_find(f, "c", workload, base);
    double sync = rm_published_seconds(p, base, workload);
    int n = 0;

    text_append(b, "%s speed-up here:", workload);
    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        int m = article_column(c->model);
        double art = m >= 0 ? rm_published_seconds(p, c->model, workload) : 0;
        if (strcmp(c->implementation, "c") != 0 || strcmp(c->workload, workload) != 0 ||
            strcmp(c->model, base) == 0 || strstr(c->label, "gil=on") != NULL)
            continue;
        text_append(b, "%s %s %.2fx", n++ ? "," : "", c->label, s != NULL ? rm_speedup(f, c) : NAN);
        if (art > 0 && sync > 0 && strcmp(c->label, c->model) == 0)
            text_append(b, " (article's %s %.2fx)", repro_article[m], sync / art);
        if (c->launch != NULL && isfinite(c->launch->startup_s))
            text_append(b, " (%.2f s of its %.2f s was the launch's start-up)",
                        c->launch->startup_s, rm_median(c));
    }
    text_append(b, "%s", n > 0 ? ". " : " no model ran beside the baseline. ");
}

/* "with gil=on: pthreads:gil=on 0.95x, ...": the cases that run under the GIL switch. */
static void gil_line(struct text_buf *b, const struct rm_file *f, const char *workload)
{
    int n = 0;

    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        if (strcmp(c->workload, workload) != 0 || strstr(c->label, "gil=on") == NULL)
            continue;
        text_append(b, "%s%s %.2fx", n++ ? ", " : "With the GIL switch: ", c->label,
                    rm_speedup(f, c));
    }
    if (n > 0)
        text_append(b, ". ");
}

/* The load first, when it exceeded the CPUs: every ratio after it is less certain. */
static void busy_line(struct text_buf *b, const struct reading *r)
{
    if (!r->busy)
        return;
    text_append(b,
                "The machine was busy: its load average was %.2f when the demo started, above "
                "the %lld CPU%s these cases could use, so other work took CPU time from them and "
                "the ratios below are less certain. Run it again when `uptime` shows a load "
                "below %lld.",
                r->load, r->cpus_used, r->cpus_used == 1 ? "" : "s", r->cpus_used);
}

/* C's claim about its threads (the models whose compute steps run on threads: pthreads, the
 * loop's pool), only as far as this run's ratios support it. */
static void no_gil_claim(struct text_buf *b, const struct reading *r)
{
    const struct finding *x[REPRO_NMODELS];
    int n = 0, gained = 0, noise = 0;

    for (int m = 1; m < REPRO_NMODELS; m++) {
        const struct runner *run = runner_find(repro_models[m]);
        const struct finding *f = reading_get(r, FINDING_CPU, FINDING_C, m);
        if (run == NULL || f == NULL ||
            (run->compute != RUNNER_COMPUTE_THREADS && run->compute != RUNNER_COMPUTE_POOL))
            continue;
        x[n++] = f;
        gained += (f->verdict & FINDING_YES) != 0;
        noise |= (f->verdict & FINDING_INCONCLUSIVE) != 0;
    }
    if (n == 0)
        return;
    if (gained == n) {
        text_append(b,
                    " C has no GIL: here its threads and its loop's pool computed in parallel (");
        for (int i = 0; i < n; i++)
            text_append(b, "%s%s %.2fx", i ? ", " : "", repro_models[x[i]->model], x[i]->ratio);
        text_append(b, "), as far as the CPUs allow, unless gil=on made them take turns.");
        return;
    }
    text_append(b, " C has no GIL, so its threads and its loop's pool can compute in parallel, "
                   "but this run does not show it (");
    for (int i = 0; i < n; i++)
        text_append(b, "%s%s %.2fx", i ? ", " : "", repro_models[x[i]->model], x[i]->ratio);
    text_append(b, "; a gain counts from %.2fx): %s.", FINDING_CPU_GAIN,
                r->busy          ? "the CPUs were busy with other work"
                : r->ncpu == 1   ? "this machine has one logical CPU"
                : r->short_tasks ? "the tasks were too short to outweigh starting them"
                : noise          ? "the ratios are within the noise"
                                 : "`concbench report` of the demo's -o file lists its warnings");
}

void story_cpu_vs_io(const struct rm_file *f, const struct render_opts *ro, FILE *out)
{
    char err[512];
    struct rm_published *p = published_load(NULL, err, sizeof(err));
    struct text_buf b = {0};
    struct reading r;

    (void)ro;
    reading_compute(f, p, &r);
    busy_line(&b, &r);
    if (b.len > 0)
        say(out, &b, ro);
    cpu_io_line(&b, f, p, "cpu_bound");
    gil_line(&b, f, "cpu_bound");
    say(out, &b, ro);
    cpu_io_line(&b, f, p, "io_bound");
    gil_line(&b, f, "io_bound");
    say(out, &b, ro);
    text_append(&b,
                "The article (seed 003): with the GIL, threads do not speed up CPU work (0.88x) "
                "and every model overlaps the waits.");
    no_gil_claim(&b, &r);
    if (p == NULL)
        text_append(&b, " (The published figures could not be read: %s.)", err);
    say(out, &b, ro);
    rm_published_free(p);
}
