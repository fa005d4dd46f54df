/* The model as a results document (results/README.md), and written atomically. Keys come in
 * the schema's order, then any the model kept without knowing them. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rmodel/rmodel.h"
#include "common/outfile.h"

/* A number, or null where there is none (JSON has no NaN). */
static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *strs(const struct rm_strs *l)
{
    json_t *a = json_array();

    for (int i = 0; i < l->n; i++)
        json_array_append_new(a, json_string(l->v[i]));
    return a;
}

static json_t *nums(const double *v, int n)
{
    json_t *a = json_array();

    for (int i = 0; i < n; i++)
        json_array_append_new(a, num(v[i]));
    return a;
}

/* Adds the kept unknown keys after the known ones. */
static json_t *with_extra(json_t *o, json_t *extra)
{
    if (extra != NULL)
        json_object_update_missing(o, extra);
    return o;
}

static void set_str(json_t *o, const char *key, const char *v)
{
    if (v != NULL)
        json_object_set_new(o, key, json_string(v));
}

static json_t *figure(const struct rm_figure *fig)
{
    const struct stats *s = &fig->st;

    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:[o,o], s:o}", "median", num(s->median), "mean",
                     num(s->mean), "stddev", num(s->stddev), "min", num(s->min), "max", num(s->max),
                     "ci95", num(s->ci95_lo), num(s->ci95_hi), "samples",
                     nums(fig->samples, fig->nsamples));
}

static json_t *scalar(const struct rm_scalar *v)
{
    return v->is_int ? json_integer(v->i) : json_string(v->s ? v->s : "");
}

static json_t *params(const struct rm_params *p)
{
    json_t *o = json_object();

    for (int i = 0; i < p->n; i++) {
        const struct rm_param *x = &p->v[i];
        json_t *v;
        if (x->is_list) {
            v = json_array();
            for (int k = 0; k < x->n; k++)
                json_array_append_new(v, scalar(&x->v[k]));
        } else {
            v = x->n > 0 ? scalar(&x->v[x->n - 1]) : json_null();
        }
        json_object_set_new(o, x->key, v);
    }
    return o;
}

static json_t *timeline(const struct rm_case *c)
{
    json_t *a = json_array();

    for (int i = 0; i < c->ntimeline; i++) {
        const struct rm_task *t = &c->timeline[i];
        json_t *o =
            json_pack("{s:I, s:I, s:o, s:o, s:o, s:b}", "task", (json_int_t)t->task, "worker",
                      (json_int_t)t->worker, "start_s", num(t->start_s), "end_s", num(t->end_s),
                      "steps_end_s", nums(t->steps_end_s, t->nsteps), "ok", t->ok);
        if (t->ncpu > 0)
            json_object_set_new(o, "steps_cpu_s", nums(t->steps_cpu_s, t->ncpu));
        if (t->nqueued > 0)
            json_object_set_new(o, "steps_queued_s", nums(t->steps_queued_s, t->nqueued));
        if (t->ndelays > 0)
            json_object_set_new(o, "delays_ms", nums(t->delays_ms, t->ndelays));
        json_array_append_new(a, o);
    }
    return a;
}

json_t *rm_case_to_doc(const struct rm_file *f, const struct rm_case *c)
{
    double speedup = f != NULL ? rm_speedup(f, c) : -1;
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:o}", "implementation", c->implementation,
                  "model", c->model, "label", c->label, "workload", c->workload, "tasks",
                  (json_int_t)c->tasks, "workers", (json_int_t)c->workers, "params",
                  params(&c->params), "model_options", params(&c->model_options));

    if (c->python != NULL)
        json_object_set(o, "python", c->python);
    json_object_set_new(o, "reps_done", json_integer(c->reps_done));
    for (int k = 0; k < RM_NFIGS; k++)
        if (k == RM_WALL || c->fig[k].nsamples > 0 || isfinite(c->fig[k].st.median))
            json_object_set_new(o, rm_fig_keys[k], figure(&c->fig[k])); /* absent stays absent */
    json_object_set_new(o, "speedup_vs_sequential", speedup > 0 ? json_real(speedup) : json_null());
    json_object_set_new(o, "validation",
                        json_pack("{s:b, s:s, s:I, s:I}", "ok", c->validation_ok, "checksum",
                                  c->checksum ? c->checksum : "", "tasks_checked",
                                  (json_int_t)c->tasks_checked, "failures",
                                  (json_int_t)c->failures));
    if (c->cancelled > 0)
        json_object_set_new(json_object_get(o, "validation"), "cancelled",
                            json_integer(c->cancelled));
    json_object_set_new(
        o, "errors",
        json_pack("{s:I, s:o}", "count", (json_int_t)c->error_count, "messages", strs(&c->errors)));
    json_object_set_new(o, "warnings", strs(&c->warnings));
    if (c->step_kinds != NULL)
        json_object_set_new(o, "step_kinds", json_string(c->step_kinds));
    if (isfinite(c->rss_baseline_kib))
        json_object_set_new(o, "rss_baseline_kib", json_real(c->rss_baseline_kib));
    if (c->instructions >= 0)
        json_object_set_new(o, "instructions", json_integer(c->instructions));
    json_object_set_new(o, "timeline", timeline(c));
    json_object_set_new(o, "timeline_sampling",
                        json_pack("{s:I, s:I, s:I}", "every", (json_int_t)c->timeline_every, "kept",
                                  (json_int_t)c->timeline_kept, "of", (json_int_t)c->timeline_of));
    if (c->latency != NULL)
        json_object_set_new(o, "latency", rm_latency_to_doc(c->latency));
    if (c->server != NULL)
        json_object_set_new(o, "server", rm_server_to_doc(c->server));
    if (c->launch != NULL)
        json_object_set_new(o, "launch", rm_launch_to_doc(c->launch));
    if (c->calibration != NULL) {
        const struct rm_calibration *k = c->calibration;
        json_object_set_new(
            o, "calibration",
            json_pack("{s:o, s:I, s:o, s:I, s:s}", "target_ms", json_real(k->target_ms), "count",
                      (json_int_t)k->count, "op_ms",
                      isfinite(k->op_ms) ? json_real(k->op_ms) : json_null(), "timings",
                      (json_int_t)k->timings, "task", k->task ? k->task : ""));
    }
    return with_extra(o, c->extra);
}

static json_t *kv_object(const struct rm_kv *v, int n)
{
    json_t *o = json_object();

    for (int i = 0; i < n; i++)
        json_object_set_new(o, v[i].key, json_string(v[i].value));
    return o;
}

static json_t *context(const struct rm_context *x)
{
    json_t *o;

    if (x == NULL)
        return json_null();
    o = json_object();
    set_str(o, "date", x->date);
    set_str(o, "host", x->host);
    set_str(o, "kernel", x->kernel);
    set_str(o, "cpu_model", x->cpu_model);
    if (x->logical_cpus >= 0)
        json_object_set_new(o, "logical_cpus", json_integer(x->logical_cpus));
    if (isfinite(x->load_avg[0]))
        json_object_set_new(o, "load_avg", nums(x->load_avg, 3));
    set_str(o, "compiler", x->compiler);
    set_str(o, "build_type", x->build_type);
    json_object_set_new(o, "libraries", kv_object(x->libraries, x->nlibraries));
    set_str(o, "git_commit", x->git_commit);
    if (x->nsystem > 0)
        json_object_set_new(o, "system", kv_object(x->system, x->nsystem));
    if (x->nci > 0)
        json_object_set_new(o, "ci", kv_object(x->ci, x->nci));
    return with_extra(o, x->extra);
}

static json_t *config(const struct rm_config *x)
{
    json_t *o = json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:I}", "workloads",
                          strs(&x->workloads), "models", strs(&x->models), "tasks",
                          (json_int_t)x->tasks, "reps", (json_int_t)x->reps, "warmup",
                          (json_int_t)x->warmup, "workers", (json_int_t)x->workers, "timeout_s",
                          (json_int_t)x->timeout_s, "timeline_max", (json_int_t)x->timeline_max);

    set_str(o, "cpus", x->cpus);
    return with_extra(o, x->extra);
}

json_t *rm_published_to_doc(const struct rm_published *p)
{
    json_t *o = json_object(), *rows = json_array();

    set_str(o, "format", p->format);
    if (p->source_extra != NULL || p->author != NULL || p->title != NULL) {
        json_t *src = json_object();
        set_str(src, "author", p->author);
        set_str(src, "title", p->title);
        json_object_set_new(o, "source", with_extra(src, p->source_extra));
    }
    set_str(o, "unit", p->unit);
    for (int i = 0; i < p->nrows; i++) {
        const struct rm_pub_row *r = &p->rows[i];
        json_t *row = json_object();
        set_str(row, "article_model", r->article_model);
        set_str(row, "model", r->model);
        set_str(row, "python", r->python);
        json_object_set_new(row, "cpu_bound_s", num(r->cpu_bound_s));
        json_object_set_new(row, "io_bound_s", num(r->io_bound_s));
        json_array_append_new(rows, with_extra(row, r->extra));
    }
    json_object_set_new(o, "rows", rows);
    return with_extra(o, p->extra);
}

static json_t *repro(const struct rm_repro *x)
{
    json_t *o = json_object();

    set_str(o, "experiment", x->experiment);
    json_object_set_new(o, "published",
                        x->published ? rm_published_to_doc(x->published) : json_null());
    json_object_set_new(o, "missing", strs(&x->missing));
    if (x->python != NULL)
        json_object_set(o, "python", x->python);
    return with_extra(o, x->extra);
}

json_t *rm_sweep_to_doc(const struct rm_sweep *s)
{
    json_t *tasks = json_object(), *skipped = json_array();

    for (int i = 0; i < s->nplans; i++) {
        json_t *a = json_array();
        for (int k = 0; k < s->plans[i].n; k++)
            json_array_append_new(a, json_integer(s->plans[i].tasks[k]));
        json_object_set_new(tasks, s->plans[i].workload, a);
    }
    for (int i = 0; i < s->nskipped; i++) {
        const struct rm_sweep_skip *k = &s->skipped[i];
        json_array_append_new(
            skipped, with_extra(json_pack("{s:s, s:s, s:I, s:s, s:s}", "workload", k->workload,
                                          "label", k->label, "tasks", (json_int_t)k->tasks, "kind",
                                          k->kind, "reason", k->reason),
                                k->extra));
    }
    return with_extra(json_pack("{s:o, s:o, s:o, s:o}", "tasks", tasks, "max_seconds",
                                num(s->max_seconds), "sequential_max_seconds",
                                num(s->sequential_max_seconds), "skipped", skipped),
                      s->extra);
}

json_t *rm_to_doc(const struct rm_file *f)
{
    json_t *cases = json_array(), *o;

    for (int i = 0; i < f->ncases; i++)
        json_array_append_new(cases, rm_case_to_doc(f, &f->cases[i]));
    o = json_pack("{s:I, s:s, s:o, s:o, s:o, s:b}", "schema_version", (json_int_t)f->schema_version,
                  "tool", f->tool ? f->tool : "", "context", context(f->context), "config",
                  config(&f->config), "cases", cases, "interrupted", f->interrupted);
    if (f->complete >= 0)
        json_object_set_new(o, "complete", json_boolean(f->complete));
    if (!f->complete && f->partial != NULL)
        json_object_set_new(o, "partial", json_string(f->partial));
    if (f->repro != NULL)
        json_object_set_new(o, "reproduction", repro(f->repro));
    if (f->sweep != NULL)
        json_object_set_new(o, "sweep", rm_sweep_to_doc(f->sweep));
    if (f->kernel != NULL)
        json_object_set_new(
            o, "reference_kernel",
            json_pack("{s:s, s:I, s:o}", "name", f->kernel->name ? f->kernel->name : "", "steps",
                      (json_int_t)f->kernel->steps, "seconds", figure(&f->kernel->fig)));
    return with_extra(o, f->extra);
}

static int dump_json(FILE *out, void *root)
{
    return json_dumpf(root, out, JSON_INDENT(2) | JSON_REAL_PRECISION(9));
}

/* Atomically, never over what is not a regular file (common/outfile.h); "-" is stdout. */
int rm_write(const struct rm_file *f, const char *path, char *err, size_t errlen)
{
    json_t *root = rm_to_doc(f);
    int rc;

    if (root == NULL) {
        snprintf(err, errlen, "cannot build the results document");
        return -1;
    }
    rc = outfile_write(path, dump_json, root, err, errlen);
    json_decref(root);
    return rc;
}

char *rm_to_text(const struct rm_file *f, enum rm_text_style style)
{
    json_t *root = rm_to_doc(f);
    char *text = json_dumps(root, style == RM_TEXT_STORED
                                      ? JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(9)
                                      : JSON_COMPACT);

    json_decref(root);
    return text;
}

char *rm_samples_text(const struct rm_figure *fig)
{
    json_t *arr = json_array();
    char *text;

    for (int i = 0; i < fig->nsamples; i++)
        json_array_append_new(arr, json_real(fig->samples[i]));
    text = json_dumps(arr, JSON_COMPACT | JSON_REAL_PRECISION(9));
    json_decref(arr);
    return text;
}
