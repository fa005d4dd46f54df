/* A run as a results model: the measuring core's cases, samples, checks and timelines in the
 * model's structs, which rmodel_dump.c writes. */
#include "bench/results.h"
#include "bench/results_latency.h"
#include "common/outfile.h"

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
static double timeline_origin(const struct case_result *c)
{
    double t0 = 0;

    for (int i = 0; i < c->timeline_len; i++)
        if (c->timeline[i].rec.worker >= 0 && (t0 == 0 || c->timeline[i].rec.start_s < t0))
            t0 = c->timeline[i].rec.start_s;
    return t0;
}

static void fill_timeline(struct rm_case *out, const struct case_result *c, int tasks)
{
    double t0 = timeline_origin(c);

    out->timeline = calloc((size_t)c->timeline_len + 1, sizeof(*out->timeline));
    if (out->timeline == NULL)
        abort();
    for (int i = 0; i < c->timeline_len; i++) {
        const struct task_record *r = &c->timeline[i].rec;
        struct rm_task *t = &out->timeline[out->ntimeline++];
        int marks = r->steps_done < TASK_STEP_MARKS ? (int)r->steps_done : TASK_STEP_MARKS;

        t->task = r->task;
        t->worker = r->worker;
        t->start_s = r->start_s - t0;
        t->end_s = r->end_s - t0;
        t->ok = r->status == 0 && r->worker >= 0;
        t->steps_end_s = calloc((size_t)marks + 1, sizeof(double));
        if (t->steps_end_s == NULL)
            abort();
        for (int k = 0; k < marks; k++)
            t->steps_end_s[t->nsteps++] = c->timeline[i].step_end_s[k] - t0;
    }
    out->timeline_every = c->timeline_step ? c->timeline_step : 1;
    out->timeline_kept = c->timeline_len;
    out->timeline_of = tasks;
}

static void fill_figures(struct rm_case *out, const struct case_result *c)
{
    double *x = malloc((size_t)(c->nsamples ? c->nsamples : 1) * sizeof(*x));

    if (x == NULL)
        abort();
    for (int f = 0; f < RM_NFIGS; f++) {
        for (int i = 0; i < c->nsamples; i++)
            x[i] = sample_figure(&c->samples[i], (enum rm_fig)f);
        rm_figure_set(&out->fig[f], x, c->nsamples);
        out->fig[f].st = c->stats[f]; /* as the core computed them */
    }
    free(x);
}

static void fill_case(struct rm_case *out, const struct bench *b, const struct case_result *c)
{
    const struct config *cfg = b->cfg;
    char checksum[17];

    snprintf(checksum, sizeof(checksum), "%016llx", (unsigned long long)c->checksum);
    out->implementation = rm_strdup("c");
    out->model = rm_strdup(c->model->runner->name);
    out->label = rm_strdup(c->model->label);
    out->workload = rm_strdup(workload_spec_name(c->ws));
    out->tasks = cfg->tasks;
    out->workers = cfg->workers;
    fill_params(&out->params, &c->ws->params, c->ws->wl->params);
    fill_params(&out->model_options, &c->model->opts, c->model->runner->options);
    out->reps_done = c->reps_done;
    fill_figures(out, c);
    out->validation_ok = c->validation_ok && c->tasks_checked > 0;
    out->checksum = rm_strdup(checksum);
    out->tasks_checked = c->tasks_checked;
    out->cancelled = c->tasks_cancelled;
    out->failures = c->tasks_failed;
    out->error_count = c->error_count;
    for (int i = 0; i < c->nmessages; i++)
        rm_strs_note(&out->errors, c->messages[i], CASE_MAX_MESSAGES);
    for (int i = 0; i < c->nwarnings; i++)
        rm_strs_note(&out->warnings, c->warnings[i], CASE_MAX_MESSAGES);
    out->step_kinds = c->step_kinds[0] ? rm_strdup(c->step_kinds) : NULL;
    out->rss_baseline_kib = c->rss_baseline_kib >= 0 ? c->rss_baseline_kib : NAN;
    {
        char pin[256];
        if (config_pin_warning(cfg, c->model, pin, sizeof(pin)))
            rm_strs_note(&out->warnings, pin, CASE_MAX_MESSAGES);
    }
    fill_timeline(out, c, cfg->tasks);
    bench_latency_fill(out, b->latency[c->wl_index]);
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

/* Why a checkpoint is not the whole run. */
static char *results_partial_reason(const struct bench *b)
{
    char text[256];
    int done = 0, planned = b->cfg->reps * b->ncases;

    for (int k = 0; k < b->ncases; k++)
        done += b->cases[k].nsamples;
    snprintf(text, sizeof(text),
             "%s after %d of %d measured repetitions (every case's together); a file left "
             "like this means a later write failed or the run was killed",
             b->interrupted ? "the run was interrupted" : "written while the run was going on",
             done, planned);
    return rm_strdup(text);
}

struct rm_file *results_model(const struct bench *b)
{
    struct rm_file *f = rm_new();
    char err[256];

    f->tool = rm_strdup("concbench " CONCBENCH_VERSION);
    if (b->context != NULL)
        rm_context_from_doc(b->context, &f->context, err, sizeof(err));
    fill_config(&f->config, b->cfg);
    for (int k = 0; b->cases != NULL && k < b->ncases; k++) {
        struct rm_case *c = rm_case_add(f);
        if (c == NULL)
            abort();
        fill_case(c, b, &b->cases[k]);
    }
    f->interrupted = b->interrupted;
    f->complete = b->finished;
    if (!f->complete)
        f->partial = results_partial_reason(b);
    return f;
}

int results_check_writable(const char *path, char *err, size_t errlen)
{
    return outfile_check(path, err, errlen);
}

int results_write(const struct bench *b, const char *path, char *err, size_t errlen)
{
    struct rm_file *f = results_model(b);
    int rc = rm_write(f, path, err, errlen);

    rm_free(f);
    return rc;
}
