/* Runs the cases: per repetition a fresh child of the harness (isolation: its own peak RSS, CPU
 * time and context switches, and a crash stays contained), rounds interleaving the models,
 * validation of every task after every repetition; observers hear of every step. */
#include "bench/bench.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "workloads/io_bound.h"
#include "workloads/wait_timer.h"
#include "common/bulk_alloc.h"
#include "common/clock.h"
#include "common/die_with_parent.h"
#include "bench/count.h"
#include "bench/rep_stderr.h"
#include "bench/results.h"
#include "bench/results_latency.h"
#include "common/stop_signals.h"
#include "common/hash.h"
#include "common/proc_status.h"
#include "common/ref_kernel.h"

/* One repetition's figures, measured inside the isolated child around the timed region. */
struct sample {
    double wall_s, user_s, sys_s;
    double max_rss_kib;
    double ctx_voluntary, ctx_involuntary;
    double pss_kib, pte_kib, rss_per_task_bytes;
    double rss_growth_kib; /* peak RSS beyond what the process had before the model ran */
};

/* What the isolated child hands back, in memory shared with the harness. */
struct rep_out {
    int done;
    int rc;
    struct sample sample;
    char error[RUN_ERROR_LEN];
    char warning[RUN_ERROR_LEN];
    double startup_s;                     /* mpi: start-up inside the wall time; 0 = none */
    struct run_host hosts[RUN_MAX_HOSTS]; /* mpi: where the ranks ran */
    int nhosts;
    unsigned char rank_host[RUN_MAX_MAPPED_RANKS]; /* mpi: each rank's host (run_ctx's) */
};

static volatile sig_atomic_t alarm_fired;

static void on_alarm(int sig)
{
    (void)sig;
    alarm_fired = 1;
}

static void *shared_alloc(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* The loop's own state of a case; what it measured is in b->results->cases[k]. */
struct bench_case {
    const struct model_spec *model;
    const struct workload_spec *ws;
    int wl_index;
    int pinned;    /* its last warning is --cpus's, and stays the last */
    int skip_rest; /* bench_skip_case: the case's remaining repetitions are not run */
    /* io_bound's embedded server during the measured repetitions (summed over them): how many
     * responses and how late each began (server/server.h); have_server 0 = no server of ours */
    int have_server, server_threads;
    struct server_thread_stats server;
};

/* Adds a warning to a case once, before the --cpus one. */
static void case_warn(const struct bench_case *c, struct rm_case *rc, const char *text)
{
    struct rm_strs *w = &rc->warnings;

    if (rm_strs_note(w, text, CASE_MAX_MESSAGES) && c->pinned && w->n > 1) {
        char *last = w->v[w->n - 1];
        w->v[w->n - 1] = w->v[w->n - 2];
        w->v[w->n - 2] = last;
    }
}

/* A repetition or a task went wrong: counted, and its text kept once. */
static void case_error(struct rm_case *rc, const char *text)
{
    rc->error_count++;
    rc->validation_ok = 0;
    rm_strs_note(&rc->errors, text, CASE_MAX_MESSAGES);
}

static double sample_figure(const struct sample *s, enum rm_fig f)
{
    const double v[RM_NFIGS] = {s->wall_s,      s->user_s,        s->sys_s,
                                s->max_rss_kib, s->ctx_voluntary, s->ctx_involuntary,
                                s->pss_kib,     s->pte_kib,       s->rss_per_task_bytes};
    return v[f];
}

static double tv_s(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

/* Memory figures of a repetition: PSS and page tables when the tasks were done (the runner's
 * probe, else now), and how far peak RSS grew beyond what the process had before the model ran.
 * The records (48 bytes a task) are the harness's, faulted in before, so they do not count. */
static void rep_memory(struct run_ctx *ctx, double rss_before_kib, struct sample *s)
{
    run_memory_probe(ctx);
    s->pss_kib = ctx->pss_kib;
    s->pte_kib = ctx->pte_kib;
    s->rss_growth_kib = rss_before_kib >= 0 ? s->max_rss_kib - rss_before_kib : -1;
}

/* Memory per task: the repetition's growth of peak RSS beyond the same model's growth with no
 * task (its fixed cost), over the tasks; never below 0 (page-granular noise at small N). */
static void rep_rss_per_task(const struct rm_case *rc, int tasks, struct sample *s)
{
    double extra = s->rss_growth_kib;

    s->rss_per_task_bytes = 0;
    if (tasks <= 0 || extra < 0)
        return;
    if (rc->rss_baseline_kib > 0)
        extra -= rc->rss_baseline_kib;
    s->rss_per_task_bytes = extra > 0 ? extra * 1024.0 / tasks : 0;
}

/* In the child: run the model once, measure, report, never return. */
static void rep_child(const struct bench *b, const struct bench_case *c, int tasks,
                      struct task_table *table, struct rep_out *out, pid_t harness)
{
    const struct config *cfg = b->cfg;
    const struct model_spec *m = c->model;
    struct run_ctx ctx = {
        .wl = c->ws->wl,
        .wl_instance = b->wl_instances[c->wl_index],
        .tasks = tasks,
        .workers = cfg->workers,
        .opts = &m->opts,
        .env.table = table,
        .wl_params = &c->ws->params,
    };
    struct rusage s0, s1, c0, c1;
    double t0, t1, rss_before;

    setpgid(0, 0);            /* so a timeout or Ctrl-C can stop the model's own children too */
    die_with_parent(harness); /* and a kill -9 of the harness stops this one */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    /* The records are the harness's instrument, not the model's memory: their pages are
     * faulted in before the clock starts (a million records are 12,000 pages). */
    bulk_prefault(table, table->bytes);
    rss_before = run_rss_kib();
    getrusage(RUSAGE_SELF, &s0);
    getrusage(RUSAGE_CHILDREN, &c0);
    t0 = clock_now_s();
    wait_timer_cancel_at(cfg->cancel_after_ms > 0 ? t0 + cfg->cancel_after_ms / 1000.0 : 0);
    if (tasks > 0)
        count_region(1); /* under run --count instructions: the timed region alone */
    out->rc = m->runner->run(&ctx);
    if (tasks > 0)
        count_region(0);
    t1 = clock_now_s();
    getrusage(RUSAGE_SELF, &s1);
    getrusage(RUSAGE_CHILDREN, &c1);

    out->sample.wall_s = t1 - t0 - ctx.probe_s; /* the runner's memory probe is not its work */
    out->sample.user_s =
        tv_s(s1.ru_utime) - tv_s(s0.ru_utime) + tv_s(c1.ru_utime) - tv_s(c0.ru_utime);
    out->sample.sys_s =
        tv_s(s1.ru_stime) - tv_s(s0.ru_stime) + tv_s(c1.ru_stime) - tv_s(c0.ru_stime);
    /* Peak resident memory of the largest single process: the model's process or, for
     * processes, its biggest child. */
    out->sample.max_rss_kib = (double)(s1.ru_maxrss > c1.ru_maxrss ? s1.ru_maxrss : c1.ru_maxrss);
    out->sample.ctx_voluntary = (double)(s1.ru_nvcsw - s0.ru_nvcsw + c1.ru_nvcsw - c0.ru_nvcsw);
    out->sample.ctx_involuntary =
        (double)(s1.ru_nivcsw - s0.ru_nivcsw + c1.ru_nivcsw - c0.ru_nivcsw);
    rep_memory(&ctx, rss_before, &out->sample);
    memcpy(out->error, ctx.error, sizeof(out->error));
    memcpy(out->warning, ctx.warning, sizeof(out->warning));
    out->startup_s = ctx.startup_s;
    memcpy(out->hosts, ctx.hosts, sizeof(out->hosts));
    out->nhosts = ctx.nhosts;
    memcpy(out->rank_host, ctx.rank_host, sizeof(out->rank_host));
    out->done = 1;
    _exit(0);
}

static int timeline_step(const struct config *cfg);
static void note_step_kinds(const struct bench *b, const struct bench_case *c, struct rm_case *rc);

/* An observer draws the run as it goes, and the run keeps a timeline to draw. */
static int wants_progress(const struct bench *b)
{
    if (timeline_step(b->cfg) <= 0)
        return 0;
    for (int o = 0; o < b->nobservers; o++)
        if (b->observers[o]->rep_progress != NULL)
            return 1;
    return 0;
}

/* Case k's tasks so far to the observers that draw them: a copy of the case with the timeline
 * of now (its names, kinds and figures shared, never freed here). */
static void tell_progress(struct bench *b, int k, const struct task_table *table)
{
    struct rm_case now;

    if (b->results->cases[k].step_kinds == NULL) /* before its first timeline is kept */
        note_step_kinds(b, &b->cases[k], &b->results->cases[k]);
    now = b->results->cases[k];
    results_progress(&now, table, timeline_step(b->cfg), b->cfg->tasks, clock_now_s());
    for (int o = 0; o < b->nobservers; o++)
        if (b->observers[o]->rep_progress != NULL)
            b->observers[o]->rep_progress(b->observers[o]->arg, b->results, k, &now);
    for (int i = 0; i < now.ntimeline; i++)
        rm_task_clear(&now.timeline[i]);
    free(now.timeline);
}

/* Waits for the repetition's child, killing it on --timeout or a stop signal; while a live
 * observer draws the run (table->live), polls it every 50 ms and tells it the tasks so far. */
static void wait_rep(struct bench *b, int k, pid_t pid, const struct task_table *table, int *status)
{
    const struct timespec nap = {0, 50 * 1000 * 1000};
    int live = table->live;

    for (;;) {
        pid_t r = waitpid(pid, status, live ? WNOHANG : 0);
        if (r == pid || (r < 0 && errno != EINTR))
            return;
        if (alarm_fired || stop_signal_caught()) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
        }
        if (live && r == 0) {
            tell_progress(b, k, table);
            nanosleep(&nap, NULL);
        }
    }
}

/* Runs one repetition of tasks tasks (the run's, or 0 for the model's baseline) in a fresh
 * child. Returns 0 when the child reported, else -1 with the reason in why. */
static int run_rep(struct bench *b, int k, int tasks, struct task_table *table, struct rep_out *out,
                   char *why, size_t whylen)
{
    const struct bench_case *c = &b->cases[k];
    const struct config *cfg = b->cfg;
    int status, errfd;
    char last_words[RUN_ERROR_LEN];
    pid_t pid, harness;

    memset(out, 0, sizeof(*out));
    task_table_reset(table);
    table->live = tasks > 0 && wants_progress(b);
    fflush(NULL);
    errfd = rep_stderr_open();
    harness = getpid();
    pid = fork();
    if (pid < 0) {
        snprintf(why, whylen, "cannot fork the repetition's process: %s", strerror(errno));
        rep_stderr_finish(errfd, last_words, sizeof(last_words));
        return -1;
    }
    if (pid == 0) {
        rep_stderr_redirect(errfd);
        rep_child(b, c, tasks, table, out, harness);
    }

    alarm_fired = 0;
    alarm((unsigned)cfg->timeout_s);
    wait_rep(b, k, pid, table, &status);
    alarm(0);
    kill(-pid, SIGKILL); /* anything the model left behind in its process group */
    rep_stderr_finish(errfd, last_words, sizeof(last_words));

    if (stop_signal_caught()) {
        snprintf(why, whylen, "interrupted by signal %d", stop_signal_caught());
        return -1;
    }
    if (alarm_fired) {
        snprintf(why, whylen, "repetition killed after %d s (--timeout)", cfg->timeout_s);
        return -1;
    }
    if (WIFSIGNALED(status)) {
        char how[128];
        proc_status_text(status, how, sizeof(how));
        snprintf(why, whylen, "repetition's process %s%s%s", how, last_words[0] ? ": " : "",
                 last_words);
        return -1;
    }
    if (!out->done) {
        snprintf(why, whylen, "repetition's process exited with status %d before reporting%s%s",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1, last_words[0] ? ": " : "",
                 last_words);
        return -1;
    }
    return 0;
}

/* What a failed task's error was: its own text, or why that was not kept. */
static void failed_task_text(const struct task_table *table, const struct task_record *r, char *why,
                             size_t len)
{
    const char *text = task_error_text(table, r);

    if (text[0] != '\0')
        snprintf(why, len, "%s", text);
    else if (r->detail == TASK_NO_DETAIL && table->errors_dropped > 0)
        snprintf(why, len,
                 "task failed (%s); its text was not kept: only the first %d failed tasks' texts "
                 "are",
                 strerror(-r->status), table->nerror_slots);
    else
        snprintf(why, len, "task failed (%s)", strerror(-r->status));
}

/* -j above -n was capped (config_cap_workers): every case with a pool says so. */
static void note_capped_pool(const struct config *cfg, const struct bench_case *c,
                             struct rm_case *rc)
{
    char text[128];

    if (cfg->workers_asked == 0 || !c->model->runner->pool)
        return; /* not capped, or no pool */
    snprintf(text, sizeof text,
             "pool capped at %d workers, one per task (--workers %d asked for more)", cfg->workers,
             cfg->workers_asked);
    case_warn(c, rc, text);
}

/* --cancel-after on a workload whose tasks it cannot stop: every case of it says so. */
static void note_uncancellable(const struct config *cfg, const struct bench_case *c,
                               struct rm_case *rc)
{
    char text[160];

    if (cfg->cancel_after_ms == 0 || c->ws->wl->cancellable)
        return;
    snprintf(text, sizeof text,
             "--cancel-after %d has no effect here: %s has no cancellation point (sleep and "
             "script do)",
             cfg->cancel_after_ms, c->ws->wl->name);
    case_warn(c, rc, text);
}

/* Checks every task of a finished repetition and files what is wrong under the case. */
static void validate_rep(struct bench *b, const struct bench_case *c, struct rm_case *rc,
                         const struct task_table *table, const struct rep_out *out)
{
    const struct config *cfg = b->cfg;
    uint64_t sum = HASH_FNV1A_INIT;
    char why[RUN_ERROR_LEN + TASK_ERROR_LEN + 64], checksum[17];
    int cancelled = 0;

    for (int i = 0; i < cfg->tasks; i++) {
        const struct task_record *r = &table->records[i];
        int bad = 1;

        if (r->status == -ECANCELED && cfg->cancel_after_ms > 0) {
            cancelled++; /* asked for: cancelled at a wait, not wrong */
            bad = 0;
        } else if (r->worker < 0 && r->status == 0)
            snprintf(why, sizeof(why), "task never ran%s%s", out->error[0] ? ": " : "", out->error);
        else if (r->status != 0)
            failed_task_text(table, r, why, sizeof(why));
        else if (c->ws->wl->check(b->wl_instances[c->wl_index], r, why, sizeof(why)) != 0)
            ;
        else
            bad = 0;
        if (bad) {
            rc->failures++;
            case_error(rc, why);
        }
        sum = hash_fnv1a(sum, &r->digest, sizeof(r->digest));
    }
    rc->tasks_checked += cfg->tasks;
    rc->cancelled = cancelled;
    snprintf(checksum, sizeof(checksum), "%016llx", (unsigned long long)sum);
    free(rc->checksum);
    rc->checksum = rm_strdup(checksum);
    if (out->error[0])
        case_error(rc, out->error);
    if (out->warning[0])
        case_warn(c, rc, out->warning);
    rc->validation_ok = rc->error_count == 0 && rc->tasks_checked > 0;
}

/* The kind of each step, 'c' compute or 'w' wait, read from the workload while its instance
 * lives (the first STEP_KINDS steps; later ones are of the last kind listed). */
#define STEP_KINDS 64

static void note_step_kinds(const struct bench *b, const struct bench_case *c, struct rm_case *rc)
{
    const struct workload *wl = c->ws->wl;
    const void *instance = b->wl_instances[c->wl_index];
    int n = wl->steps(instance);
    char kinds[STEP_KINDS + 1];

    n = n < STEP_KINDS ? n : STEP_KINDS;
    for (int k = 0; k < n; k++)
        kinds[k] = wl->step_kind(instance, k) == STEP_COMPUTE ? 'c' : 'w';
    kinds[n] = '\0';
    free(rc->step_kinds);
    rc->step_kinds = n > 0 ? rm_strdup(kinds) : NULL;
}

/* Every how many tasks the timeline keeps one (0 = no timeline): these tasks keep step marks. */
static int timeline_step(const struct config *cfg)
{
    if (cfg->timeline_max == 0)
        return 0;
    if (cfg->tasks > cfg->timeline_max)
        return (cfg->tasks + cfg->timeline_max - 1) / cfg->timeline_max;
    return 1;
}

static void keep_timeline(struct bench *b, const struct bench_case *c, struct rm_case *rc,
                          const struct task_table *table)
{
    int step = timeline_step(b->cfg);

    note_step_kinds(b, c, rc);
    if (step > 0)
        results_timeline(rc, table, step, b->cfg->tasks, b->latency[c->wl_index]);
}

/* A measured repetition's figures into the case, statistics recomputed. */
static void add_sample(struct rm_case *rc, const struct sample *sm)
{
    for (int f = 0; f < RM_NFIGS; f++) {
        struct rm_figure *fig = &rc->fig[f];
        double *grown = realloc(fig->samples, (size_t)(fig->nsamples + 1) * sizeof(*grown));
        if (grown == NULL)
            abort();
        fig->samples = grown;
        fig->samples[fig->nsamples++] = sample_figure(sm, (enum rm_fig)f);
        stats_compute(fig->samples, fig->nsamples, &fig->st);
    }
    rc->reps_done++;
}

int bench_spread_warning(const struct stats *wall, char *text, size_t len)
{
    if (wall->n < 3 && wall->n > 0) {
        snprintf(text, len, "only %d repetition(s): no spread to judge; use -r 5 or more", wall->n);
        return 1;
    }
    if (wall->mean > 0 && wall->stddev / wall->mean > 0.10) {
        snprintf(text, len,
                 "unstable: wall-time stddev is %.0f%% of the mean (min %.4g s, max %.4g s); "
                 "the machine may be busy, use more repetitions",
                 100.0 * wall->stddev / wall->mean, wall->min, wall->max);
        return 1;
    }
    return 0;
}

static void spread_warnings(struct bench *b)
{
    char text[256];

    for (int k = 0; k < b->ncases; k++) {
        struct rm_case *rc = &b->results->cases[k];
        if (bench_spread_warning(&rc->fig[RM_WALL].st, text, sizeof(text)))
            case_warn(&b->cases[k], rc, text);
    }
}

void bench_observe(struct bench *b, const struct bench_observer *o)
{
    if (b->nobservers < BENCH_MAX_OBSERVERS)
        b->observers[b->nobservers++] = o;
}

/* Calls one callback of every observer that has it. */
#define NOTIFY(b, fn, ...)                                                                         \
    do {                                                                                           \
        for (int o_ = 0; o_ < (b)->nobservers; o_++)                                               \
            if ((b)->observers[o_]->fn != NULL)                                                    \
                (b)->observers[o_]->fn((b)->observers[o_]->arg, __VA_ARGS__);                      \
    } while (0)

/* Every case's model once with no task, so that memory per task leaves out what the model
 * costs anyway. A model that fails here still runs its cases; its memory per task is then
 * against the RSS before the model ran. */
static void measure_rss_baselines(struct bench *b, struct task_table *table, struct rep_out *out)
{
    char why[512];

    for (int k = 0; k < b->ncases && !stop_signal_caught(); k++) {
        struct rm_case *rc = &b->results->cases[k];
        rc->rss_baseline_kib = NAN;
        if (run_rep(b, k, 0, table, out, why, sizeof(why)) == 0 && out->rc == 0 &&
            out->sample.rss_growth_kib >= 0)
            rc->rss_baseline_kib = out->sample.rss_growth_kib;
    }
}

/* The results model with every case before its first repetition, and the loop's own state of
 * each. -1 when memory runs out. */
static int start_cases(struct bench *b)
{
    const struct config *cfg = b->cfg;
    int n = cfg->nwls * cfg->nmodels;

    b->results = results_start(b);
    b->cases = calloc((size_t)n, sizeof(*b->cases));
    if (b->cases == NULL)
        return -1;
    for (b->ncases = 0; b->ncases < n; b->ncases++) {
        struct bench_case *c = &b->cases[b->ncases];
        struct rm_case *rc = rm_case_add(b->results);
        char pin[256];

        if (rc == NULL)
            return -1;
        c->wl_index = b->ncases / cfg->nmodels;
        c->ws = &cfg->wls[c->wl_index];
        c->model = &cfg->models[b->ncases % cfg->nmodels];
        results_case_start(rc, cfg, c->ws, c->model, b->latency[c->wl_index]);
        results_calibration(rc, c->ws->wl, b->wl_instances[c->wl_index]);
        c->pinned = config_pin_warning(cfg, c->model, pin, sizeof(pin));
        if (c->pinned)
            rm_strs_note(&rc->warnings, pin, CASE_MAX_MESSAGES);
        note_capped_pool(cfg, c, rc);
        note_uncancellable(cfg, c, rc);
    }
    results_status(b->results, 0, 0, cfg->reps);
    return 0;
}

/* One repetition of case k in a round; 1 when a stop signal cut it short. */
static int run_case(struct bench *b, int k, int round, struct task_table *table,
                    struct rep_out *out)
{
    const struct config *cfg = b->cfg;
    struct bench_case *c = &b->cases[k];
    struct rm_case *rc = &b->results->cases[k];
    int measured = round >= cfg->warmup;
    char why[512];

    struct server_thread_stats before, after, added;
    void *inst = b->wl_instances[c->wl_index];
    int srv_threads = 0, rc_rep;
    int srv =
        c->ws->wl == &workload_io_bound && io_bound_server_record(inst, &before, &srv_threads) == 0;

    NOTIFY(b, rep_started, b->results, k, round, measured);
    rc_rep = run_rep(b, k, cfg->tasks, table, out, why, sizeof(why));
    if (rc_rep != 0) {
        if (stop_signal_caught())
            return 1;
        case_error(rc, why);
        return 0;
    }
    if (!measured)
        return 0;
    rep_rss_per_task(rc, cfg->tasks, &out->sample);
    add_sample(rc, &out->sample);
    /* what the server allowed in this repetition: its record's growth while it ran */
    if (srv && io_bound_server_record(inst, &after, NULL) == 0) {
        server_stats_diff(&after, &before, &added);
        server_stats_add(&c->server, &added);
        c->have_server = 1;
        c->server_threads = srv_threads;
        results_server(rc, cfg->tasks, b->latency[c->wl_index], &c->server, c->server_threads);
    }
    validate_rep(b, c, rc, table, out);
    results_launch(rc, out->startup_s, out->hosts, out->nhosts, out->rank_host);
    if (round == cfg->warmup + cfg->reps - 1)
        keep_timeline(b, c, rc, table);
    results_status(b->results, b->interrupted, 0, cfg->reps);
    NOTIFY(b, case_updated, b->results, k);
    return 0;
}

int bench_run(struct bench *b)
{
    const struct config *cfg = b->cfg;
    struct task_table *table = task_table_new(cfg->tasks, timeline_step(cfg), 1);
    struct rep_out *out = shared_alloc(sizeof(*out));
    int rounds = cfg->warmup + cfg->reps, failed = 0;
    struct sigaction sa = {0}, old_alrm;
    uint64_t kernel_digest;

    if (start_cases(b) != 0 || table == NULL || out == NULL) {
        snprintf(b->error, sizeof(b->error), "cannot allocate results for %d tasks: %s", cfg->tasks,
                 strerror(errno));
        return 1;
    }
    stop_signals_catch();
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, &old_alrm);

    NOTIFY(b, run_started, b->results, rounds);
    measure_rss_baselines(b, table, out);
    for (int round = 0; round < rounds && !stop_signal_caught() && !b->interrupted; round++) {
        if (round >= cfg->warmup) /* what the machine gives a plain loop this round */
            results_kernel_add(b->results, ref_kernel_time(REF_KERNEL_STEPS, &kernel_digest));
        for (int k = 0; k < b->ncases && !stop_signal_caught(); k++) {
            if (b->cases[k].skip_rest) /* an observer stopped the case; its warnings say why */
                continue;
            if (run_case(b, k, round, table, out) != 0)
                break;
        }
        if (!stop_signal_caught())
            NOTIFY(b, round_done, b, b->results, round, round >= cfg->warmup);
    }
    if (stop_signal_caught())
        b->interrupted = 1;
    for (int k = 0; k < b->ncases && cfg->count_instructions && !b->interrupted; k++)
        if (count_single_thread(b->cases[k].model))
            count_case(cfg, b->cases[k].model, b->cases[k].ws, &b->results->cases[k]);
    spread_warnings(b);
    b->finished = !b->interrupted;
    results_status(b->results, b->interrupted, b->finished, cfg->reps);
    NOTIFY(b, run_finished, b->results);
    for (int k = 0; k < b->ncases; k++) {
        const struct rm_case *rc = &b->results->cases[k];
        if (rc->error_count > 0 || (rc->reps_done < cfg->reps && !b->cases[k].skip_rest))
            failed = 1;
    }

    stop_signals_release();
    sigaction(SIGALRM, &old_alrm, NULL);
    task_table_free(table);
    munmap(out, sizeof(*out));
    return failed || b->interrupted;
}

int bench_prepare(struct bench *b, char *err, size_t errlen)
{
    const struct config *cfg = b->cfg;

    for (b->nprepared = 0; b->nprepared < cfg->nwls; b->nprepared++) {
        const struct workload_spec *ws = &cfg->wls[b->nprepared];
        char why[1024];
        if (ws->wl->prepare(&ws->params, &b->wl_instances[b->nprepared], why, sizeof(why)) != 0) {
            snprintf(err, errlen, "workload %s: %s", ws->wl->name, why);
            return -1;
        }
        b->latency[b->nprepared] =
            bench_latency_keep(ws->wl, b->wl_instances[b->nprepared], cfg->tasks);
    }
    return 0;
}

void bench_release(struct bench *b)
{
    while (b->nprepared > 0) {
        b->nprepared--;
        b->cfg->wls[b->nprepared].wl->release(b->wl_instances[b->nprepared]);
    }
}

void bench_init(struct bench *b, const struct config *cfg)
{
    memset(b, 0, sizeof(*b));
    b->cfg = cfg;
    b->context = context_json();
}

void bench_free(struct bench *b)
{
    free(b->cases);
    b->cases = NULL;
    b->ncases = 0;
    rm_free(b->results);
    b->results = NULL;
    json_decref(b->context);
    b->context = NULL;
    for (int w = 0; w < CONFIG_MAX_WORKLOADS; w++) {
        bench_latency_free(b->latency[w]);
        b->latency[w] = NULL;
    }
}

const struct model_spec *bench_case_model(const struct bench *b, int case_index)
{
    return b->cases[case_index].model;
}

void bench_skip_case(struct bench *b, int case_index, const char *why)
{
    struct bench_case *c = &b->cases[case_index];

    if (c->skip_rest)
        return;
    c->skip_rest = 1;
    case_warn(c, &b->results->cases[case_index], why);
}
