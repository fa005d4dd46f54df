/* The history as `history publish` shows it (history_site.h). */
#include "analysis/history_site.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/trend.h"

/* Grows an array of *cap elements of size to hold n + 1. 0, or -1 when out of memory. */
static int grow(void **array, int n, int *cap, size_t size)
{
    void *p;
    int ncap;

    if (n < *cap)
        return 0;
    ncap = *cap > 0 ? *cap * 2 : 16;
    if ((p = realloc(*array, (size_t)ncap * size)) == NULL)
        return -1;
    *array = p;
    *cap = ncap;
    return 0;
}

/* What the readers' callbacks fill, and whether memory ran out on the way. */
struct hsite_fill {
    struct hsite *site;
    const char *branch;
    int cap_series, cap_machines, cap_runs, oom;
};

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* The workload of a case key: its first part, the second for a Python case ("python/..."). */
static void key_workload(const char *key, char *buf, size_t len)
{
    const char *p = strncmp(key, "python/", 7) == 0 ? key + 7 : key;

    snprintf(buf, len, "%.*s", (int)strcspn(p, "/"), p);
}

/* The series of the row's key, machine and branch: the rows come by key and machine, so it is
 * the last one or a new one (a branch interleaves within a key and machine). */
static struct hsite_series *series_of(struct hsite_fill *f, const struct hist_case_row *r)
{
    struct hsite *s = f->site;
    const char *machine = r->machine ? r->machine : "?", *branch = or_empty(r->branch);
    struct hsite_series *x;

    for (int i = s->nseries - 1; i >= 0; i--) {
        x = &s->series[i];
        if (strcmp(x->key, or_empty(r->key)) != 0 || strcmp(x->machine, machine) != 0)
            break;
        if (strcmp(x->branch, branch) == 0)
            return x;
    }
    if (grow((void **)&s->series, s->nseries, &f->cap_series, sizeof(*x)) != 0)
        return NULL;
    x = &s->series[s->nseries++];
    memset(x, 0, sizeof(*x));
    snprintf(x->key, sizeof(x->key), "%s", or_empty(r->key));
    key_workload(x->key, x->workload, sizeof(x->workload));
    snprintf(x->machine, sizeof(x->machine), "%s", machine);
    snprintf(x->branch, sizeof(x->branch), "%s", branch);
    x->last_step = -1;
    return x;
}

static void case_row(const struct hist_case_row *r, void *arg)
{
    struct hsite_fill *f = arg;
    struct hsite_series *x;
    struct hsite_point *p;

    if (f->oom || (f->branch != NULL && strcmp(f->branch, or_empty(r->branch)) != 0))
        return;
    if ((x = series_of(f, r)) == NULL || grow((void **)&x->pts, x->n, &x->cap, sizeof(*p)) != 0) {
        f->oom = 1;
        return;
    }
    p = &x->pts[x->n++];
    memset(p, 0, sizeof(*p));
    p->run_id = r->run_id;
    p->reps = r->reps;
    snprintf(p->commit, sizeof(p->commit), "%s", r->commit ? r->commit : "?");
    snprintf(p->date, sizeof(p->date), "%s", r->date ? r->date : "?");
    p->median = r->fig.median;
    p->lo = isnan(r->fig.lo) ? r->fig.median : r->fig.lo;
    p->hi = isnan(r->fig.hi) ? r->fig.median : r->fig.hi;
    p->speedup = r->fig.speedup;
    p->valid = r->valid && r->fig.median > 0; /* what a chart can draw and the rule can read */
}

static void machine_row(const struct hist_machine_row *r, void *arg)
{
    struct hsite_fill *f = arg;
    struct hsite *s = f->site;
    struct hsite_machine *m;

    if (f->oom || grow((void **)&s->machines, s->nmachines, &f->cap_machines, sizeof(*m)) != 0) {
        f->oom = 1;
        return;
    }
    m = &s->machines[s->nmachines++];
    snprintf(m->key, sizeof(m->key), "%s", or_empty(r->key));
    snprintf(m->host, sizeof(m->host), "%s", or_empty(r->host));
    snprintf(m->cpu_model, sizeof(m->cpu_model), "%s", or_empty(r->cpu_model));
    snprintf(m->kernel, sizeof(m->kernel), "%s", or_empty(r->kernel));
    snprintf(m->labels, sizeof(m->labels), "%s", or_empty(r->labels));
    snprintf(m->first, sizeof(m->first), "%s", or_empty(r->first));
    snprintf(m->last, sizeof(m->last), "%s", or_empty(r->last));
    m->logical_cpus = r->logical_cpus;
    m->runs = r->runs;
}

static void run_row(const struct hist_run_row *r, void *arg)
{
    struct hsite_fill *f = arg;
    struct hsite *s = f->site;
    struct hsite_run *x;

    if (f->oom || grow((void **)&s->runs, s->nruns, &f->cap_runs, sizeof(*x)) != 0) {
        f->oom = 1;
        return;
    }
    x = &s->runs[s->nruns++];
    x->id = r->id;
    snprintf(x->source, sizeof(x->source), "%s", or_empty(r->source));
    snprintf(x->host, sizeof(x->host), "%s", or_empty(r->host));
}

static int run_cmp(const void *a, const void *b)
{
    long long x = ((const struct hsite_run *)a)->id, y = ((const struct hsite_run *)b)->id;

    return (x > y) - (x < y);
}

const struct hsite_run *hsite_run(const struct hsite *site, long long id)
{
    struct hsite_run key = {.id = id};

    return site->nruns ? bsearch(&key, site->runs, site->nruns, sizeof(key), run_cmp) : NULL;
}

const struct hsite_machine *hsite_machine(const struct hsite *site, const char *key)
{
    for (int i = 0; i < site->nmachines; i++)
        if (strcmp(site->machines[i].key, key) == 0)
            return &site->machines[i];
    return NULL;
}

/* Marks the steps of a series' valid points (trend_steps) and keeps the latest with its change
 * against the runs before it (those the rule compared it with). 0, or -1 out of memory. */
static int series_steps(struct hsite_series *x)
{
    struct trend_point *tp = calloc(x->n > 0 ? x->n : 1, sizeof(*tp));
    int *at = calloc(x->n > 0 ? x->n : 1, sizeof(*at)), m = 0, prev = 0;

    if (tp == NULL || at == NULL) {
        free(tp);
        free(at);
        return -1;
    }
    for (int i = 0; i < x->n; i++)
        if (x->pts[i].valid) {
            at[m] = i;
            tp[m++].median = x->pts[i].median;
        }
    trend_steps(tp, m);
    for (int k = 0; k < m; k++) {
        double mean = 0;
        int from = k - TREND_WINDOW > prev ? k - TREND_WINDOW : prev;
        x->pts[at[k]].step = tp[k].step;
        if (tp[k].step == 0)
            continue;
        for (int j = from; j < k; j++)
            mean += tp[j].median / (k - from);
        x->last_step = at[k];
        x->step_change_pct = (tp[k].median / mean - 1.0) * 100.0;
        prev = k;
    }
    free(tp);
    free(at);
    return 0;
}

/* The series' latest run judged as `history check` judges a new result: against the valid runs
 * before it (newest first, at most o->window), cut at their latest step. */
static void series_gate(struct hsite_series *x, const struct hchk_opts *o)
{
    double v[1000];
    char commits[1000][16];
    int n = 0, max = o->window < 1000 ? o->window : 1000;
    const struct hsite_point *head;

    if (x->n == 0)
        return;
    head = &x->pts[x->n - 1];
    for (int i = x->n - 2; i >= 0 && n < max; i--)
        if (x->pts[i].valid) {
            snprintf(commits[n], sizeof(commits[n]), "%.7s", x->pts[i].commit);
            v[n++] = x->pts[i].median;
        }
    snprintf(x->gate.key, sizeof(x->gate.key), "%s", x->key);
    snprintf(x->gate.newest, sizeof(x->gate.newest), "%s", n > 0 ? commits[0] : "");
    snprintf(x->gate.oldest, sizeof(x->gate.oldest), "%s", n > 0 ? commits[n - 1] : "");
    n = hchk_since_step(v, commits, n, x->gate.step, sizeof(x->gate.step));
    if (x->gate.step[0] != '\0')
        snprintf(x->gate.oldest, sizeof(x->gate.oldest), "%s", x->gate.step);
    hchk_judge(v, n, head->valid ? head->median : NAN, head->valid, o, &x->gate);
    x->gated = 1;
}

void hsite_free(struct hsite *site)
{
    for (int i = 0; i < site->nseries; i++)
        free(site->series[i].pts);
    free(site->series);
    free(site->machines);
    free(site->runs);
    memset(site, 0, sizeof(*site));
}

int hsite_load(struct hist *h, const char *machine, const char *branch, const struct hchk_opts *o,
               struct hsite *site, char *err, size_t errlen)
{
    struct hsite_fill f = {site, branch, 0, 0, 0, 0};

    memset(site, 0, sizeof(*site));
    if (hist_each_case(h, "", machine, case_row, &f, err, errlen) != 0 ||
        hist_each_machine(h, machine_row, &f, err, errlen) != 0 ||
        hist_each_run(h, run_row, &f, err, errlen) != 0)
        goto fail;
    if (site->nruns > 0)
        qsort(site->runs, site->nruns, sizeof(*site->runs), run_cmp);
    for (int i = 0; i < site->nseries && !f.oom; i++) {
        f.oom = series_steps(&site->series[i]) != 0;
        series_gate(&site->series[i], o);
    }
    if (!f.oom)
        return 0;
    snprintf(err, errlen, "out of memory reading the history");
fail:
    hsite_free(site);
    return -1;
}
