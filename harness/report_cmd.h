#ifndef CONCBENCH_REPORT_CMD_H
#define CONCBENCH_REPORT_CMD_H

/* Reading results files back (report, reproduce, plot): loading and checking a results JSON, the
 * article's published figures and hyperfine exports, and the tables and plain-language reading
 * that put them side by side. Everything works on the JSON, so a file written by `run`, by
 * `reproduce` or by an older run of the same schema reads the same way. */

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* The models of the article's experiment, in its order, and the article's names for them. */
#define REPRO_NMODELS 5
extern const char *const repro_models[REPRO_NMODELS];  /* sequential, pthreads, ... */
extern const char *const repro_article[REPRO_NMODELS]; /* sync, threads, ... */
extern const char *const repro_python[REPRO_NMODELS];  /* sequential, threading, ... */

#define PUBLISHED_REL_PATH "results/published/article_003.json"
#define PYTHON_REL_PATH    "scripts/python/concbench_py.py"

/* Finds a file of the source tree (rel, e.g. PUBLISHED_REL_PATH) from $CONCBENCH_ROOT, the
 * binary's folder and its parents, the folder the sources were compiled from, and the current
 * folder. Returns 0 with the path in out, or -1. */
int repro_find_file(const char *rel, char *out, size_t outlen);

/* Loads a results file and checks it is one this concbench reads (object, schema_version 1,
 * cases with their fields). NULL with a clear message in err when the file is missing, not
 * JSON, of another schema version or of another shape. */
json_t *rfile_load(const char *path, char *err, size_t errlen);
/* The same checks on a document already in memory. 0 or -1 with a message. */
int rfile_check(json_t *root, const char *name, char *err, size_t errlen);

/* Loads the article's published figures (path NULL = find PUBLISHED_REL_PATH). */
json_t *published_load(const char *path, char *err, size_t errlen);
/* The figures a results file was made against: its embedded "reproduction.published" block if
 * it has one, else published_load(path). NULL (and err) when neither is there. New reference. */
json_t *published_for(json_t *results, const char *path, char *err, size_t errlen);
/* Published seconds for a model (ours: sequential...) and workload; < 0 when absent. */
double published_seconds(json_t *published, const char *model, const char *workload);

/* Loads a hyperfine --export-json file and checks its shape. NULL with a message otherwise. */
json_t *hyperfine_load(const char *path, char *err, size_t errlen);

/* A case of a results document: implementation "c" or "python", workload, and model (the
 * runner name; for C the case whose label is the plain model name is preferred). NULL if none. */
json_t *rfile_find(json_t *root, const char *impl, const char *workload, const char *model);
/* Median wall seconds of a case (< 0 when it has no measured repetition). */
double case_median(json_t *c);
/* Speedup of a case against the sequential case of the same implementation and workload
 * (sequential median / this median); < 0 when either is missing. */
double case_speedup(json_t *root, json_t *c);
/* 1 when every task of the case was checked and correct and it has no errors. */
int case_valid(json_t *c);

/* The reproduction table: per model, C (and Python when present) median and speedup for
 * cpu_bound and io_bound, next to the article's seconds and speedups. */
void repro_table(json_t *root, json_t *published, FILE *out);
/* The plain-language reading under it, computed from the measured speedups. */
void repro_reading(json_t *root, json_t *published, FILE *out);
/* Every case's errors, and warnings grouped by text. */
void repro_notes(json_t *root, FILE *out);
/* In-process (harness) median next to hyperfine's whole-process median, per model and workload. */
void hyperfine_table(json_t *root, json_t *const *hf, const char *const *names, int nhf, FILE *out);

#endif
