#include "rmodel/input_files.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rmodel/jfield.h"

json_t *input_json_load(const char *path, const char *what, char *err, size_t errlen)
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
    if (!S_ISREG(st.st_mode)) { /* a device or a FIFO could be endless, or block */
        snprintf(err, errlen, "%s is not a regular file (a device, FIFO or socket), not a %s file",
                 path, what);
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

json_t *hyperfine_load(const char *path, char *err, size_t errlen)
{
    json_t *root = input_json_load(path, "hyperfine", err, errlen), *results, *r;
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
