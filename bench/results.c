/* What the measuring loop fills the results model with besides its figures and checks: the
 * config, each case's names and parameters, the timeline, the run's status (results.h). */
#include "bench/results.h"
#include "bench/results_latency.h"
#include "common/outfile.h"
#include "common/ref_kernel.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Every parameter in force, defaults included; a repeatable one given more than once is a list. */
static void fill_params(struct rm_params *out, const struct param_set *set,
                        const struct param_spec *specs)
{
    int nspecs = 0;

    for (const struct param_spec *s = specs; s != NULL && s->key != NULL; s++)
        nspecs++;
    out->v = calloc((size_t)nspecs + 1, sizeof(*out->v));
    if (out->v == NULL)
        abort();
    for (const struct param_spec *s = specs; s != NULL && s->key != NULL; s++) {
        const char *values[PARAMS_MAX];
        int n = params_all(set, s->key, values, PARAMS_MAX), first;
        struct rm_param *p;

        if (n == 0 && s->def == NULL)
            continue;
        if (n == 0) {
            values[0] = s->def;
            n = 1;
        }
        p = &out->v[out->n++];
        p->key = rm_strdup(s->key);
        p->is_list = s->repeatable && n > 1;
        first = p->is_list ? 0 : n - 1;
        p->v = calloc((size_t)(n - first), sizeof(*p->v));
        if (p->v == NULL)
            abort();
        for (int i = first; i < n; i++, p->n++) {
            p->v[p->n].is_int = s->type == PARAM_INT;
            if (p->v[p->n].is_int)
                p->v[p->n].i = strtoll(values[i], NULL, 10);
            else
                p->v[p->n].s = rm_strdup(values[i]);
        }
    }
}

/* The earliest task start of a timeline: times are written relative to it. */
static double timeline_origin(const struct task_table *table, int step, int len)
{
    double t0 = 0;

    for (int i = 0; i < len; i++) {
        const struct task_record *r = &table->records[i * step];
        if (r->worker >= 0 && r->start_s > 0 && (t0 == 0 || r->start_s < t0))
            t0 = r->start_s;
    }
    return t0;
}

/* A finished sampled task's CPU time per step (one more entry, the steps past the marks, when it
 * had more steps than marks) and, when a pool queued any of them, their waits. */
static void record_cpu(struct rm_task *t, const struct task_detail *d, int rest)
{
    int n = t->nsteps + (rest ? 1 : 0), queued = 0;

    if (d == NULL || !d->cpu_timed)
        return;
    t->steps_cpu_s = calloc((size_t)n + 1, sizeof(double));
    t->steps_queued_s = calloc((size_t)t->nsteps + 1, sizeof(double));
    if (t->steps_cpu_s == NULL || t->steps_queued_s == NULL)
        abort();
    for (int k = 0; k < n; k++)
        t->steps_cpu_s[k] = d->step_cpu_s[k];
    t->ncpu = n;
    for (int k = 0; k < t->nsteps; k++)
        queued |= (t->steps_queued_s[k] = d->step_queued_s[k]) > 0;
    t->nqueued = queued ? t->nsteps : 0;
}

/* Record r as a timeline task, times from t0. now_s > 0: the run goes on, and a task without an
 * end is running (it ends now, ok so far); a start not written yet is not a start. */
static void record_task(struct rm_task *t, const struct task_table *table,
                        const struct task_record *r, double t0, double now_s)
{
    const double *marks = task_step_marks(table, r);
    int n = r->steps_done < TASK_STEP_MARKS ? (int)r->steps_done : TASK_STEP_MARKS;
    int running = now_s > 0 && r->end_s <= 0;

    t->task = r->task;
    t->worker = now_s > 0 && r->start_s <= 0 ? -1 : r->worker;
    t->start_s = r->start_s - t0;
    t->end_s = (running ? now_s : r->end_s) - t0;
    t->ok = t->worker >= 0 && (running || r->status == 0);
    t->steps_end_s = calloc((size_t)n + 1, sizeof(double));
    if (t->steps_end_s == NULL)
        abort();
    for (int k = 0; marks != NULL && k < n; k++)
        t->steps_end_s[t->nsteps++] = marks[k] - t0;
    if (!running)
        record_cpu(t, task_sampled(table, r), r->steps_done > TASK_STEP_MARKS);
}

static void fill_timeline(struct rm_case *out, const struct task_table *table, int step, int tasks,
                          double now_s)
{
    int len = (tasks + step - 1) / step;
    double t0 = timeline_origin(table, step, len);

    out->ntimeline = 0;
    out->timeline = calloc((size_t)len + 1, sizeof(*out->timeline));
    if (out->timeline == NULL)
        abort();
    for (int i = 0; i < len; i++)
        record_task(&out->timeline[out->ntimeline++], table, &table->records[i * step], t0, now_s);
    out->timeline_every = step;
    out->timeline_kept = len;
    out->timeline_of = tasks;
}

void results_timeline(struct rm_case *out, const struct task_table *table, int step, int tasks,
                      const struct bench_latency *l)
{
    for (int i = 0; i < out->ntimeline; i++)
        rm_task_clear(&out->timeline[i]);
    free(out->timeline);
    fill_timeline(out, table, step, tasks, 0);
    bench_latency_fill(out, l);
}

void results_progress(struct rm_case *out, const struct task_table *table, int step, int tasks,
                      double now_s)
{
    fill_timeline(out, table, step, tasks, now_s);
}

void results_server(struct rm_case *out, int tasks, const struct bench_latency *l,
                    const struct server_thread_stats *st, int threads)
{
    struct rm_server *sv = calloc(1, sizeof(*sv));
    double requests = l != NULL ? (double)tasks * l->plan.requests : 0;

    if (sv == NULL)
        abort();
    sv->threads = threads;
    sv->responses = (long long)st->responses;
    sv->requests = l != NULL ? l->plan.requests : 0;
    sv->connections = (long long)st->accepted;
    sv->late_p50_ms = (double)server_late_quantile(st, 0.50) / 1000.0;
    sv->late_p90_ms = (double)server_late_quantile(st, 0.90) / 1000.0;
    sv->late_p99_ms = (double)server_late_quantile(st, 0.99) / 1000.0;
    sv->late_max_ms = (double)st->late_max_us / 1000.0;
    sv->late_mean_ms =
        st->responses > 0 ? (double)st->late_sum_us / (double)st->responses / 1000.0 : NAN;
    sv->delay_ms = requests > 0 ? (double)l->total_ms / requests : NAN;
    sv->client_cpu_us_per_request =
        requests > 0 && out->fig[RM_USER].nsamples > 0
            ? (out->fig[RM_USER].st.median + out->fig[RM_SYS].st.median) * 1e6 / requests
            : NAN;
    free(out->server);
    out->server = sv;
}

void results_case_start(struct rm_case *out, const struct config *cfg,
                        const struct workload_spec *ws, const struct model_spec *m,
                        const struct bench_latency *l)
{
    out->implementation = rm_strdup("c");
    out->model = rm_strdup(m->runner->name);
    out->label = rm_strdup(m->label);
    out->workload = rm_strdup(workload_spec_name(ws));
    out->tasks = cfg->tasks;
    out->workers = cfg->workers;
    fill_params(&out->params, &ws->params, ws->wl->params);
    fill_params(&out->model_options, &m->opts, m->runner->options);
    for (int f = 0; f < RM_NFIGS; f++)
        stats_compute(NULL, 0, &out->fig[f].st);
    out->checksum = rm_strdup("0000000000000000");
    out->rss_baseline_kib = 0; /* until the model's run with no task is measured */
    out->timeline_of = cfg->tasks;
    bench_latency_fill(out, l);
}

void results_calibration(struct rm_case *out, const struct workload *wl, const void *instance)
{
    struct workload_calibration wc;

    if (wl->calibration == NULL || wl->calibration(instance, &wc) != 0)
        return;
    out->calibration = calloc(1, sizeof(*out->calibration));
    if (out->calibration == NULL)
        abort();
    out->calibration->target_ms = wc.target_ms;
    out->calibration->count = wc.count;
    out->calibration->op_ms = wc.op_ms > 0 ? wc.op_ms : NAN;
    out->calibration->timings = wc.timings;
    out->calibration->task = rm_strdup(wc.task);
}

static void fill_config(struct rm_config *out, const struct config *cfg)
{
    for (int k = 0; k < cfg->nwls; k++)
        rm_strs_note(&out->workloads, workload_spec_name(&cfg->wls[k]), CONFIG_MAX_WORKLOADS);
    for (int k = 0; k < cfg->nmodels; k++)
        rm_strs_note(&out->models, cfg->models[k].label, CONFIG_MAX_MODELS);
    out->tasks = cfg->tasks;
    out->reps = cfg->reps;
    out->warmup = cfg->warmup;
    out->workers = cfg->workers;
    out->timeout_s = cfg->timeout_s;
    out->timeline_max = cfg->timeline_max;
    out->cpus = rm_strdup(cfg->cpus);
}

void results_status(struct rm_file *f, int interrupted, int finished, int reps)
{
    char text[256];
    long long done = 0;

    for (int k = 0; k < f->ncases; k++)
        done += f->cases[k].reps_done;
    f->interrupted = interrupted;
    f->complete = finished;
    free(f->partial);
    f->partial = NULL;
    if (finished)
        return;
    snprintf(text, sizeof(text),
             "%s after %lld of %d measured repetitions (every case's together); a file left "
             "like this means a later write failed or the run was killed",
             interrupted ? "the run was interrupted" : "written while the run was going on", done,
             reps * f->ncases);
    f->partial = rm_strdup(text);
}

struct rm_file *results_start(const struct bench *b)
{
    struct rm_file *f = rm_new();
    char err[256];

    f->tool = rm_strdup("concbench " CONCBENCH_VERSION);
    if (b->context != NULL)
        rm_context_from_doc(b->context, &f->context, err, sizeof(err));
    fill_config(&f->config, b->cfg);
    return f;
}

int results_check_writable(const char *path, char *err, size_t errlen)
{
    return outfile_check(path, err, errlen);
}

void results_kernel_add(struct rm_file *f, double seconds)
{
    struct rm_kernel *k = f->kernel;
    double *grown;

    if (k == NULL) {
        k = f->kernel = calloc(1, sizeof(*k));
        if (k == NULL)
            abort();
        k->name = rm_strdup(REF_KERNEL_NAME);
        k->steps = REF_KERNEL_STEPS;
    }
    grown = realloc(k->fig.samples, (size_t)(k->fig.nsamples + 1) * sizeof(*grown));
    if (grown == NULL)
        abort();
    k->fig.samples = grown;
    k->fig.samples[k->fig.nsamples++] = seconds;
    stats_compute(k->fig.samples, k->fig.nsamples, &k->fig.st);
}

void results_launch(struct rm_case *out, double startup_s, const struct run_host *hosts, int nhosts,
                    const unsigned char *rank_host)
{
    struct rm_host h[RUN_MAX_HOSTS];
    int ranks[RUN_MAX_MAPPED_RANKS];
    int nranks = 0;

    for (int i = 0; i < nhosts && i < RUN_MAX_HOSTS; i++) {
        h[i] = (struct rm_host){(char *)hosts[i].name, hosts[i].ranks, hosts[i].offset_s,
                                hosts[i].uncertainty_s};
        nranks += hosts[i].ranks;
    }
    nranks = nranks < RUN_MAX_MAPPED_RANKS ? nranks : RUN_MAX_MAPPED_RANKS;
    for (int r = 0; r < nranks; r++)
        ranks[r] = (int)rank_host[r] - 1;
    rm_launch_add(out, startup_s, h, nhosts < RUN_MAX_HOSTS ? nhosts : RUN_MAX_HOSTS, ranks,
                  nranks);
}
