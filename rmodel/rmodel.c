/* Building, freeing and reading the results model; the derived figures (speed-up, validity)
 * are computed here and nowhere else. */
#include "rmodel/rmodel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runners/runner.h"

const char *const rm_fig_keys[RM_NFIGS] = {"wall_s",      "user_s",        "sys_s",
                                           "max_rss_kib", "ctx_voluntary", "ctx_involuntary",
                                           "pss_kib",     "vm_pte_kib",    "rss_per_task_bytes"};

char *rm_strdup(const char *s)
{
    char *d;

    if (s == NULL)
        return NULL;
    d = strdup(s);
    if (d == NULL)
        abort(); /* a results file's strings are small: out of memory here is fatal anyway */
    return d;
}

struct rm_file *rm_new(void)
{
    struct rm_file *f = calloc(1, sizeof(*f));

    if (f == NULL)
        abort();
    f->schema_version = RM_SCHEMA_VERSION;
    f->complete = 1;
    return f;
}

void rm_strs_clear(struct rm_strs *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

int rm_strs_note(struct rm_strs *l, const char *text, int max)
{
    char **grown;

    for (int i = 0; i < l->n; i++)
        if (strcmp(l->v[i], text) == 0)
            return 0;
    if (l->n >= max || (grown = realloc(l->v, (size_t)(l->n + 1) * sizeof(*grown))) == NULL)
        return 0;
    l->v = grown;
    l->v[l->n++] = rm_strdup(text);
    return 1;
}

void rm_figure_set(struct rm_figure *fig, const double *samples, int n)
{
    free(fig->samples);
    fig->samples = malloc((size_t)(n > 0 ? n : 1) * sizeof(*fig->samples));
    if (fig->samples == NULL)
        abort();
    memcpy(fig->samples, samples, (size_t)n * sizeof(*samples));
    fig->nsamples = n;
    stats_compute(samples, n, &fig->st);
}

void rm_case_init(struct rm_case *c)
{
    memset(c, 0, sizeof(*c));
    c->rss_baseline_kib = NAN;
    c->instructions = -1;
    for (int f = 0; f < RM_NFIGS; f++)
        c->fig[f].st = (struct stats){0, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    c->timeline_every = 1;
}

struct rm_case *rm_case_add(struct rm_file *f)
{
    struct rm_case *grown = realloc(f->cases, (size_t)(f->ncases + 1) * sizeof(*grown));

    if (grown == NULL)
        return NULL;
    f->cases = grown;
    rm_case_init(&f->cases[f->ncases]);
    return &f->cases[f->ncases++];
}

static void case_params_clear(struct rm_params *p)
{
    for (int i = 0; i < p->n; i++) {
        for (int k = 0; k < p->v[i].n; k++)
            free(p->v[i].v[k].s);
        free(p->v[i].v);
        free(p->v[i].key);
    }
    free(p->v);
    memset(p, 0, sizeof(*p));
}

void rm_task_clear(struct rm_task *t)
{
    free(t->steps_end_s);
    free(t->steps_cpu_s);
    free(t->steps_queued_s);
    free(t->delays_ms);
}

void rm_case_clear(struct rm_case *c)
{
    free(c->implementation);
    free(c->model);
    free(c->label);
    free(c->workload);
    free(c->checksum);
    free(c->step_kinds);
    case_params_clear(&c->params);
    case_params_clear(&c->model_options);
    for (int f = 0; f < RM_NFIGS; f++)
        free(c->fig[f].samples);
    rm_strs_clear(&c->errors);
    rm_strs_clear(&c->warnings);
    for (int i = 0; i < c->ntimeline; i++)
        rm_task_clear(&c->timeline[i]);
    rm_latency_free(c->latency);
    free(c->server);
    if (c->calibration != NULL)
        free(c->calibration->task);
    free(c->calibration);
    rm_launch_free(c->launch);
    free(c->timeline);
    json_decref(c->python);
    json_decref(c->extra);
    rm_case_init(c);
}

void rm_published_free(struct rm_published *p)
{
    if (p == NULL)
        return;
    for (int i = 0; i < p->nrows; i++) {
        free(p->rows[i].article_model);
        free(p->rows[i].model);
        free(p->rows[i].python);
        json_decref(p->rows[i].extra);
    }
    free(p->rows);
    free(p->format);
    free(p->unit);
    free(p->author);
    free(p->title);
    json_decref(p->source_extra);
    json_decref(p->extra);
    free(p);
}

static void rm_kv_free(struct rm_kv *v, int n)
{
    for (int i = 0; i < n; i++) {
        free(v[i].key);
        free(v[i].value);
    }
    free(v);
}

void rm_context_free(struct rm_context *x)
{
    if (x == NULL)
        return;
    free(x->date);
    free(x->host);
    free(x->kernel);
    free(x->cpu_model);
    free(x->compiler);
    free(x->build_type);
    free(x->git_commit);
    rm_kv_free(x->libraries, x->nlibraries);
    rm_kv_free(x->system, x->nsystem);
    rm_kv_free(x->ci, x->nci);
    json_decref(x->extra);
    free(x);
}

void rm_free(struct rm_file *f)
{
    if (f == NULL)
        return;
    free(f->tool);
    free(f->partial);
    rm_context_free(f->context);
    rm_strs_clear(&f->config.workloads);
    rm_strs_clear(&f->config.models);
    free(f->config.cpus);
    json_decref(f->config.extra);
    for (int i = 0; i < f->ncases; i++)
        rm_case_clear(&f->cases[i]);
    free(f->cases);
    if (f->repro != NULL) {
        free(f->repro->experiment);
        rm_published_free(f->repro->published);
        rm_strs_clear(&f->repro->missing);
        json_decref(f->repro->python);
        json_decref(f->repro->extra);
        free(f->repro);
    }
    rm_sweep_free(f->sweep);
    if (f->kernel != NULL) {
        free(f->kernel->name);
        free(f->kernel->fig.samples);
        free(f->kernel);
    }
    json_decref(f->extra);
    free(f);
}

/* --- Reading --- */

const struct rm_case *rm_find(const struct rm_file *f, const char *impl, const char *workload,
                              const char *model)
{
    const struct rm_case *found = NULL;

    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        if (strcmp(c->implementation, impl) != 0 || strcmp(c->workload, workload) != 0 ||
            strcmp(c->model, model) != 0)
            continue;
        if (strcmp(impl, "c") != 0 || strcmp(c->label, model) == 0)
            return c;
        if (found == NULL)
            found = c;
    }
    return found;
}

const struct rm_case **rm_cases_of(const struct rm_file *f, const char *workload, int *n)
{
    const struct rm_case **v = calloc((size_t)f->ncases + 1, sizeof(*v));

    if (v == NULL)
        abort();
    *n = 0;
    for (int i = 0; i < f->ncases; i++)
        if (workload == NULL || strcmp(f->cases[i].workload, workload) == 0)
            v[(*n)++] = &f->cases[i];
    return v;
}

int rm_first_of_workload(const struct rm_file *f, int i)
{
    for (int k = 0; k < i; k++)
        if (strcmp(f->cases[k].workload, f->cases[i].workload) == 0)
            return 0;
    return 1;
}

int rm_case_parallel(const struct rm_case *c)
{
    const struct runner *r = c != NULL ? runner_find(c->model) : NULL;
    struct param_set set = {0};
    char kv[256], err[256];
    int parallel;

    if (r == NULL || r->parallel == NULL)
        return 0;
    for (int i = 0; i < c->model_options.n; i++) {
        const struct rm_param *p = &c->model_options.v[i];
        for (int k = 0; k < p->n; k++) {
            if (p->v[k].is_int)
                snprintf(kv, sizeof(kv), "%s=%lld", p->key, p->v[k].i);
            else
                snprintf(kv, sizeof(kv), "%s=%s", p->key, p->v[k].s != NULL ? p->v[k].s : "");
            params_add(&set, r->options, kv, err, sizeof(err)); /* refused: the default holds */
        }
    }
    parallel = r->parallel(&set);
    params_clear(&set);
    return parallel;
}

const struct rm_case *rm_find_label(const struct rm_file *f, const char *impl, const char *workload,
                                    const char *label)
{
    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        if (strcmp(c->implementation, impl) == 0 && strcmp(c->workload, workload) == 0 &&
            strcmp(c->label, label) == 0)
            return c;
    }
    return NULL;
}

int rm_has_workload(const struct rm_file *f, const char *impl, const char *workload)
{
    for (int i = 0; i < f->ncases; i++)
        if ((impl == NULL || strcmp(f->cases[i].implementation, impl) == 0) &&
            strcmp(f->cases[i].workload, workload) == 0)
            return 1;
    return 0;
}

double rm_median(const struct rm_case *c)
{
    double m;

    if (c == NULL || c->reps_done <= 0)
        return -1;
    m = c->fig[RM_WALL].st.median;
    return isfinite(m) ? m : -1;
}

const struct rm_case *rm_baseline(const struct rm_file *f, const struct rm_case *c)
{
    if (c == NULL)
        return NULL;
    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *s = &f->cases[i];
        if (strcmp(s->implementation, c->implementation) == 0 &&
            strcmp(s->workload, c->workload) == 0 && runner_is_baseline(s->model) &&
            s->tasks == c->tasks && rm_median(s) > 0) /* a sweep's cases differ in N */
            return s;
    }
    return NULL;
}

/* num[i] / den[i] for the rounds both figures have, where den is above 0 and both are finite; NULL
 * (n = 0) when no round qualifies. */
static double *round_ratios(const struct rm_figure *num, const struct rm_figure *den, int *n)
{
    int rounds = num->nsamples < den->nsamples ? num->nsamples : den->nsamples, k = 0;
    double *out;

    *n = 0;
    if (rounds <= 0)
        return NULL;
    out = malloc((size_t)rounds * sizeof(*out));
    if (out == NULL)
        abort();
    for (int i = 0; i < rounds; i++)
        if (den->samples[i] > 0 && isfinite(den->samples[i]) && isfinite(num->samples[i]))
            out[k++] = num->samples[i] / den->samples[i];
    *n = k;
    if (k == 0) {
        free(out);
        return NULL;
    }
    return out;
}

double *rm_speedup_samples(const struct rm_file *f, const struct rm_case *c, int *n)
{
    const struct rm_case *seq = rm_baseline(f, c);

    *n = 0;
    if (c == NULL || seq == NULL)
        return NULL;
    return round_ratios(&seq->fig[RM_WALL], &c->fig[RM_WALL], n); /* sequential / case */
}

double *rm_normalized_samples(const struct rm_file *f, const struct rm_case *c, int *n)
{
    *n = 0;
    if (c == NULL || f->kernel == NULL)
        return NULL;
    return round_ratios(&c->fig[RM_WALL], &f->kernel->fig, n); /* case / reference kernel */
}

double rm_normalized(const struct rm_file *f, const struct rm_case *c)
{
    struct stats st;
    int n;
    double *v = rm_normalized_samples(f, c, &n);

    if (v == NULL)
        return -1;
    stats_compute(v, n, &st);
    free(v);
    return st.median > 0 && isfinite(st.median) ? st.median : -1;
}

int rm_kernel_id(const struct rm_file *f, char *buf, size_t len)
{
    if (len > 0)
        buf[0] = '\0';
    if (f->kernel == NULL || f->kernel->fig.nsamples == 0)
        return -1;
    snprintf(buf, len, "%.40s, %lld steps", f->kernel->name ? f->kernel->name : "?",
             f->kernel->steps);
    return 0;
}

double rm_speedup(const struct rm_file *f, const struct rm_case *c)
{
    const struct rm_case *seq = rm_baseline(f, c);
    double m = rm_median(c), *v;
    struct stats st;
    int n;

    if (seq == NULL || m <= 0)
        return -1;
    v = rm_speedup_samples(f, c, &n);
    if (v == NULL) /* statistics without their samples: only the medians are known */
        return rm_median(seq) / m;
    stats_compute(v, n, &st);
    free(v);
    return st.median > 0 ? st.median : -1;
}

int rm_differs_from_baseline(const struct rm_file *f, const struct rm_case *c)
{
    const struct rm_case *seq = rm_baseline(f, c);
    const struct stats *a, *b;

    if (seq == NULL || rm_median(c) < 0)
        return -1;
    a = &c->fig[RM_WALL].st;
    b = &seq->fig[RM_WALL].st;
    if (!isfinite(a->ci95_lo) || !isfinite(a->ci95_hi) || !isfinite(b->ci95_lo) ||
        !isfinite(b->ci95_hi))
        return -1;
    return a->ci95_hi < b->ci95_lo || b->ci95_hi < a->ci95_lo;
}

int rm_speedup_interval(const struct rm_file *f, const struct rm_case *c, double *lo, double *hi)
{
    const struct rm_case *seq = rm_baseline(f, c);
    const struct stats *a, *b;

    if (seq == NULL || rm_median(c) < 0)
        return -1;
    a = &c->fig[RM_WALL].st;
    b = &seq->fig[RM_WALL].st;
    if (!isfinite(a->ci95_lo) || !isfinite(a->ci95_hi) || !isfinite(b->ci95_lo) ||
        !isfinite(b->ci95_hi) || a->ci95_hi <= 0 || b->ci95_hi <= 0)
        return -1;
    *lo = b->ci95_lo > 0 ? b->ci95_lo / a->ci95_hi : 0;
    *hi = a->ci95_lo > 0 ? b->ci95_hi / a->ci95_lo : INFINITY;
    return 0;
}

int rm_complete(const struct rm_file *f)
{
    return f->complete != 0;
}

int rm_valid(const struct rm_case *c)
{
    return c != NULL && c->validation_ok && c->error_count == 0 && c->reps_done > 0;
}

static const struct rm_scalar *param_last(const struct rm_params *p, const char *key)
{
    for (int i = p->n - 1; i >= 0; i--)
        if (strcmp(p->v[i].key, key) == 0 && p->v[i].n > 0)
            return &p->v[i].v[p->v[i].n - 1];
    return NULL;
}

long long rm_param_int(const struct rm_params *p, const char *key, long long def)
{
    const struct rm_scalar *v = param_last(p, key);
    return v != NULL && v->is_int ? v->i : def;
}

const char *rm_param_str(const struct rm_params *p, const char *key)
{
    const struct rm_scalar *v = param_last(p, key);
    return v != NULL && !v->is_int ? v->s : NULL;
}

const char *rm_python_version(const struct rm_case *c)
{
    return c != NULL ? json_string_value(json_object_get(c->python, "version")) : NULL;
}

long long rm_file_param(const struct rm_file *f, const char *workload, const char *key,
                        long long def)
{
    const struct rm_case *c = rm_find(f, "c", workload, runner_baseline_name());

    for (int i = 0; c == NULL && i < f->ncases; i++)
        if (strcmp(f->cases[i].workload, workload) == 0)
            c = &f->cases[i];
    return c != NULL ? rm_param_int(&c->params, key, def) : def;
}

double rm_published_seconds(const struct rm_published *p, const char *model, const char *workload)
{
    for (int i = 0; p != NULL && i < p->nrows; i++) {
        double v;
        if (strcmp(p->rows[i].model, model) != 0)
            continue;
        v = strcmp(workload, "cpu_bound") == 0  ? p->rows[i].cpu_bound_s
            : strcmp(workload, "io_bound") == 0 ? p->rows[i].io_bound_s
                                                : NAN;
        return isfinite(v) ? v : -1;
    }
    return -1;
}

static int by_time(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    /* at equal times an end (negative mark) comes before a start */
    return fabs(x) < fabs(y) ? -1 : fabs(x) > fabs(y) ? 1 : (x < y ? -1 : x > y ? 1 : 0);
}

/* Most tasks at once: a sweep over starts (+) and ends (-) in time order. Times are shifted by
 * one so that a start at 0 keeps its sign. */
static int max_at_once(const struct rm_case *c)
{
    double *ev = malloc((size_t)(2 * c->ntimeline + 1) * sizeof(*ev));
    int n = 0, now = 0, best = 0;

    if (ev == NULL)
        abort();
    for (int i = 0; i < c->ntimeline; i++)
        if (c->timeline[i].worker >= 0 && c->timeline[i].end_s > c->timeline[i].start_s) {
            ev[n++] = c->timeline[i].start_s + 1;
            ev[n++] = -(c->timeline[i].end_s + 1);
        }
    qsort(ev, (size_t)n, sizeof(*ev), by_time);
    for (int i = 0; i < n; i++) {
        now += ev[i] > 0 ? 1 : -1;
        if (now > best)
            best = now;
    }
    free(ev);
    return best;
}

void rm_timeline_overlap(const struct rm_case *c, struct rm_overlap *o)
{
    double first = INFINITY, last = -INFINITY;

    memset(o, 0, sizeof(*o));
    for (int i = 0; i < c->ntimeline; i++) {
        const struct rm_task *t = &c->timeline[i];
        if (t->worker < 0)
            continue;
        o->ran++;
        o->busy_s += t->end_s - t->start_s;
        first = t->start_s < first ? t->start_s : first;
        last = t->end_s > last ? t->end_s : last;
    }
    if (o->ran == 0)
        return;
    o->cpu = rm_case_has_cpu(c);
    if (o->cpu)
        rm_timeline_running(c, &o->max_running, &o->max_holding, &o->busy_s);
    o->busy_s *= c->timeline_every > 1 ? (double)c->timeline_every : 1.0;
    o->span_s = last - first;
    o->overlap = o->span_s > 0 ? o->busy_s / o->span_s : 1.0;
    o->max_at_once = max_at_once(c);
}

int rm_in_flight(const struct rm_case *c, double t)
{
    int n = 0;

    for (int i = 0; i < c->ntimeline; i++)
        if (c->timeline[i].worker >= 0 && c->timeline[i].start_s <= t && t < c->timeline[i].end_s)
            n++;
    return n;
}

char rm_step_kind(const struct rm_case *c, int k)
{
    size_t n = c->step_kinds != NULL ? strlen(c->step_kinds) : 0;

    if (n == 0)
        return '?';
    return c->step_kinds[(size_t)k < n ? (size_t)k : n - 1];
}

int rm_task_step_at(const struct rm_task *t, double when)
{
    if (t->worker < 0 || when < t->start_s || when >= t->end_s)
        return -1;
    for (int k = 0; k < t->nsteps; k++)
        if (when < t->steps_end_s[k])
            return k;
    return t->nsteps; /* past the recorded marks: a later step */
}
