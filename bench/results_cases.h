#ifndef CONCBENCH_RESULTS_CASES_H
#define CONCBENCH_RESULTS_CASES_H

/* The cases of a results document (loaded by rfile_load) and their figures. */

#include <jansson.h>

/* A case of a results document: implementation "c" or "python", workload, and model (the
 * runner name; for C the case whose label is the plain model name is preferred). NULL if none. */
json_t *rfile_find(json_t *root, const char *impl, const char *workload, const char *model);
/* 1 when the document has a case of the workload (of implementation impl; NULL = any). */
int rfile_has_workload(json_t *root, const char *impl, const char *workload);
/* A whole-number parameter of the workload, from its C sequential case (else its first case);
 * def when absent. */
long long rfile_param(json_t *root, const char *workload, const char *key, long long def);

/* The implementation of a case: "c" (also when the file does not say) or "python". */
const char *case_impl(json_t *c);
/* Median wall seconds of a case (< 0 when it has no measured repetition). */
double case_median(json_t *c);
/* Speedup of a case against the sequential case of the same implementation and workload
 * (sequential median / this median); < 0 when either is missing. */
double case_speedup(json_t *root, json_t *c);
/* Whether a case's wall time really differs from its sequential baseline's: 1 when their 95%
 * intervals do not overlap, 0 when they do (the difference is within the noise), -1 when either
 * case or interval is missing. */
int case_differs_from_sequential(json_t *root, json_t *c);
/* 1 when every task of the case was checked and correct and it has no errors. */
int case_valid(json_t *c);

#endif
