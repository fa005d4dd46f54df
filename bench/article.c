#include "bench/article.h"
#include "bench/jfield.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "bench/results_file.h"
#include "common/source_tree.h"

const char *const repro_models[REPRO_NMODELS] = {"sequential", "pthreads", "processes", "green",
                                                 "evloop"};
const char *const repro_article[REPRO_NMODELS] = {"sync", "threads", "processes", "gevent",
                                                  "asyncio"};
const char *const repro_python[REPRO_NMODELS] = {"sequential", "threading", "multiprocessing",
                                                 "gevent", "asyncio"};

static int published_check(json_t *p, const char *name, char *err, size_t errlen)
{
    json_t *rows = json_object_get(p, "rows"), *r;
    size_t i;

    if (!json_is_object(p) || !json_is_array(rows) || json_array_size(rows) == 0) {
        snprintf(err, errlen, "%s is not a published-figures file (no \"rows\")", name);
        return -1;
    }
    json_array_foreach(rows, i, r)
    {
        if (!json_is_object(r) || jf_str(r, "model") == NULL) {
            snprintf(err, errlen, "%s: row %zu has no \"model\"", name, i + 1);
            return -1;
        }
    }
    return 0;
}

json_t *published_load(const char *path, char *err, size_t errlen)
{
    char found[PATH_MAX];
    json_t *p;

    if (path == NULL) {
        if (repro_find_file(PUBLISHED_REL_PATH, found, sizeof(found)) != 0) {
            snprintf(err, errlen,
                     "the article's figures (%s) are not found: run from the source tree, set "
                     "CONCBENCH_ROOT to it, or give --published FILE",
                     PUBLISHED_REL_PATH);
            return NULL;
        }
        path = found;
    }
    p = json_file_load(path, "published-figures", err, errlen);
    if (p != NULL && published_check(p, path, err, errlen) != 0) {
        json_decref(p);
        return NULL;
    }
    return p;
}

json_t *published_for(json_t *results, const char *path, char *err, size_t errlen)
{
    json_t *emb = json_object_get(json_object_get(results, "reproduction"), "published");

    if (path == NULL && emb != NULL && published_check(emb, "embedded", err, errlen) == 0)
        return json_incref(emb);
    return published_load(path, err, errlen);
}

double published_seconds(json_t *published, const char *model, const char *workload)
{
    json_t *r;
    size_t i;
    char key[64];

    snprintf(key, sizeof(key), "%s_s", workload);
    json_array_foreach(json_object_get(published, "rows"), i, r)
    {
        const char *m = jf_str(r, "model");
        double v = jf_num(r, key);
        if (m != NULL && strcmp(m, model) == 0 && v > 0)
            return v;
    }
    return -1;
}
