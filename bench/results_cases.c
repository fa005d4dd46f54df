#include "bench/results_cases.h"
#include "bench/jfield.h"

#include <string.h>

const char *case_impl(json_t *c)
{
    const char *impl = jf_str(c, "implementation");
    return impl != NULL ? impl : "c";
}

json_t *rfile_find(json_t *root, const char *impl, const char *workload, const char *model)
{
    json_t *c, *first = NULL;
    size_t i;

    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        if (strcmp(case_impl(c), impl) != 0 || strcmp(jf_str(c, "workload"), workload) != 0 ||
            strcmp(jf_str(c, "model"), model) != 0)
            continue;
        if (strcmp(impl, "c") != 0 || strcmp(jf_str(c, "label"), model) == 0)
            return c;
        if (first == NULL)
            first = c;
    }
    return first;
}

double case_median(json_t *c)
{
    double m;

    if (c == NULL || jf_int(c, "reps_done", 1) <= 0)
        return -1;
    m = jf_num(json_object_get(c, "wall_s"), "median");
    return m > 0 ? m : -1;
}

double case_speedup(json_t *root, json_t *c)
{
    json_t *seq;
    double m = case_median(c), s;

    if (m <= 0)
        return -1;
    seq = rfile_find(root, case_impl(c), jf_str(c, "workload"), "sequential");
    s = case_median(seq);
    return s > 0 ? s / m : -1;
}

int case_differs_from_sequential(json_t *root, json_t *c)
{
    json_t *seq, *ci, *sci;

    if (c == NULL)
        return -1;
    seq = rfile_find(root, case_impl(c), jf_str(c, "workload"), "sequential");
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
           jf_int(json_object_get(c, "errors"), "count", 0) == 0 && jf_int(c, "reps_done", 1) > 0;
}

int rfile_has_workload(json_t *root, const char *impl, const char *workload)
{
    json_t *c;
    size_t i;

    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        if ((impl == NULL || strcmp(case_impl(c), impl) == 0) &&
            strcmp(jf_str(c, "workload"), workload) == 0)
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
            if (strcmp(jf_str(v, "workload"), workload) == 0) {
                c = v;
                break;
            }
        }
    return jf_int(json_object_get(c, "params"), key, def);
}
