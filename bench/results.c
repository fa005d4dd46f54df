#include "bench/results.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static json_t *stats_json(const struct case_result *c, enum figure f)
{
    const struct stats *s = &c->stats[f];
    json_t *samples = json_array();

    for (int i = 0; i < c->nsamples; i++) {
        const struct sample *x = &c->samples[i];
        const double v[FIG_COUNT] = {x->wall_s,      x->user_s,        x->sys_s,
                                     x->max_rss_kib, x->ctx_voluntary, x->ctx_involuntary};
        json_array_append_new(samples, json_real(v[f]));
    }
    return json_pack("{s:f, s:f, s:f, s:f, s:f, s:[f,f], s:o}", "median", s->median, "mean",
                     s->mean, "stddev", s->stddev, "min", s->min, "max", s->max, "ci95", s->ci95_lo,
                     s->ci95_hi, "samples", samples);
}

static json_t *params_json(const struct param_set *set, const struct param_spec *specs)
{
    json_t *obj = json_object();

    for (const struct param_spec *s = specs; s != NULL && s->key != NULL; s++) {
        const char *values[PARAMS_MAX];
        int n = params_all(set, s->key, values, PARAMS_MAX);
        json_t *v;

        if (n == 0 && s->def == NULL)
            continue;
        if (n == 0) {
            values[0] = s->def;
            n = 1;
        }
        if (s->repeatable && n > 1) {
            v = json_array();
            for (int i = 0; i < n; i++)
                json_array_append_new(v, s->type == PARAM_INT
                                             ? json_integer(strtoll(values[i], NULL, 10))
                                             : json_string(values[i]));
        } else {
            v = s->type == PARAM_INT ? json_integer(strtoll(values[n - 1], NULL, 10))
                                     : json_string(values[n - 1]);
        }
        json_object_set_new(obj, s->key, v);
    }
    return obj;
}

static json_t *strings_json(char *const *list, int n)
{
    json_t *a = json_array();

    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_string(list[i]));
    return a;
}

static json_t *timeline_json(const struct case_result *c, double t0)
{
    json_t *a = json_array();

    for (int i = 0; i < c->timeline_len; i++) {
        const struct task_record *r = &c->timeline[i];
        json_t *steps = json_array();
        int marks = r->steps_done < TASK_STEP_MARKS ? (int)r->steps_done : TASK_STEP_MARKS;
        for (int k = 0; k < marks; k++)
            json_array_append_new(steps, json_real(r->step_end_s[k] - t0));
        json_array_append_new(a, json_pack("{s:i, s:i, s:f, s:f, s:o, s:b}", "task", r->task,
                                           "worker", r->worker, "start_s", r->start_s - t0, "end_s",
                                           r->end_s - t0, "steps_end_s", steps, "ok",
                                           r->status == 0 && r->worker >= 0));
    }
    return a;
}

/* The earliest task start of a timeline: times are written relative to it. */
static double timeline_origin(const struct case_result *c)
{
    double t0 = 0;

    for (int i = 0; i < c->timeline_len; i++)
        if (c->timeline[i].worker >= 0 && (t0 == 0 || c->timeline[i].start_s < t0))
            t0 = c->timeline[i].start_s;
    return t0;
}

static json_t *case_json(const struct bench *b, const struct case_result *c)
{
    const struct config *cfg = b->cfg;
    const struct model_spec *m = c->model;
    char checksum[17];
    json_t *obj;

    snprintf(checksum, sizeof(checksum), "%016llx", (unsigned long long)c->checksum);
    obj = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:o, s:o, s:i}", "implementation", "c", "model",
                    m->runner->name, "label", m->label, "workload", c->ws->wl->name, "tasks",
                    cfg->tasks, "workers", cfg->workers, "params",
                    params_json(&c->ws->params, c->ws->wl->params), "model_options",
                    params_json(&m->opts, m->runner->options), "reps_done", c->reps_done);
    json_object_set_new(obj, "wall_s", stats_json(c, FIG_WALL));
    json_object_set_new(obj, "user_s", stats_json(c, FIG_USER));
    json_object_set_new(obj, "sys_s", stats_json(c, FIG_SYS));
    json_object_set_new(obj, "max_rss_kib", stats_json(c, FIG_RSS));
    json_object_set_new(obj, "ctx_voluntary", stats_json(c, FIG_CTXV));
    json_object_set_new(obj, "ctx_involuntary", stats_json(c, FIG_CTXI));
    json_object_set_new(obj, "speedup_vs_sequential",
                        c->speedup > 0 ? json_real(c->speedup) : json_null());
    json_object_set_new(obj, "validation",
                        json_pack("{s:b, s:s, s:I, s:I}", "ok",
                                  c->validation_ok && c->tasks_checked > 0, "checksum", checksum,
                                  "tasks_checked", (json_int_t)c->tasks_checked, "failures",
                                  (json_int_t)c->tasks_failed));
    json_object_set_new(obj, "errors",
                        json_pack("{s:I, s:o}", "count", (json_int_t)c->error_count, "messages",
                                  strings_json(c->messages, c->nmessages)));
    json_object_set_new(obj, "warnings", strings_json(c->warnings, c->nwarnings));
    json_object_set_new(obj, "timeline", timeline_json(c, timeline_origin(c)));
    json_object_set_new(obj, "timeline_sampling",
                        json_pack("{s:i, s:i, s:i}", "every",
                                  c->timeline_step ? c->timeline_step : 1, "kept", c->timeline_len,
                                  "of", cfg->tasks));
    return obj;
}

json_t *results_json(const struct bench *b)
{
    const struct config *cfg = b->cfg;
    json_t *cases = json_array(), *models = json_array(), *wls = json_array();

    for (int k = 0; k < cfg->nmodels; k++)
        json_array_append_new(models, json_string(cfg->models[k].label));
    for (int k = 0; k < cfg->nwls; k++)
        json_array_append_new(wls, json_string(cfg->wls[k].wl->name));
    for (int k = 0; b->cases != NULL && k < b->ncases; k++)
        json_array_append_new(cases, case_json(b, &b->cases[k]));
    return json_pack("{s:i, s:s, s:O, s:{s:o, s:o, s:i, s:i, s:i, s:i, s:i, s:i}, s:o, s:b}",
                     "schema_version", RESULTS_SCHEMA_VERSION, "tool",
                     "concbench " CONCBENCH_VERSION, "context",
                     b->context ? b->context : json_null(), "config", "workloads", wls, "models",
                     models, "tasks", cfg->tasks, "reps", cfg->reps, "warmup", cfg->warmup,
                     "workers", cfg->workers, "timeout_s", cfg->timeout_s, "timeline_max",
                     cfg->timeline_max, "cases", cases, "interrupted", b->interrupted);
}

int results_check_writable(const char *path, char *err, size_t errlen)
{
    char tmp[4096];
    int fd;

    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
        snprintf(err, errlen, "output path too long");
        return -1;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0 && errno == EEXIST)
        fd = open(tmp, O_WRONLY | O_TRUNC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write results to %s: %s", path, strerror(errno));
        return -1;
    }
    close(fd);
    unlink(tmp);
    return 0;
}

int results_write(const struct bench *b, const char *path, char *err, size_t errlen)
{
    char tmp[4096];
    json_t *root = results_json(b);
    int rc;

    if (root == NULL) {
        snprintf(err, errlen, "cannot build results JSON");
        return -1;
    }
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    rc = json_dump_file(root, tmp, JSON_INDENT(2) | JSON_REAL_PRECISION(9));
    json_decref(root);
    if (rc != 0 || rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot write results to %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}
