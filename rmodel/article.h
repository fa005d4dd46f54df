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
