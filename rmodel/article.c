#include "rmodel/article.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "rmodel/input_files.h"
#include "common/source_tree.h"
#include "runners/runner.h"

const char *const repro_models[REPRO_NMODELS] = {"sequential", "pthreads", "processes", "green",
                                                 "evloop"};
const char *const repro_article[REPRO_NMODELS] = {"sync", "threads", "processes", "gevent",
                                                  "asyncio"};
int repro_gil_model(int m)
{
    return runner_has_option(repro_models[m], "gil");
}

const char *const repro_python[REPRO_NMODELS] = {"sequential", "threading", "multiprocessing",
                                                 "gevent", "asyncio"};

struct rm_published *published_load(const char *path, char *err, size_t errlen)
{
    char found[PATH_MAX];
    struct rm_published *p;
    json_t *doc;

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
    doc = input_json_load(path, "published-figures", err, errlen);
    if (doc == NULL)
        return NULL;
    p = rm_published_from_doc(doc, path, err, errlen);
    json_decref(doc);
    if (p != NULL && p->nrows == 0) {
        snprintf(err, errlen, "%s is not a published-figures file (no \"rows\")", path);
        rm_published_free(p);
        p = NULL;
    }
    return p;
}

const struct rm_published *published_for(const struct rm_file *results, const char *path,
                                         struct rm_published **loaded, char *err, size_t errlen)
{
    *loaded = NULL;
    if (path == NULL && results->repro != NULL && results->repro->published != NULL &&
        results->repro->published->nrows > 0)
        return results->repro->published;
    *loaded = published_load(path, err, errlen);
    return *loaded;
}
