#ifndef CONCBENCH_ARTICLE_H
#define CONCBENCH_ARTICLE_H

/* The experiment of the article that `reproduce` repeats: its models under their three names,
 * and its published figures (results/published/article_003.json). */

#include <jansson.h>
#include <stddef.h>

/* The models of the article's experiment, in its order, and the article's names for them. */
#define REPRO_NMODELS 5
extern const char *const repro_models[REPRO_NMODELS];  /* sequential, pthreads, ... */
extern const char *const repro_article[REPRO_NMODELS]; /* sync, threads, ... */
extern const char *const repro_python[REPRO_NMODELS];  /* sequential, threading, ... */

#define PUBLISHED_REL_PATH "results/published/article_003.json"

/* Loads the article's published figures (path NULL = find PUBLISHED_REL_PATH). */
json_t *published_load(const char *path, char *err, size_t errlen);
/* The figures a results file was made against: its embedded "reproduction.published" block if
 * it has one, else published_load(path). NULL (and err) when neither is there. New reference. */
json_t *published_for(json_t *results, const char *path, char *err, size_t errlen);
/* Published seconds for a model (ours: sequential...) and workload; < 0 when absent. */
double published_seconds(json_t *published, const char *model, const char *workload);

#endif
