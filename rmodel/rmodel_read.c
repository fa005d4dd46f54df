#include "rmodel/rmodel_read.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *type_name(json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "a whole number";
    case JSON_REAL:
        return "a number with a fraction";
    case JSON_TRUE:
    case JSON_FALSE:
        return "true/false";
    default:
        return "null";
    }
}

int rmr_fail(struct rmr *r, const char *where, const char *fmt, ...)
{
    char what[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    snprintf(r->err, r->errlen, "%s: %s%s%s", r->name, where, where[0] ? ": " : "", what);
    return -1;
}

const char *rmr_path(char *buf, size_t len, const char *where, const char *key)
{
    snprintf(buf, len, "%s%s%s", where, where[0] ? "." : "", key);
    return buf;
}

const char *rmr_index(char *buf, size_t len, const char *where, size_t i)
{
    snprintf(buf, len, "%s[%zu]", where, i);
    return buf;
}

/* The field, NULL when absent; -1 (with a message) when required and absent. */
static int field(struct rmr *r, json_t *o, const char *where, const char *key, enum rmr_need need,
                 json_t **v)
{
    char path[256];

    *v = json_object_get(o, key);
    if (*v == NULL && need == RMR_REQUIRED)
        return rmr_fail(r, rmr_path(path, sizeof(path), where, key), "missing");
    return 0;
}

static int wrong(struct rmr *r, const char *where, const char *key, const char *want, json_t *v)
{
    char path[256];
    return rmr_fail(r, rmr_path(path, sizeof(path), where, key), "expected %s, got %s", want,
                    type_name(v));
}

#define T(t) (1u << (t))

/* The field when its type is one of accept (bits T(JSON_...)); *v NULL when absent (or null,
 * when null is not accepted and the field is optional). -1 with a message otherwise. */
static int typed(struct rmr *r, json_t *o, const char *where, const char *key, enum rmr_need need,
                 unsigned accept, const char *want, json_t **v)
{
    if (field(r, o, where, key, need, v) != 0)
        return -1;
    if (*v == NULL || (accept & T(json_typeof(*v))))
        return 0;
    if (json_is_null(*v) && need == RMR_OPTIONAL) {
        *v = NULL;
        return 0;
    }
    return wrong(r, where, key, want, *v);
}

int rmr_str(struct rmr *r, json_t *o, const char *where, const char *key, enum rmr_need need,
            char **out)
{
    json_t *v;

    if (typed(r, o, where, key, need, T(JSON_STRING), "a string", &v) != 0)
        return -1;
    if (v != NULL) {
        free(*out);
        *out = rm_strdup(json_string_value(v));
    }
    return 0;
}

int rmr_int(struct rmr *r, json_t *o, const char *where, const char *key, enum rmr_need need,
            long long *out)
{
    json_t *v;

    if (typed(r, o, where, key, need, T(JSON_INTEGER), "a whole number", &v) != 0)
        return -1;
    if (v != NULL)
        *out = (long long)json_integer_value(v);
    return 0;
}

int rmr_num(struct rmr *r, json_t *o, const char *where, const char *key, enum rmr_need need,
            double *out)
{
    json_t *v;

    if (typed(r, o, where, key, need, T(JSON_INTEGER) | T(JSON_REAL) | T(JSON_NULL), "a number",
              &v) != 0)
        return -1;
    if (v != NULL)
        *out = json_is_null(v) ? NAN : json_number_value(v);
    return 0;
}

int rmr_bool(struct rmr *r, json_t *o, const char *where, const char *key, enum rmr_need need,
             int *out)
{
    json_t *v;

    if (typed(r, o, where, key, need, T(JSON_TRUE) | T(JSON_FALSE), "true or false", &v) != 0)
        return -1;
    if (v != NULL)
        *out = json_is_true(v);
    return 0;
}

int rmr_object(struct rmr *r, json_t *o, const char *where, const char *key, enum rmr_need need,
               json_t **out)
{
    return typed(r, o, where, key, need, T(JSON_OBJECT), "an object", out);
}

int rmr_array(struct rmr *r, json_t *o, const char *where, const char *key, enum rmr_need need,
              json_t **out)
{
    return typed(r, o, where, key, need, T(JSON_ARRAY), "an array", out);
}

int rmr_strs(struct rmr *r, json_t *o, const char *where, const char *key, enum rmr_need need,
             struct rm_strs *out)
{
    char path[256], item[300];
    json_t *a, *v;
    size_t i;

    if (rmr_array(r, o, where, key, need, &a) != 0)
        return -1;
    if (a == NULL)
        return 0;
    rmr_path(path, sizeof(path), where, key);
    rm_strs_clear(out);
    out->v = calloc(json_array_size(a) + 1, sizeof(*out->v));
    if (out->v == NULL)
        return rmr_fail(r, path, "out of memory");
    json_array_foreach(a, i, v)
    {
        if (!json_is_string(v))
            return rmr_fail(r, rmr_index(item, sizeof(item), path, i), "expected a string, got %s",
                            type_name(v));
        out->v[out->n++] = rm_strdup(json_string_value(v));
    }
    return 0;
}

int rmr_nums(struct rmr *r, json_t *o, const char *where, const char *key, enum rmr_need need,
             double **out, int *n)
{
    char path[256], item[300];
    json_t *a, *v;
    size_t i;

    if (rmr_array(r, o, where, key, need, &a) != 0)
        return -1;
    if (a == NULL)
        return 0;
    rmr_path(path, sizeof(path), where, key);
    free(*out);
    *n = 0;
    *out = calloc(json_array_size(a) + 1, sizeof(**out));
    if (*out == NULL)
        return rmr_fail(r, path, "out of memory");
    json_array_foreach(a, i, v)
    {
        if (!json_is_number(v))
            return rmr_fail(r, rmr_index(item, sizeof(item), path, i), "expected a number, got %s",
                            type_name(v));
        (*out)[(*n)++] = json_number_value(v);
    }
    return 0;
}

json_t *rmr_extra(json_t *o, const char *const *known)
{
    json_t *extra = NULL, *v;
    const char *key;

    json_object_foreach(o, key, v)
    {
        int is_known = 0;
        for (const char *const *k = known; *k != NULL && !is_known; k++)
            is_known = strcmp(*k, key) == 0;
        if (is_known)
            continue;
        if (extra == NULL)
            extra = json_object();
        json_object_set(extra, key, v);
    }
    return extra;
}
