/* The sweep (sweep.h): per workload, per N, one run of the measuring core with the models still
 * going; what each point measured decides whether the model's next N is tried. */
#include "bench/sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/results.h"
#include "common/limits.h"
#include "common/stop_signals.h"

/* What the sweep knows of one model on the current workload. */
struct sweep_model {
    int stopped; /* a smaller N failed or was left out: its larger N are not tried */
    long long stop_n;
    char why[1024];
    int measured; /* the figures of its last point that ran, for the predictions */
    long long last_n;
    double last_wall, last_ideal, last_rss_kib;
};

/* State of a sweep being run. */
struct sweep_state {
    const struct sweep_cfg *cfg;
    const struct sweep_observer *obs;
    struct rm_file *f;
    json_t *context;
    struct sweep_model models[CONFIG_MAX_MODELS];
    int failed, interrupted;
};

/* Whether an error text names a limit (common/limits.h words them). */
static int sweep_names_limit(const char *text)
{
    static const char *const words[] = {"RLIMIT_",          "kernel.pid_max", "kernel.threads-max",
                                        "vm.max_map_count", "fs.file-max",    NULL};

    for (int i = 0; words[i] != NULL; i++)
        if (strstr(text, words[i]) != NULL)
            return 1;
    return 0;
}

void sweep_failure_reason(const struct rm_case *c, char *buf, size_t len)
{
    static const char never_ran[] = "task never ran: ";
    const char *pick = c->errors.n > 0 ? c->errors.v[0] : "no repetition was measured";

    /* the limit first (a task's error text after it is often its consequence), else the
     * case-level error, else the first */
    for (int i = c->errors.n - 1; i >= 0; i--)
        if (strncmp(c->errors.v[i], never_ran, sizeof(never_ran) - 1) != 0)
            pick = c->errors.v[i];
    for (int i = c->errors.n - 1; i >= 0; i--)
        if (sweep_names_limit(c->errors.v[i]))
            pick = c->errors.v[i];
    snprintf(buf, len, "%s", pick);
}

/* The wall time of a repetition at n, from the model's last point: its least possible time
 * (constant for concurrent waits, growing with N for sequential) plus its overhead beyond that,
 * which is taken to grow in proportion to N. -1 without a point measured. */
static double sweep_predict_wall(const struct sweep_model *s, const struct model_spec *m,
                                 long long n)
{
    double grow, ideal, over;

    if (!s->measured)
        return -1;
    grow = (double)n / (double)s->last_n;
    ideal = s->last_ideal > 0 ? s->last_ideal : 0;
    over = s->last_wall - ideal > 0 ? s->last_wall - ideal : 0;
    return (m->runner->serial ? ideal * grow : ideal) + over * grow;
}

/* A thread or process per task: n of them alive at once must fit under kernel.pid_max. */
static int sweep_predict_pids(const struct model_spec *m, long long n, int workers, char *why,
                              size_t len)
{
    char limit[256];
    long long room;

    if (workers > 0 || m->runner->spawn == NULL)
        return 0;
    room = limits_task_headroom(SWEEP_PID_MARGIN, limit, sizeof(limit));
    if (room < 0 || n <= room)
        return 0;
    snprintf(why, len,
             "predicted: %lld %s alive at once do not fit under %s; not tried, so the machine "
             "keeps its pids",
             n, m->runner->spawn->unit, limit);
    return 1;
}

/* Peak RSS grows with N: the last point's, scaled, against the memory available now. */
static int sweep_predict_memory(const struct sweep_model *s, long long n, char *why, size_t len)
{
    double avail = limits_mem_available_kib(), need;

    if (!s->measured || avail <= 0 || !(s->last_rss_kib > 0))
        return 0;
    need = s->last_rss_kib * (double)n / (double)s->last_n;
    if (need <= SWEEP_MEMORY_SHARE * avail)
        return 0;
    snprintf(why, len,
             "predicted: memory: about %.0f MiB of peak RSS (%.0f MiB at N=%lld, scaled), over "
             "%.0f%% of the %.0f MiB available (MemAvailable)",
             need / 1024, s->last_rss_kib / 1024, s->last_n, 100 * SWEEP_MEMORY_SHARE,
             avail / 1024);
    return 1;
}

/* Whether model m runs at n: 1 with kind and why filled when it is left out. */
static int sweep_leave_out(const struct sweep_state *st, int mi, long long n, int workers,
                           const char **kind, char *why, size_t len)
{
    const struct sweep_model *s = &st->models[mi];
    const struct model_spec *m = &st->cfg->base.models[mi];
    int serial = m->runner->serial; /* waits N times as long */
    double bound = serial ? st->cfg->sequential_max_seconds : st->cfg->max_seconds;
    double wall = sweep_predict_wall(s, m, n);

    *kind = "stopped";
    if (s->stopped) {
        snprintf(why, len, "not tried: stopped at N=%lld (%.900s)", s->stop_n, s->why);
        return 1;
    }
    *kind = "limit";
    if (sweep_predict_pids(m, n, workers, why, len) || sweep_predict_memory(s, n, why, len))
        return 1;
    *kind = "time";
    if (wall > bound) {
        snprintf(why, len, "predicted %.3g s per repetition (from %.3g s at N=%lld), over %s %g s",
                 wall, s->last_wall, s->last_n,
                 serial ? "--sequential-max-seconds" : "--max-seconds", bound);
        return 1;
    }
    return 0;
}

static void sweep_stop(struct sweep_model *s, long long n, const char *why)
{
    s->stopped = 1;
    s->stop_n = n;
    snprintf(s->why, sizeof(s->why), "%s", why);
}

/* The point's configuration: the base's, one workload, the models that run at n. */
static void sweep_point_cfg(struct sweep_state *st, int w, long long n, struct config *pc,
                            int *index)
{
    const struct sweep_cfg *cfg = st->cfg;
    int workers = cfg->workers[w] < n ? cfg->workers[w] : (int)n;

    *pc = cfg->base; /* shallow: the base owns the parameters */
    pc->nwls = 1;
    pc->wls[0] = cfg->base.wls[w];
    pc->tasks = (int)n;
    pc->workers = workers;
    pc->workers_asked = 0;
    pc->json_path = NULL;
    pc->nmodels = 0;
    for (int mi = 0; mi < cfg->base.nmodels; mi++) {
        const char *kind;
        char why[1024];
        if (sweep_leave_out(st, mi, n, workers, &kind, why, sizeof(why))) {
            rm_sweep_skip_add(st->f->sweep, workload_spec_name(&pc->wls[0]),
                              cfg->base.models[mi].label, n, kind, why);
            if (!st->models[mi].stopped)
                sweep_stop(&st->models[mi], n, why);
            continue;
        }
        index[pc->nmodels] = mi;
        pc->models[pc->nmodels++] = cfg->base.models[mi];
    }
}

/* Moves the point's cases into the sweep's file and learns from each. */
static void sweep_take_cases(struct sweep_state *st, struct rm_file *pf, const int *index)
{
    for (int i = 0; i < pf->ncases; i++) {
        struct sweep_model *s = &st->models[index[i]];
        struct rm_case *c = rm_case_add(st->f);
        char why[1024];

        if (c == NULL)
            abort();
        *c = pf->cases[i];
        if (!rm_valid(c) || rm_median(c) < 0) {
            st->failed = 1;
            sweep_failure_reason(c, why, sizeof(why));
            sweep_stop(s, c->tasks, why);
            continue;
        }
        s->measured = 1;
        s->last_n = c->tasks;
        s->last_wall = rm_median(c);
        s->last_ideal = rm_ideal_wall_s(c);
        s->last_rss_kib = c->fig[RM_RSS].st.median;
    }
    pf->ncases = 0; /* the cases are the sweep's now */
}

/* After every round of a point: a case whose repetition failed (its model stops at this N
 * anyway) or whose last one took longer than its time bound runs no more repetitions (a case
 * stopped already keeps its first reason: bench_skip_case). */
static void sweep_round_done(void *arg, struct bench *b, const struct rm_file *f, int round,
                             int measured)
{
    const struct sweep_cfg *cfg = arg;
    char text[256];

    (void)round;
    (void)measured;
    for (int k = 0; k < f->ncases; k++) {
        const struct rm_case *c = &f->cases[k];
        const struct rm_figure *walls = &c->fig[RM_WALL];
        int serial = bench_case_model(b, k)->runner->serial;
        double bound = serial ? cfg->sequential_max_seconds : cfg->max_seconds;
        double wall = walls->nsamples > 0 ? walls->samples[walls->nsamples - 1] : 0;

        if (c->reps_done >= b->cfg->reps)
            continue;
        if (c->error_count > 0) {
            bench_skip_case(b, k, "a repetition failed: the sweep runs no more of this point");
        } else if (wall > bound) {
            snprintf(text, sizeof(text),
                     "stopped after %lld of %d repetitions: one took %.3g s, over %s %g s",
                     c->reps_done, b->cfg->reps, wall,
                     serial ? "--sequential-max-seconds" : "--max-seconds", bound);
            bench_skip_case(b, k, text);
        }
    }
}

/* One point: the models still going on workload w at n tasks. */
static void sweep_point(struct sweep_state *st, int w, long long n)
{
    struct config pc;
    struct bench b;
    int index[CONFIG_MAX_MODELS];
    char err[1024];
    const struct bench_observer bounds = {.round_done = sweep_round_done, .arg = (void *)st->cfg};

    sweep_point_cfg(st, w, n, &pc, index);
    if (pc.nmodels == 0)
        return;
    bench_init(&b, &pc);
    if (bench_prepare(&b, err, sizeof(err)) != 0) {
        for (int i = 0; i < pc.nmodels; i++) {
            rm_sweep_skip_add(st->f->sweep, workload_spec_name(&pc.wls[0]), pc.models[i].label, n,
                              "error", err);
            sweep_stop(&st->models[index[i]], n, err);
        }
        st->failed = 1;
        bench_release(&b);
        bench_free(&b);
        return;
    }
    bench_observe(&b, &bounds);
    if (st->obs != NULL && st->obs->point_started != NULL)
        st->obs->point_started(st->obs->arg, &b);
    bench_run(&b);
    st->interrupted = b.interrupted;
    sweep_take_cases(st, b.results, index);
    bench_release(&b);
    bench_free(&b);
}

/* The sweep's file before any point: context, config (tasks: the largest N), the plans. */
static struct rm_file *sweep_file(const struct sweep_cfg *cfg, json_t *context)
{
    struct rm_file *f = rm_new();
    char err[256];
    long long most = 0;

    f->tool = rm_strdup("concbench " CONCBENCH_VERSION);
    rm_context_from_doc(context, &f->context, err, sizeof(err));
    f->sweep = calloc(1, sizeof(*f->sweep));
    if (f->sweep == NULL)
        abort();
    f->sweep->max_seconds = cfg->max_seconds;
    f->sweep->sequential_max_seconds = cfg->sequential_max_seconds;
    for (int w = 0; w < cfg->base.nwls; w++) {
        long long n[SWEEP_MAX_POINTS];
        for (int i = 0; i < cfg->ntasks[w]; i++) {
            n[i] = cfg->tasks[w][i];
            most = n[i] > most ? n[i] : most;
        }
        rm_sweep_plan_add(f->sweep, workload_spec_name(&cfg->base.wls[w]), n, cfg->ntasks[w]);
        rm_strs_note(&f->config.workloads, workload_spec_name(&cfg->base.wls[w]),
                     CONFIG_MAX_WORKLOADS);
    }
    for (int m = 0; m < cfg->base.nmodels; m++)
        rm_strs_note(&f->config.models, cfg->base.models[m].label, CONFIG_MAX_MODELS);
    f->config.tasks = most;
    f->config.reps = cfg->base.reps;
    f->config.warmup = cfg->base.warmup;
    f->config.workers = cfg->base.workers;
    f->config.timeout_s = cfg->base.timeout_s;
    f->config.timeline_max = cfg->base.timeline_max;
    f->complete = 0;
    f->partial = rm_strdup("written while the sweep was going on; a file left like this means "
                           "the sweep was killed or a later write failed");
    return f;
}

int sweep_run(const struct sweep_cfg *cfg, const struct sweep_observer *obs, struct rm_file **out)
{
    struct sweep_state st = {cfg, obs, NULL, context_json(), {{0}}, 0, 0};

    st.f = sweep_file(cfg, st.context);
    for (int w = 0; w < cfg->base.nwls && !st.interrupted; w++) {
        memset(st.models, 0, sizeof(st.models));
        for (int i = 0; i < cfg->ntasks[w] && !st.interrupted; i++) {
            sweep_point(&st, w, cfg->tasks[w][i]);
            st.interrupted |= stop_signal_caught() != 0;
            if (obs != NULL && obs->point_done != NULL)
                obs->point_done(obs->arg, st.f);
        }
    }
    st.f->interrupted = st.interrupted;
    st.f->complete = !st.interrupted;
    if (st.interrupted) {
        free(st.f->partial);
        st.f->partial = rm_strdup("the sweep was interrupted; the points that finished are kept");
    }
    json_decref(st.context);
    *out = st.f;
    return st.failed || st.interrupted;
}
