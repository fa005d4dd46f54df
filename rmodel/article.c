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

const char *const repro_newer[REPRO_NNEWER] = {"openmp", "uring", "green:sched=mn"};

/* The workloads of the experiment: its two and io_bound again with drawn delays. */
static const char *const repro_wls[] = {"cpu_bound", "io_bound", REPRO_IO_LATENCY_WORKLOAD};

/* 1 when c is an article row's case or a gil=on run of one (reproduce --gil). */
static int article_case(const struct rm_case *c)
{
    char gil[96];

    for (int m = 0; m < REPRO_NMODELS; m++) {
        snprintf(gil, sizeof(gil), "%s:gil=on", repro_models[m]);
        if (strcmp(c->label, repro_models[m]) == 0 ||
            (repro_gil_model(m) && strcmp(c->label, gil) == 0))
            return 1;
    }
    return 0;
}

static int experiment_workload(const char *wl)
{
    for (size_t w = 0; w < sizeof(repro_wls) / sizeof(repro_wls[0]); w++)
        if (strcmp(wl, repro_wls[w]) == 0)
            return 1;
    return 0;
}

void repro_rows(const struct rm_file *f, struct repro_rows *rows)
{
    memset(rows, 0, sizeof(*rows));
    for (int m = 0; m < REPRO_NMODELS; m++) {
        rows->name[m] = rows->model[m] = repro_models[m];
        rows->n++;
    }
    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        int seen = 0;
        if (strcmp(c->implementation, "c") != 0 || !experiment_workload(c->workload) ||
            article_case(c))
            continue;
        for (int r = REPRO_NMODELS; r < rows->n && !seen; r++)
            seen = strcmp(rows->name[r], c->label) == 0;
        if (seen)
            continue;
        if (rows->n == REPRO_MAX_ROWS) {
            rows->left_out++;
            continue;
        }
        rows->name[rows->n] = c->label;
        rows->model[rows->n++] = c->model;
    }
}

const struct rm_case *repro_row_case(const struct rm_file *f, const struct repro_rows *rows, int r,
                                     const char *impl, const char *workload)
{
    if (r < REPRO_NMODELS && strcmp(impl, "c") != 0) /* python:threading: by its C model */
        return rm_find(f, impl, workload, repro_models[r]);
    if (r >= rows->n || strcmp(impl, "c") != 0)
        return NULL;
    return rm_find_label(f, impl, workload, rows->name[r]);
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
