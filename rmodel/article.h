#ifndef CONCBENCH_ARTICLE_H
#define CONCBENCH_ARTICLE_H

/* The experiment of the article that `reproduce` repeats: its models under their three names,
 * and its published figures (results/published/article_003.json). */

#include <stddef.h>

#include "rmodel/rmodel.h"

/* The models of the article's experiment, in its order, and the article's names for them. */
#define REPRO_NMODELS 5
extern const char *const repro_models[REPRO_NMODELS];  /* sequential, pthreads, ... */
extern const char *const repro_article[REPRO_NMODELS]; /* sync, threads, ... */
extern const char *const repro_python[REPRO_NMODELS];  /* sequential, threading, ... */

/* 1 when model m has the gil=on option (pthreads, green, evloop). */
int repro_gil_model(int m);

/* The models that came after the article, as `reproduce -m all` adds them to its five: rows of
 * their own with C's figures only (the article and our Python variants have none). */
#define REPRO_NNEWER 3
extern const char *const repro_newer[REPRO_NNEWER]; /* openmp, uring, green:sched=mn */

/* The rows of the reproduction table and its reading: the article's models (row m <
 * REPRO_NMODELS is repro_models[m], its C cases labelled with the bare name), then every other
 * C case of the experiment's workloads, by label, in file order (openmp, uring, green:sched=mn,
 * or whatever a `run` file holds, pthreads:stack_kib=64 too), but for the gil=on runs of
 * reproduce --gil (a column of their own). */
#define REPRO_MAX_ROWS 16
struct repro_rows {
    int n;                             /* REPRO_NMODELS + the other rows */
    const char *name[REPRO_MAX_ROWS];  /* repro_models, then labels (pointing into the file) */
    const char *model[REPRO_MAX_ROWS]; /* the runner each row's cases ran under */
    int left_out;                      /* cases of labels past REPRO_MAX_ROWS: not shown */
};
void repro_rows(const struct rm_file *f, struct repro_rows *rows);
/* Row r's case of implementation impl on the workload: C's by the row's label (the article's
 * rows: the model with no option; green:sched=mn is a row of its own, never gevent's), Python's
 * by its C model (the rows after the article's have none). NULL when there is none. */
const struct rm_case *repro_row_case(const struct rm_file *f, const struct repro_rows *rows, int r,
                                     const char *impl, const char *workload);

#define PUBLISHED_REL_PATH "results/published/article_003.json"
/* reproduce --latency article: io_bound again, its delays drawn from the article's profile. */
#define LATENCY_ARTICLE_REL_PATH  "results/published/latency_article.txt"
#define REPRO_IO_LATENCY_WORKLOAD "io_bound:article"

/* Loads the article's published figures (path NULL = find PUBLISHED_REL_PATH). NULL with a
 * message in err. The caller frees them with rm_published_free. */
struct rm_published *published_load(const char *path, char *err, size_t errlen);
/* The figures a results file was made against: its embedded reproduction.published block if it
 * has one (and path is NULL), else published_load(path), which *loaded then owns. NULL (and
 * err) when neither is there. */
const struct rm_published *published_for(const struct rm_file *results, const char *path,
                                         struct rm_published **loaded, char *err, size_t errlen);

#endif
