#include "rmodel/hyperfine.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "rmodel/input_files.h"
#include "rmodel/jfield.h"
#include "rmodel/rmodel.h"
#include "rmodel/stats.h"

/* The median of hyperfine's times, as rmodel/stats.c computes medians. */
static double median_of(json_t *times)
{
    size_t n = json_array_size(times), i;
    struct stats st;
    double *x;
    json_t *v;

    if (n == 0 || (x = malloc(n * sizeof(*x))) == NULL)
        return NAN;
    json_array_foreach(times, i, v) x[i] = json_number_value(v);
    stats_compute(x, (int)n, &st);
    free(x);
    return st.median;
}

/* The export's shape, checked before anything is read: 0, or -1 with a message. */
static int check_export(json_t *root, const char *path, char *err, size_t errlen)
{
    json_t *results, *r;
    size_t i;

    if (json_is_object(root) && json_object_get(root, "schema_version") != NULL) {
        snprintf(err, errlen,
                 "%s is a concbench results file, not a hyperfine export (hyperfine "
                 "--export-json)",
                 path);
        return -1;
    }
    results = json_object_get(root, "results");
    if (!json_is_object(root) || !json_is_array(results)) {
        snprintf(err, errlen,
                 "%s is not a hyperfine export: expected an object with a \"results\" array "
                 "(hyperfine --export-json FILE)",
                 path);
        return -1;
    }
    if (json_array_size(results) == 0) {
        snprintf(err, errlen, "%s: the hyperfine export has no results", path);
        return -1;
    }
    json_array_foreach(results, i, r)
    {
        json_t *times = json_object_get(r, "times"), *t;
        size_t k;
        if (!json_is_object(r) || jf_str(r, "command") == NULL) {
            snprintf(err, errlen, "%s: hyperfine result %zu has no \"command\" text", path, i + 1);
            return -1;
        }
        if (!json_is_number(json_object_get(r, "median")) &&
            (!json_is_array(times) || json_array_size(times) == 0)) {
            snprintf(err, errlen,
                     "%s: hyperfine result %zu (%s) has neither \"median\" nor \"times\"", path,
                     i + 1, jf_str(r, "command"));
            return -1;
        }
        json_array_foreach(times, k, t)
        {
            if (!json_is_number(t)) {
                snprintf(err, errlen, "%s: hyperfine result %zu has a time that is not a number",
                         path, i + 1);
                return -1;
            }
        }
    }
    return 0;
}

static void read_result(json_t *r, struct hf_result *out)
{
    json_t *params = json_object_get(r, "parameters");

    out->command = rm_strdup(jf_str(r, "command"));
    out->model = rm_strdup(jf_str(params, "model"));
    out->workload = rm_strdup(jf_str(params, "workload"));
    out->median = jf_num(r, "median");
    if (!(out->median > 0))
        out->median = median_of(json_object_get(r, "times"));
    out->stddev = jf_num(r, "stddev");
}

int hf_load(const char *path, struct hf_export *out, char *err, size_t errlen)
{
    json_t *root = input_json_load(path, "hyperfine", err, errlen), *results, *r;
    size_t i;

    out->v = NULL;
    out->n = 0;
    if (root == NULL)
        return -1;
    if (check_export(root, path, err, errlen) != 0) {
        json_decref(root);
        return -1;
    }
    results = json_object_get(root, "results");
    out->v = calloc(json_array_size(results), sizeof(*out->v));
    if (out->v == NULL)
        abort();
    json_array_foreach(results, i, r) read_result(r, &out->v[out->n++]);
    json_decref(root);
    return 0;
}

void hf_free(struct hf_export *x)
{
    for (int i = 0; i < x->n; i++) {
        free(x->v[i].command);
        free(x->v[i].model);
        free(x->v[i].workload);
    }
    free(x->v);
    x->v = NULL;
    x->n = 0;
}
