#include "bench/reproduce_merge.h"

#include <stdlib.h>
#include <string.h>

#include "bench/stats.h"

/* The figures of a case, in enum figure's order. */
static const char *const fig_names[FIG_COUNT] = {"wall_s",      "user_s",        "sys_s",
                                                 "max_rss_kib", "ctx_voluntary", "ctx_involuntary"};

int json_note(json_t *list, const char *text, size_t max)
{
    json_t *s;
    size_t i;

    json_array_foreach(list, i, s)
    {
        const char *t = json_string_value(s);
        if (t != NULL && strcmp(t, text) == 0)
            return 0;
    }
    return json_array_size(list) < max && json_array_append_new(list, json_string(text)) == 0;
}

void py_merge_init(struct py_merge *g)
{
    memset(g, 0, sizeof(*g));
    for (int f = 0; f < FIG_COUNT; f++)
        g->samples[f] = json_array();
    g->messages = json_array();
    g->warnings = json_array();
    g->ok = 1;
}

/* The script's own spread warnings judge its single repetition: they are judged again over all
 * the repetitions when the case is finished. */
static int is_spread_warning(const char *t)
{
    return strncmp(t, "only ", 5) == 0 || strncmp(t, "unstable: ", 10) == 0;
}

void py_merge_case(struct py_merge *g, json_t *c)
{
    json_t *v = json_object_get(c, "validation"), *errs = json_object_get(c, "errors"), *s;
    size_t i;

    for (int f = 0; f < FIG_COUNT; f++) {
        json_t *samples = json_object_get(json_object_get(c, fig_names[f]), "samples");
        if (json_is_array(samples))
            json_array_extend(g->samples[f], samples);
    }
    g->reps += json_integer_value(json_object_get(c, "reps_done"));
    g->checked += json_integer_value(json_object_get(v, "tasks_checked"));
    g->failures += json_integer_value(json_object_get(v, "failures"));
    g->ok = g->ok && json_is_true(json_object_get(v, "ok"));
    g->errors += json_integer_value(json_object_get(errs, "count"));
    json_array_foreach(json_object_get(errs, "messages"), i, s)
    {
        if (json_is_string(s))
            json_note(g->messages, json_string_value(s), CASE_MAX_MESSAGES);
    }
    json_array_foreach(json_object_get(c, "warnings"), i, s)
    {
        if (json_is_string(s) && !is_spread_warning(json_string_value(s)))
            json_note(g->warnings, json_string_value(s), CASE_MAX_MESSAGES);
    }
    json_decref(g->last);
    g->last = c;
}

void py_merge_error(struct py_merge *g, const char *why)
{
    g->errors++;
    g->ok = 0;
    json_note(g->messages, why, CASE_MAX_MESSAGES);
}

/* {median, mean, stddev, min, max, ci95, samples} of one figure, as the C cases have it. */
static json_t *figure_json(json_t *samples, struct stats *st)
{
    size_t n = json_array_size(samples), i;
    double *x = malloc((n ? n : 1) * sizeof(*x));
    json_t *v;

    if (x == NULL)
        abort(); /* a handful of doubles */
    json_array_foreach(samples, i, v) x[i] = json_number_value(v);
    stats_compute(x, (int)n, st);
    free(x);
    return json_pack("{s:f, s:f, s:f, s:f, s:f, s:[f,f], s:o}", "median", st->median, "mean",
                     st->mean, "stddev", st->stddev, "min", st->min, "max", st->max, "ci95",
                     st->ci95_lo, st->ci95_hi, "samples", json_deep_copy(samples));
}

/* Sets key unless the case has it already (a case built on the empty one lacks it). */
static void set_default(json_t *c, const char *key, json_t *value)
{
    if (json_object_get(c, key) == NULL)
        json_object_set_new(c, key, value);
    else
        json_decref(value);
}

json_t *py_merge_finish(const struct py_merge *g, json_t *empty)
{
    json_t *c = g->last != NULL ? json_deep_copy(g->last) : json_incref(empty), *warnings;
    const char *sum =
        json_string_value(json_object_get(json_object_get(g->last, "validation"), "checksum"));
    struct stats st[FIG_COUNT];
    char text[256];

    json_decref(empty);
    /* Set in the schema's order, so that a case built on the empty one has it too. */
    json_object_set_new(c, "reps_done", json_integer(g->reps));
    for (int f = 0; f < FIG_COUNT; f++)
        json_object_set_new(c, fig_names[f], figure_json(g->samples[f], &st[f]));
    set_default(c, "speedup_vs_sequential", json_null());
    json_object_set_new(c, "validation",
                        json_pack("{s:b, s:s, s:I, s:I}", "ok", g->ok && g->checked > 0, "checksum",
                                  sum != NULL ? sum : "0000000000000000", "tasks_checked",
                                  (json_int_t)g->checked, "failures", (json_int_t)g->failures));
    json_object_set_new(c, "errors",
                        json_pack("{s:I, s:o}", "count", (json_int_t)g->errors, "messages",
                                  json_deep_copy(g->messages)));
    warnings = json_deep_copy(g->warnings);
    if (bench_spread_warning(&st[FIG_WALL], text, sizeof(text)))
        json_note(warnings, text, CASE_MAX_MESSAGES);
    json_object_set_new(c, "warnings", warnings);
    set_default(c, "timeline", json_array());
    set_default(c, "timeline_sampling",
                json_pack("{s:i, s:i, s:I}", "every", 1, "kept", 0, "of",
                          json_integer_value(json_object_get(c, "tasks"))));
    return c;
}

void py_merge_free(struct py_merge *g)
{
    for (int f = 0; f < FIG_COUNT; f++)
        json_decref(g->samples[f]);
    json_decref(g->messages);
    json_decref(g->warnings);
    json_decref(g->last);
    memset(g, 0, sizeof(*g));
}
