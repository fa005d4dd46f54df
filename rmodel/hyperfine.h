#ifndef CONCBENCH_HYPERFINE_H
#define CONCBENCH_HYPERFINE_H

/* hyperfine's --export-json files, read into a small typed struct: what the side-by-side table of
 * report/ and reproduce needs of each benchmarked command, and nothing of JSON. */

#include <stddef.h>

/* One benchmarked command of the export. */
struct hf_result {
    char *command; /* as hyperfine ran it */
    char *model;   /* "parameters": the model and workload of a -L list, NULL when absent */
    char *workload;
    double median; /* seconds: "median", or the median of "times" when that is absent or not
                    * above 0 (as rmodel/stats.c computes medians); NAN when neither */
    double stddev; /* seconds; NAN when absent */
};

struct hf_export {
    struct hf_result *v;
    int n;
};

/* Loads a hyperfine --export-json file and checks its shape: 0, or -1 with a message in err (a
 * results file given instead, no "results", a result with no command or no time). */
int hf_load(const char *path, struct hf_export *out, char *err, size_t errlen);
/* Frees what hf_load filled; a zeroed struct is fine. */
void hf_free(struct hf_export *x);

#endif
