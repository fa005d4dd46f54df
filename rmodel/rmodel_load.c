/* Loading a results file into the model: every field's type is checked, and a wrong one is a
 * clear message naming it, never a crash. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rmodel/case_key.h"
#include "rmodel/input_files.h"
#include "rmodel/rmodel.h"
#include "rmodel/rmodel_read.h"
#include "rmodel/timeline_split.h"

static const char *const case_keys[] = {"implementation",  "model",
                                        "label",           "workload",
                                        "tasks",           "workers",
                                        "params",          "model_options",
                                        "reps_done",       "wall_s",
                                        "user_s",          "sys_s",
                                        "max_rss_kib",     "ctx_voluntary",
                                        "ctx_involuntary", "speedup_vs_sequential",
                                        "validation",      "errors",
                                        "warnings",        "step_kinds",
                                        "timeline",        "timeline_sampling",
                                        "python",          "latency",
                                        "server",          "rss_baseline_kib",
                                        "calibration",     "instructions",
                                        "launch",          NULL};

/* A wall time is a positive finite number of seconds: zero, a negative time, NaN or infinity
 * would give ratios like -291.554 and verdicts on nothing. A case with no measured repetition (no
 * samples) has a median of 0 (as the loop writes it) or null. */
static int check_wall(struct rmr *r, const char *path, const struct rm_figure *fig)
{
    char at[400];
    int none = fig->nsamples == 0 && (isnan(fig->st.median) || fig->st.median == 0);

    if (!none && !(isfinite(fig->st.median) && fig->st.median > 0))
        return rmr_fail(r, rmr_path(at, sizeof(at), path, "median"),
                        "%g is not a wall time (expected seconds above 0)", fig->st.median);
    for (int i = 0; i < fig->nsamples; i++) {
        if (!(isfinite(fig->samples[i]) && fig->samples[i] > 0)) {
            char list[300];
            rmr_path(list, sizeof(list), path, "samples");
            return rmr_fail(r, rmr_index(at, sizeof(at), list, (size_t)i),
                            "%g is not a wall time (expected seconds above 0)", fig->samples[i]);
        }
    }
    return 0;
}

static int load_figure(struct rmr *r, json_t *c, const char *where, const char *key,
                       struct rm_figure *fig)
{
    char path[256];
    json_t *o, *ci;

    if (rmr_object(r, c, where, key, RMR_REQUIRED, &o) != 0)
        return -1;
    rmr_path(path, sizeof(path), where, key);
    if (rmr_num(r, o, path, "median", RMR_REQUIRED, &fig->st.median) != 0 ||
        rmr_num(r, o, path, "mean", RMR_OPTIONAL, &fig->st.mean) != 0 ||
        rmr_num(r, o, path, "stddev", RMR_OPTIONAL, &fig->st.stddev) != 0 ||
        rmr_num(r, o, path, "min", RMR_OPTIONAL, &fig->st.min) != 0 ||
        rmr_num(r, o, path, "max", RMR_OPTIONAL, &fig->st.max) != 0 ||
        rmr_nums(r, o, path, "samples", RMR_OPTIONAL, &fig->samples, &fig->nsamples) != 0 ||
        rmr_array(r, o, path, "ci95", RMR_OPTIONAL, &ci) != 0)
        return -1;
    fig->st.n = fig->nsamples;
    if (strcmp(key, "wall_s") == 0 && check_wall(r, path, fig) != 0)
        return -1;
    if (ci != NULL) {
        /* null reads as NAN, as for the other numbers: the dump writes NAN as null */
        json_t *lo = json_array_get(ci, 0), *hi = json_array_get(ci, 1);
        char cipath[300];
        if (json_array_size(ci) != 2 || !(json_is_number(lo) || json_is_null(lo)) ||
            !(json_is_number(hi) || json_is_null(hi)))
            return rmr_fail(r, rmr_path(cipath, sizeof(cipath), path, "ci95"),
                            "expected [low, high], two numbers");
        fig->st.ci95_lo = json_is_null(lo) ? NAN : json_number_value(lo);
        fig->st.ci95_hi = json_is_null(hi) ? NAN : json_number_value(hi);
    }
    return 0;
}

static int load_scalar(struct rmr *r, json_t *v, const char *where, struct rm_scalar *out)
{
    if (json_is_integer(v)) {
        out->is_int = 1;
        out->i = (long long)json_integer_value(v);
    } else if (json_is_string(v)) {
        out->s = rm_strdup(json_string_value(v));
    } else {
        return rmr_fail(r, where, "expected a whole number or a string");
    }
    return 0;
}

static int load_params(struct rmr *r, json_t *c, const char *where, const char *key,
                       struct rm_params *out)
{
    char path[256], item[300];
    const char *k;
    json_t *o, *v;

    if (rmr_object(r, c, where, key, RMR_OPTIONAL, &o) != 0)
        return -1;
    if (o == NULL)
        return 0;
    rmr_path(path, sizeof(path), where, key);
    out->v = calloc(json_object_size(o) + 1, sizeof(*out->v));
    if (out->v == NULL)
        return rmr_fail(r, path, "out of memory");
    json_object_foreach(o, k, v)
    {
        struct rm_param *p = &out->v[out->n++];
        size_t n = json_is_array(v) ? json_array_size(v) : 1;

        p->key = rm_strdup(k);
        p->is_list = json_is_array(v);
        p->v = calloc(n + 1, sizeof(*p->v));
        if (p->v == NULL)
            return rmr_fail(r, path, "out of memory");
        rmr_path(item, sizeof(item), path, k);
        for (size_t i = 0; i < n; i++, p->n++)
            if (load_scalar(r, p->is_list ? json_array_get(v, i) : v, item, &p->v[i]) != 0)
                return -1;
    }
    return 0;
}

int rm_task_load(struct rmr *r, json_t *t, const char *where, struct rm_task *out)
{
    if (!json_is_object(t))
        return rmr_fail(r, where, "expected an object");
    out->worker = -1;
    out->start_s = out->end_s = NAN;
    return rmr_int(r, t, where, "task", RMR_REQUIRED, &out->task) ||
                   rmr_int(r, t, where, "worker", RMR_OPTIONAL, &out->worker) ||
                   rmr_num(r, t, where, "start_s", RMR_REQUIRED, &out->start_s) ||
                   rmr_num(r, t, where, "end_s", RMR_REQUIRED, &out->end_s) ||
                   rmr_nums(r, t, where, "steps_end_s", RMR_OPTIONAL, &out->steps_end_s,
                            &out->nsteps) ||
                   rmr_nums(r, t, where, "steps_cpu_s", RMR_OPTIONAL, &out->steps_cpu_s,
                            &out->ncpu) ||
                   rmr_nums(r, t, where, "steps_queued_s", RMR_OPTIONAL, &out->steps_queued_s,
                            &out->nqueued) ||
                   rmr_nums(r, t, where, "delays_ms", RMR_OPTIONAL, &out->delays_ms,
                            &out->ndelays) ||
                   rmr_bool(r, t, where, "ok", RMR_OPTIONAL, &out->ok)
               ? -1
               : 0;
}

static int load_timeline(struct rmr *r, json_t *c, const char *where, struct rm_case *out)
{
    char path[256], item[300];
    json_t *a, *s;

    if (rmr_array(r, c, where, "timeline", RMR_OPTIONAL, &a) != 0)
        return -1;
    rmr_path(path, sizeof(path), where, "timeline");
    out->timeline = calloc(json_array_size(a) + 1, sizeof(*out->timeline));
    if (out->timeline == NULL)
        return rmr_fail(r, path, "out of memory");
    /* read apart from the tree when rm_load had it (timeline_split.h): left [] there */
    if (a != NULL && json_array_size(a) == 0 && r->split != NULL)
        tl_split_take(r->split, r->case_index, &out->timeline, &out->ntimeline);
    for (size_t i = 0; i < json_array_size(a); i++) {
        out->ntimeline++; /* counted first: what it holds is freed even if it fails halfway */
        if (rm_task_load(r, json_array_get(a, i), rmr_index(item, sizeof(item), path, i),
                         &out->timeline[i]) != 0)
            return -1;
    }
    if (rmr_object(r, c, where, "timeline_sampling", RMR_OPTIONAL, &s) != 0)
        return -1;
    rmr_path(path, sizeof(path), where, "timeline_sampling");
    out->timeline_every = 1;
    out->timeline_kept = out->timeline_of = out->ntimeline;
    return s == NULL ? 0
           : rmr_int(r, s, path, "every", RMR_OPTIONAL, &out->timeline_every) ||
                   rmr_int(r, s, path, "kept", RMR_OPTIONAL, &out->timeline_kept) ||
                   rmr_int(r, s, path, "of", RMR_OPTIONAL, &out->timeline_of)
               ? -1
               : 0;
}

static int load_checks(struct rmr *r, json_t *c, const char *where, struct rm_case *out)
{
    char path[256];
    json_t *v, *e;

    if (rmr_object(r, c, where, "validation", RMR_OPTIONAL, &v) != 0 ||
        rmr_object(r, c, where, "errors", RMR_OPTIONAL, &e) != 0 ||
        rmr_strs(r, c, where, "warnings", RMR_OPTIONAL, &out->warnings) != 0)
        return -1;
    rmr_path(path, sizeof(path), where, "validation");
    if (v != NULL && (rmr_bool(r, v, path, "ok", RMR_OPTIONAL, &out->validation_ok) ||
                      rmr_str(r, v, path, "checksum", RMR_OPTIONAL, &out->checksum) ||
                      rmr_int(r, v, path, "tasks_checked", RMR_OPTIONAL, &out->tasks_checked) ||
                      rmr_int(r, v, path, "cancelled", RMR_OPTIONAL, &out->cancelled) ||
                      rmr_int(r, v, path, "failures", RMR_OPTIONAL, &out->failures)))
        return -1;
    rmr_path(path, sizeof(path), where, "errors");
    return e != NULL && (rmr_int(r, e, path, "count", RMR_OPTIONAL, &out->error_count) ||
                         rmr_strs(r, e, path, "messages", RMR_OPTIONAL, &out->errors))
               ? -1
               : 0;
}

/* A case's "calibration" object (optional): what one task computed. */
static int load_calibration(struct rmr *r, json_t *doc, const char *where, struct rm_case *c)
{
    json_t *o;
    char path[256];
    struct rm_calibration *k;

    if (rmr_object(r, doc, where, "calibration", RMR_OPTIONAL, &o) != 0)
        return -1;
    if (o == NULL)
        return 0;
    k = calloc(1, sizeof(*k));
    if (k == NULL)
        abort();
    k->op_ms = NAN;
    c->calibration = k; /* freed with the case, also after a failure */
    rmr_path(path, sizeof(path), where, "calibration");
    return rmr_num(r, o, path, "target_ms", RMR_OPTIONAL, &k->target_ms) ||
                   rmr_int(r, o, path, "count", RMR_REQUIRED, &k->count) ||
                   rmr_num(r, o, path, "op_ms", RMR_OPTIONAL, &k->op_ms) ||
                   rmr_int(r, o, path, "timings", RMR_OPTIONAL, &k->timings) ||
                   rmr_str(r, o, path, "task", RMR_OPTIONAL, &k->task)
               ? -1
               : 0;
}

/* The fields every reader relies on, with the wording `report` has always used; what names the
 * case ("case 3"). */
static int check_case_names(struct rmr *r, json_t *c, const char *what)
{
    static const char *const names[] = {"workload", "model", "label"};
    json_t *wall = json_object_get(c, "wall_s");

    if (!json_is_object(c))
        return rmr_fail(r, "", "%s is not an object", what);
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
        if (!json_is_string(json_object_get(c, names[k])))
            return rmr_fail(r, "", "%s has no \"%s\" text", what, names[k]);
    if (!json_is_object(wall) || !json_is_number(json_object_get(wall, "median")))
        return rmr_fail(r, "", "%s (%s %s) has no wall_s.median", what,
                        json_string_value(json_object_get(c, "workload")),
                        json_string_value(json_object_get(c, "label")));
    return 0;
}

static int load_case(struct rmr *r, json_t *doc, const char *w, const char *what, struct rm_case *c)
{
    json_t *py;

    if (check_case_names(r, doc, what) != 0 ||
        rmr_str(r, doc, w, "implementation", RMR_OPTIONAL, &c->implementation) ||
        rmr_str(r, doc, w, "model", RMR_REQUIRED, &c->model) ||
        rmr_str(r, doc, w, "label", RMR_REQUIRED, &c->label) ||
        rmr_str(r, doc, w, "workload", RMR_REQUIRED, &c->workload) ||
        rmr_int(r, doc, w, "tasks", RMR_OPTIONAL, &c->tasks) ||
        rmr_int(r, doc, w, "workers", RMR_OPTIONAL, &c->workers) ||
        load_params(r, doc, w, "params", &c->params) ||
        load_params(r, doc, w, "model_options", &c->model_options) ||
        rmr_int(r, doc, w, "reps_done", RMR_OPTIONAL, &c->reps_done) ||
        rmr_str(r, doc, w, "step_kinds", RMR_OPTIONAL, &c->step_kinds) ||
        rmr_num(r, doc, w, "rss_baseline_kib", RMR_OPTIONAL, &c->rss_baseline_kib) ||
        rmr_int(r, doc, w, "instructions", RMR_OPTIONAL, &c->instructions) ||
        rmr_object(r, doc, w, "python", RMR_OPTIONAL, &py))
        return -1;
    if (c->implementation == NULL)
        c->implementation = rm_strdup("c");
    for (int f = 0; f < RM_NFIGS; f++)
        if (f == RM_WALL || json_object_get(doc, rm_fig_keys[f]) != NULL)
            if (load_figure(r, doc, w, rm_fig_keys[f], &c->fig[f]) != 0)
                return -1;
    if (json_object_get(doc, "reps_done") == NULL) /* older files: every sample a repetition */
        c->reps_done = c->fig[RM_WALL].nsamples > 0 ? c->fig[RM_WALL].nsamples : 1;
    if (load_checks(r, doc, w, c) != 0 || load_timeline(r, doc, w, c) != 0 ||
        rm_latency_load(r, doc, w, &c->latency) != 0 ||
        rm_server_load(r, doc, w, &c->server) != 0 || load_calibration(r, doc, w, c) != 0 ||
        rm_launch_load(r, doc, w, &c->launch) != 0)
        return -1;
    c->python = py != NULL ? json_deep_copy(py) : NULL;
    c->extra = rmr_extra(doc, case_keys);
    return 0;
}

int rm_case_from_doc(json_t *doc, const char *path, struct rm_case *c, char *err, size_t errlen)
{
    struct rmr r = {.name = path, .err = err, .errlen = errlen};

    rm_case_init(c);
    return load_case(&r, doc, "", "the case", c);
}

/* An object of strings under context (libraries, system, ci) into a key-value list. */
static int load_kv(struct rmr *r, json_t *ctx, const char *key, struct rm_kv **out, int *n)
{
    char where[64];
    const char *k;
    json_t *o, *v;

    if (rmr_object(r, ctx, "context", key, RMR_OPTIONAL, &o) != 0)
        return -1;
    *out = calloc(json_object_size(o) + 1, sizeof(**out));
    if (*out == NULL)
        return rmr_fail(r, "context", "out of memory");
    rmr_path(where, sizeof(where), "context", key);
    json_object_foreach(o, k, v)
    {
        struct rm_kv *kv = &(*out)[*n];
        if (rmr_str(r, o, where, k, RMR_REQUIRED, &kv->value) != 0)
            return -1;
        kv->key = rm_strdup(k);
        (*n)++;
    }
    return 0;
}

static int load_context(struct rmr *r, json_t *root, struct rm_context **out)
{
    static const char *const keys[] = {
        "date",     "host",     "kernel",     "cpu_model", "logical_cpus",
        "load_avg", "compiler", "build_type", "libraries", "git_commit",
        "system",   "ci",       NULL};
    struct rm_context *x;
    const char *w = "context";
    json_t *o, *load;
    double *avg = NULL;
    int navg = 0;

    if (rmr_object(r, root, "", "context", RMR_OPTIONAL, &o) != 0)
        return -1;
    if (o == NULL)
        return 0;
    x = *out = calloc(1, sizeof(*x));
    if (x == NULL)
        return rmr_fail(r, w, "out of memory");
    x->logical_cpus = -1;
    x->load_avg[0] = x->load_avg[1] = x->load_avg[2] = NAN;
    if (rmr_str(r, o, w, "date", RMR_OPTIONAL, &x->date) ||
        rmr_str(r, o, w, "host", RMR_OPTIONAL, &x->host) ||
        rmr_str(r, o, w, "kernel", RMR_OPTIONAL, &x->kernel) ||
        rmr_str(r, o, w, "cpu_model", RMR_OPTIONAL, &x->cpu_model) ||
        rmr_int(r, o, w, "logical_cpus", RMR_OPTIONAL, &x->logical_cpus) ||
        rmr_nums(r, o, w, "load_avg", RMR_OPTIONAL, &avg, &navg) ||
        rmr_str(r, o, w, "compiler", RMR_OPTIONAL, &x->compiler) ||
        rmr_str(r, o, w, "build_type", RMR_OPTIONAL, &x->build_type) ||
        rmr_str(r, o, w, "git_commit", RMR_OPTIONAL, &x->git_commit)) {
        free(avg);
        return -1;
    }
    load = json_object_get(o, "load_avg");
    if (load != NULL && navg != 3) {
        free(avg);
        return rmr_fail(r, "context.load_avg", "expected three numbers");
    }
    for (int i = 0; i < navg && i < 3; i++)
        x->load_avg[i] = avg[i];
    free(avg);
    if (load_kv(r, o, "libraries", &x->libraries, &x->nlibraries) ||
        load_kv(r, o, "system", &x->system, &x->nsystem) || load_kv(r, o, "ci", &x->ci, &x->nci))
        return -1;
    x->extra = rmr_extra(o, keys);
    return 0;
}

static int load_config(struct rmr *r, json_t *root, struct rm_file *f)
{
    static const char *const keys[] = {"workloads", "models",    "tasks",        "reps", "warmup",
                                       "workers",   "timeout_s", "timeline_max", "cpus", NULL};
    struct rm_config *x = &f->config;
    const char *w = "config";
    json_t *o;

    if (rmr_object(r, root, "", "config", RMR_OPTIONAL, &o) != 0)
        return -1;
    if (o == NULL)
        return 0;
    if (rmr_strs(r, o, w, "workloads", RMR_OPTIONAL, &x->workloads) ||
        rmr_strs(r, o, w, "models", RMR_OPTIONAL, &x->models) ||
        rmr_int(r, o, w, "tasks", RMR_OPTIONAL, &x->tasks) ||
        rmr_int(r, o, w, "reps", RMR_OPTIONAL, &x->reps) ||
        rmr_int(r, o, w, "warmup", RMR_OPTIONAL, &x->warmup) ||
        rmr_int(r, o, w, "workers", RMR_OPTIONAL, &x->workers) ||
        rmr_int(r, o, w, "timeout_s", RMR_OPTIONAL, &x->timeout_s) ||
        rmr_int(r, o, w, "timeline_max", RMR_OPTIONAL, &x->timeline_max) ||
        rmr_str(r, o, w, "cpus", RMR_OPTIONAL, &x->cpus))
        return -1;
    x->extra = rmr_extra(o, keys);
    return 0;
}

static int load_pub_row(struct rmr *r, json_t *o, const char *w, struct rm_pub_row *row)
{
    static const char *const keys[] = {"article_model", "model",      "python",
                                       "cpu_bound_s",   "io_bound_s", NULL};

    row->cpu_bound_s = row->io_bound_s = NAN;
    if (!json_is_object(o))
        return rmr_fail(r, w, "expected an object");
    if (rmr_str(r, o, w, "article_model", RMR_OPTIONAL, &row->article_model) ||
        rmr_str(r, o, w, "model", RMR_REQUIRED, &row->model) ||
        rmr_str(r, o, w, "python", RMR_OPTIONAL, &row->python) ||
        rmr_num(r, o, w, "cpu_bound_s", RMR_OPTIONAL, &row->cpu_bound_s) ||
        rmr_num(r, o, w, "io_bound_s", RMR_OPTIONAL, &row->io_bound_s))
        return -1;
    row->extra = rmr_extra(o, keys);
    return 0;
}

/* The sizes of the article's experiment, for the reading's "same sizes" checks. */
static int load_experiment(struct rmr *r, json_t *o, const char *w, struct rm_published *p)
{
    char path[256], sub[300];
    json_t *e, *cpu = NULL, *io = NULL;

    p->exp_tasks = p->exp_cpu_base = p->exp_cpu_exponent = p->exp_io_requests = -1;
    if (rmr_object(r, o, w, "experiment", RMR_OPTIONAL, &e) != 0)
        return -1;
    if (e == NULL)
        return 0;
    rmr_path(path, sizeof(path), w, "experiment");
    if (rmr_int(r, e, path, "tasks", RMR_OPTIONAL, &p->exp_tasks) ||
        rmr_object(r, e, path, "cpu_bound", RMR_OPTIONAL, &cpu) ||
        rmr_object(r, e, path, "io_bound", RMR_OPTIONAL, &io))
        return -1;
    if (cpu != NULL && (rmr_int(r, cpu, rmr_path(sub, sizeof(sub), path, "cpu_bound"), "base",
                                RMR_OPTIONAL, &p->exp_cpu_base) ||
                        rmr_int(r, cpu, sub, "exponent", RMR_OPTIONAL, &p->exp_cpu_exponent)))
        return -1;
    return io != NULL ? rmr_int(r, io, rmr_path(sub, sizeof(sub), path, "io_bound"), "requests",
                                RMR_OPTIONAL, &p->exp_io_requests)
                      : 0;
}

static int load_published(struct rmr *r, json_t *o, const char *w, struct rm_published *p)
{
    static const char *const keys[] = {"format", "source", "unit", "rows", NULL};
    static const char *const source_keys[] = {"author", "title", NULL};
    char path[256], item[300];
    json_t *rows, *src;

    if (rmr_str(r, o, w, "format", RMR_OPTIONAL, &p->format) ||
        rmr_object(r, o, w, "source", RMR_OPTIONAL, &src) ||
        rmr_str(r, o, w, "unit", RMR_OPTIONAL, &p->unit) ||
        rmr_array(r, o, w, "rows", RMR_REQUIRED, &rows))
        return -1;
    rmr_path(path, sizeof(path), w, "source");
    if (src != NULL && (rmr_str(r, src, path, "author", RMR_OPTIONAL, &p->author) ||
                        rmr_str(r, src, path, "title", RMR_OPTIONAL, &p->title)))
        return -1;
    p->source_extra = src != NULL ? rmr_extra(src, source_keys) : NULL;
    if (src != NULL && p->source_extra == NULL)
        p->source_extra = json_object(); /* an empty source object stays one */
    rmr_path(path, sizeof(path), w, "rows");
    p->rows = calloc(json_array_size(rows) + 1, sizeof(*p->rows));
    if (p->rows == NULL)
        return rmr_fail(r, path, "out of memory");
    for (size_t i = 0; i < json_array_size(rows); i++) {
        p->nrows++; /* counted first: a row that fails halfway is freed too (fuzz_readers) */
        if (load_pub_row(r, json_array_get(rows, i), rmr_index(item, sizeof(item), path, i),
                         &p->rows[i]) != 0)
            return -1;
    }
    p->extra = rmr_extra(o, keys);
    return load_experiment(r, o, w, p);
}

struct rm_published *rm_published_from_doc(json_t *doc, const char *path, char *err, size_t errlen)
{
    struct rmr r = {.name = path, .err = err, .errlen = errlen};
    struct rm_published *p;

    if (!json_is_object(doc)) {
        rmr_fail(&r, "", "expected an object with \"rows\" (format concbench-published 1)");
        return NULL;
    }
    p = calloc(1, sizeof(*p));
    if (p != NULL && load_published(&r, doc, "", p) != 0) {
        rm_published_free(p);
        p = NULL;
    }
    return p;
}

static int load_repro(struct rmr *r, json_t *root, struct rm_file *f)
{
    static const char *const keys[] = {"experiment", "published", "missing", "python", NULL};
    const char *w = "reproduction";
    struct rm_repro *x;
    json_t *o, *pub, *py;

    if (rmr_object(r, root, "", "reproduction", RMR_OPTIONAL, &o) != 0)
        return -1;
    if (o == NULL)
        return 0;
    x = f->repro = calloc(1, sizeof(*x));
    if (x == NULL)
        return rmr_fail(r, w, "out of memory");
    if (rmr_str(r, o, w, "experiment", RMR_OPTIONAL, &x->experiment) ||
        rmr_object(r, o, w, "published", RMR_OPTIONAL, &pub) ||
        rmr_strs(r, o, w, "missing", RMR_OPTIONAL, &x->missing) ||
        rmr_object(r, o, w, "python", RMR_OPTIONAL, &py))
        return -1;
    if (pub != NULL) {
        x->published = calloc(1, sizeof(*x->published));
        if (x->published == NULL ||
            load_published(r, pub, "reproduction.published", x->published) != 0)
            return -1;
    }
    x->python = py != NULL ? json_deep_copy(py) : NULL;
    x->extra = rmr_extra(o, keys);
    return 0;
}

/* The top level: an object of our schema version, with a cases array. */
static int check_top(struct rmr *r, json_t *root)
{
    json_t *v;

    if (!json_is_object(root))
        return rmr_fail(r, "",
                        "JSON but not a concbench results file (its top level is not an "
                        "object)");
    v = json_object_get(root, "schema_version");
    if (v == NULL && json_is_array(json_object_get(root, "results")))
        return rmr_fail(r, "",
                        "looks like a hyperfine export, not a concbench results file "
                        "(give it with --hyperfine)");
    if (v == NULL)
        return rmr_fail(r, "",
                        "not a concbench results file: it has no schema_version (write "
                        "one with concbench run -o FILE or concbench reproduce -o FILE)");
    if (!json_is_integer(v))
        return rmr_fail(r, "", "schema_version is not a whole number");
    if (json_integer_value(v) != RM_SCHEMA_VERSION)
        return rmr_fail(r, "",
                        "has schema_version %lld, but this concbench reads schema_version %d "
                        "(see results/README.md); read it with the concbench that wrote it, or "
                        "run again",
                        (long long)json_integer_value(v), RM_SCHEMA_VERSION);
    if (!json_is_array(json_object_get(root, "cases")))
        return rmr_fail(r, "", "not a complete results file: it has no \"cases\" array");
    return 0;
}

/* Two cases with one key measured the same thing: compare would pair one with the other, the
 * history and the exporters keep one of them. Refused, both named. */
static int check_unique(struct rmr *r, const struct rm_file *f)
{
    char key[CK_KEY_MAX], where[64];
    int a, b;

    if (!ck_duplicate(f, &a, &b))
        return 0;
    ck_key(&f->cases[b], key, sizeof(key));
    snprintf(where, sizeof(where), "cases[%d]", b);
    return rmr_fail(r, where,
                    "the same case as cases[%d] (key %s): each case (workload, model label, "
                    "tasks, workers, parameters) may appear once",
                    a, key);
}

static int load_cases(struct rmr *r, json_t *root, struct rm_file *f)
{
    json_t *cases = json_object_get(root, "cases");
    char where[64], what[64];

    for (size_t i = 0; i < json_array_size(cases); i++) {
        struct rm_case *c = rm_case_add(f);
        if (c == NULL)
            return rmr_fail(r, "cases", "out of memory");
        snprintf(where, sizeof(where), "cases[%zu]", i);
        snprintf(what, sizeof(what), "case %zu", i + 1);
        r->case_index = (long)i;
        if (load_case(r, json_array_get(cases, i), where, what, c) != 0)
            return -1;
    }
    return check_unique(r, f);
}

/* "reference_kernel": {"name", "steps", "seconds": a figure, every sample above 0}. */
static int load_kernel(struct rmr *r, json_t *root, struct rm_file *f)
{
    json_t *o;
    struct rm_kernel *k;

    if (rmr_object(r, root, "", "reference_kernel", RMR_OPTIONAL, &o) != 0)
        return -1;
    if (o == NULL)
        return 0;
    k = f->kernel = calloc(1, sizeof(*k));
    if (k == NULL)
        abort();
    k->fig.st = (struct stats){0, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    if (rmr_str(r, o, "reference_kernel", "name", RMR_REQUIRED, &k->name) != 0 ||
        rmr_int(r, o, "reference_kernel", "steps", RMR_REQUIRED, &k->steps) != 0 ||
        load_figure(r, o, "reference_kernel", "seconds", &k->fig) != 0)
        return -1;
    for (int i = 0; i < k->fig.nsamples; i++)
        if (!(k->fig.samples[i] > 0))
            return rmr_fail(r, "reference_kernel.seconds.samples",
                            "%g is not a time (expected seconds above 0)", k->fig.samples[i]);
    return 0;
}

/* rm_from_doc, with the timelines split already taken out of root (NULL: none). */
static struct rm_file *from_doc(json_t *root, const char *name, struct tl_split *split, char *err,
                                size_t errlen)
{
    static const char *const keys[] = {
        "schema_version", "tool",        "context",          "config",
        "cases",          "interrupted", "complete",         "partial",
        "reproduction",   "sweep",       "reference_kernel", NULL};
    struct rmr r = {.name = name, .err = err, .errlen = errlen, .split = split};
    struct rm_file *f;

    if (check_top(&r, root) != 0)
        return NULL;
    f = rm_new();
    f->complete = -1; /* absent: an older file */
    if (rmr_int(&r, root, "", "schema_version", RMR_REQUIRED, &f->schema_version) ||
        rmr_str(&r, root, "", "tool", RMR_OPTIONAL, &f->tool) ||
        load_context(&r, root, &f->context) || load_config(&r, root, f) ||
        load_cases(&r, root, f) ||
        rmr_bool(&r, root, "", "interrupted", RMR_OPTIONAL, &f->interrupted) ||
        rmr_bool(&r, root, "", "complete", RMR_OPTIONAL, &f->complete) ||
        rmr_str(&r, root, "", "partial", RMR_OPTIONAL, &f->partial) || load_repro(&r, root, f) ||
        rm_sweep_load(&r, root, &f->sweep) || load_kernel(&r, root, f)) {
        rm_free(f);
        return NULL;
    }
    f->extra = rmr_extra(root, keys);
    return f;
}

struct rm_file *rm_from_doc(json_t *root, const char *name, char *err, size_t errlen)
{
    return from_doc(root, name, NULL, err, errlen);
}

/* The timelines are read apart from the tree (timeline_split.h); a file that reading cannot
 * split is parsed whole, which also gives a text that is not JSON its line and column. */
struct rm_file *rm_load(const char *path, char *err, size_t errlen)
{
    struct tl_split split = {0};
    struct rm_file *f = NULL;
    json_t *root;

    if (input_check(path, "results", err, errlen) != 0)
        return NULL;
    root = tl_split_load(path, &split);
    if (root == NULL || split.broken) {
        json_decref(root);
        tl_split_free(&split);
        if ((root = input_json_load(path, "results", err, errlen)) == NULL)
            return NULL;
    }
    if (split.failed)
        snprintf(err, errlen, "%s", split.failed_err);
    else
        f = from_doc(root, path, &split, err, errlen);
    json_decref(root);
    tl_split_free(&split);
    return f;
}

struct rm_file *rm_from_text(const char *text, const char *name, int *not_json, char *err,
                             size_t errlen)
{
    json_error_t je;
    json_t *root = json_loads(text, 0, &je);
    struct rm_file *f = NULL;

    *not_json = root == NULL;
    if (root == NULL)
        snprintf(err, errlen, "%s", je.text);
    else
        f = rm_from_doc(root, name, err, errlen);
    json_decref(root);
    return f;
}

int rm_context_from_doc(json_t *doc, struct rm_context **out, char *err, size_t errlen)
{
    struct rmr r = {.name = "context", .err = err, .errlen = errlen};
    json_t *holder = json_pack("{s:O}", "context", doc);
    int rc;

    *out = NULL;
    rc = load_context(&r, holder, out);
    json_decref(holder);
    if (rc != 0) {
        rm_context_free(*out);
        *out = NULL;
    }
    return rc;
}
