#include "bench/results_file.h"
#include "bench/jfield.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "bench/results.h"

json_t *json_file_load(const char *path, const char *what, char *err, size_t errlen)
{
    struct stat st;
    json_error_t e;
    json_t *root;

    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "cannot read %s file %s: %s", what, path, strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s is a folder, not a %s file", path, what);
        return NULL;
    }
    root = json_load_file(path, JSON_DECODE_ANY, &e);
    if (root == NULL) {
        if (st.st_size == 0)
            snprintf(err, errlen, "%s is empty, not a %s file", path, what);
        else if (e.line <= 0)
            snprintf(err, errlen, "cannot read %s file %s: %s", what, path, e.text);
        else
            snprintf(err, errlen, "%s is not JSON (line %d, column %d: %s); expected a %s file",
                     path, e.line, e.column, e.text, what);
        return NULL;
    }
    return root;
}

int rfile_check(json_t *root, const char *name, char *err, size_t errlen)
{
    static const char *const text_fields[] = {"workload", "model", "label"};
    json_t *v, *cases, *c;
    size_t i;

    if (!json_is_object(root)) {
        snprintf(err, errlen,
                 "%s is JSON but not a concbench results file (its top level is not an object)",
                 name);
        return -1;
    }
    v = json_object_get(root, "schema_version");
    if (v == NULL) {
        if (json_is_array(json_object_get(root, "results")))
            snprintf(err, errlen,
                     "%s looks like a hyperfine export, not a concbench results file (give it "
                     "with --hyperfine)",
                     name);
        else
            snprintf(err, errlen,
                     "%s is not a concbench results file: it has no schema_version (write one "
                     "with concbench run -o FILE or concbench reproduce -o FILE)",
                     name);
        return -1;
    }
    if (!json_is_integer(v)) {
        snprintf(err, errlen, "%s: schema_version is not a whole number", name);
        return -1;
    }
    if (json_integer_value(v) != RESULTS_SCHEMA_VERSION) {
        snprintf(err, errlen,
                 "%s has schema_version %lld, but this concbench reads schema_version %d (see "
                 "results/README.md); read it with the concbench that wrote it, or run again",
                 name, (long long)json_integer_value(v), RESULTS_SCHEMA_VERSION);
        return -1;
    }
    cases = json_object_get(root, "cases");
    if (!json_is_array(cases)) {
        snprintf(err, errlen, "%s is not a complete results file: it has no \"cases\" array", name);
        return -1;
    }
    json_array_foreach(cases, i, c)
    {
        json_t *wall;
        if (!json_is_object(c)) {
            snprintf(err, errlen, "%s: case %zu is not an object", name, i + 1);
            return -1;
        }
        for (size_t k = 0; k < sizeof(text_fields) / sizeof(text_fields[0]); k++)
            if (!json_is_string(json_object_get(c, text_fields[k]))) {
                snprintf(err, errlen, "%s: case %zu has no \"%s\" text", name, i + 1,
                         text_fields[k]);
                return -1;
            }
        wall = json_object_get(c, "wall_s");
        if (!json_is_object(wall) || !json_is_number(json_object_get(wall, "median"))) {
            snprintf(err, errlen, "%s: case %zu (%s %s) has no wall_s.median", name, i + 1,
                     jf_str(c, "workload"), jf_str(c, "label"));
            return -1;
        }
    }
    return 0;
}

json_t *rfile_load(const char *path, char *err, size_t errlen)
{
    json_t *root = json_file_load(path, "results", err, errlen);

    if (root != NULL && rfile_check(root, path, err, errlen) != 0) {
        json_decref(root);
        return NULL;
    }
    return root;
}

json_t *hyperfine_load(const char *path, char *err, size_t errlen)
{
    json_t *root = json_file_load(path, "hyperfine", err, errlen), *results, *r;
    size_t i;

    if (root == NULL)
        return NULL;
    if (json_is_object(root) && json_object_get(root, "schema_version") != NULL) {
        snprintf(err, errlen,
                 "%s is a concbench results file, not a hyperfine export (hyperfine "
                 "--export-json)",
                 path);
        goto bad;
    }
    results = json_object_get(root, "results");
    if (!json_is_object(root) || !json_is_array(results)) {
        snprintf(err, errlen,
                 "%s is not a hyperfine export: expected an object with a \"results\" array "
                 "(hyperfine --export-json FILE)",
                 path);
        goto bad;
    }
    if (json_array_size(results) == 0) {
        snprintf(err, errlen, "%s: the hyperfine export has no results", path);
        goto bad;
    }
    json_array_foreach(results, i, r)
    {
        json_t *times = json_object_get(r, "times"), *t;
        size_t k;
        if (!json_is_object(r) || jf_str(r, "command") == NULL) {
            snprintf(err, errlen, "%s: hyperfine result %zu has no \"command\" text", path, i + 1);
            goto bad;
        }
        if (!json_is_number(json_object_get(r, "median")) &&
            (!json_is_array(times) || json_array_size(times) == 0)) {
            snprintf(err, errlen,
                     "%s: hyperfine result %zu (%s) has neither \"median\" nor \"times\"", path,
                     i + 1, jf_str(r, "command"));
            goto bad;
        }
        json_array_foreach(times, k, t)
        {
            if (!json_is_number(t)) {
                snprintf(err, errlen, "%s: hyperfine result %zu has a time that is not a number",
                         path, i + 1);
                goto bad;
            }
        }
    }
    return root;
bad:
    json_decref(root);
    return NULL;
}
