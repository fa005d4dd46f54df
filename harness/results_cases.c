#include "harness/results_cases.h"

#include <string.h>

#include "harness/report_text.h"

const char *case_impl(json_t *c)
{
    const char *impl = jstr(c, "implementation");
    return impl != NULL ? impl : "c";
}

json_t *rfile_find(json_t *root, const char *impl, const char *workload, const char *model)
{
    json_t *c, *first = NULL;
    size_t i;

    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        if (strcmp(case_impl(c), impl) != 0 || strcmp(jstr(c, "workload"), workload) != 0 ||
            strcmp(jstr(c, "model"), model) != 0)
            continue;
        if (strcmp(impl, "c") != 0 || strcmp(jstr(c, "label"), model) == 0)
            return c;
        if (first == NULL)
            first = c;
    }
    return first;
}

double case_median(json_t *c)
{
    double m;

    if (c == NULL || jint(c, "reps_done", 1) <= 0)
        return -1;
    m = jnum(json_object_get(c, "wall_s"), "median");
    return m > 0 ? m : -1;
}

double case_speedup(json_t *root, json_t *c)
{
    json_t *seq;
    double m = case_median(c), s;

    if (m <= 0)
        return -1;
    seq = rfile_find(root, case_impl(c), jstr(c, "workload"), "sequential");
    s = case_median(seq);
    return s > 0 ? s / m : -1;
}

int case_differs_from_sequential(json_t *root, json_t *c)
{
    json_t *seq, *ci, *sci;

    if (c == NULL)
        return -1;
    seq = rfile_find(root, case_impl(c), jstr(c, "workload"), "sequential");
    ci = json_object_get(json_object_get(c, "wall_s"), "ci95");
    sci = json_object_get(json_object_get(seq, "wall_s"), "ci95");
    if (json_array_size(ci) != 2 || json_array_size(sci) != 2)
        return -1;
    return json_number_value(json_array_get(ci, 1)) < json_number_value(json_array_get(sci, 0)) ||
           json_number_value(json_array_get(ci, 0)) > json_number_value(json_array_get(sci, 1));
}

int case_valid(json_t *c)
{
    json_t *v = json_object_get(c, "validation");

    return c != NULL && json_is_true(json_object_get(v, "ok")) &&
           jint(json_object_get(c, "errors"), "count", 0) == 0 && jint(c, "reps_done", 1) > 0;
}

int rfile_has_workload(json_t *root, const char *impl, const char *workload)
{
    json_t *c;
    size_t i;

    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        if ((impl == NULL || strcmp(case_impl(c), impl) == 0) &&
            strcmp(jstr(c, "workload"), workload) == 0)
            return 1;
    }
    return 0;
}

long long rfile_param(json_t *root, const char *workload, const char *key, long long def)
{
    json_t *c = rfile_find(root, "c", workload, "sequential");
    json_t *v;
    size_t i;

    if (c == NULL)
        json_array_foreach(json_object_get(root, "cases"), i, v)
        {
            if (strcmp(jstr(v, "workload"), workload) == 0) {
                c = v;
                break;
            }
        }
    return jint(json_object_get(c, "params"), key, def);
}
