#ifndef CONCBENCH_REPRODUCE_PYTHON_H
#define CONCBENCH_REPRODUCE_PYTHON_H

/* The Python variants of `reproduce` interleaved with the C rounds: after each round of the C
 * cases (warmup rounds too, unmeasured), every variant runs once in a fresh interpreter, so
 * that the machine's drift spreads over C and Python alike; each variant's repetitions fold
 * into one case (reproduce_merge.h). */

#include <jansson.h>

#include "rmodel/article.h"
#include "bench/bench.h"
#include "bench/config.h"
#include "bench/python/python_cases.h"
#include "bench/python/reproduce_merge.h"
#include "bench/results_latency.h"
#include "common/latency.h"

struct py_variant {
    int m, w; /* repro_python[m] on cfg->wls[w] */
    struct py_merge merge;
};

struct py_rounds {
    const struct py_env *py;
    const struct py_sizes *sizes;
    const struct config *cfg;
    const char *url; /* the Python io_bound's server; "" = none */
    /* Workloads with drawn delays (reproduce --latency): what the script is given, and the
     * C plan, recorded in the merged case too; lat[w].n == 0 for the others. */
    struct py_latency lat[CONFIG_MAX_WORKLOADS];
    char lat_text[CONFIG_MAX_WORKLOADS][PY_LATENCY_MAX][LATENCY_TEXT];
    const struct bench_latency *plan[CONFIG_MAX_WORKLOADS];
    struct py_variant v[CONFIG_MAX_WORKLOADS * REPRO_NMODELS];
    int nv;
    int interrupted;
    struct bench_observer observer; /* round_done runs every variant once */
    /* Told before variant i runs in a round, and with i = -1 once the round's variants are done
     * (a progress line); may be NULL. This layer never prints. */
    void (*on_variant)(void *arg, const struct py_rounds *r, int i, int round, int rounds,
                       int measured);
    void *on_variant_arg;
};

/* Lists the variants that can run here, workload by workload, models in the article's order;
 * the reason for each that cannot goes into skipped (once; the caller says them). r->observer,
 * given to bench_observe, then runs every variant once after each round of the C cases; SIGINT or
 * SIGTERM stops it, sets r->interrupted and interrupts the bench run. */
void py_rounds_init(struct py_rounds *r, const struct py_env *py, const struct py_sizes *sizes,
                    const struct config *cfg, const char *url, struct rm_strs *skipped);
/* Before py_rounds_init: the drawn delays of bench b's workloads (b->latency), against the
 * server at base (http://host:port). */
void py_rounds_latency(struct py_rounds *r, const struct bench *b, const char *base);

/* Appends each variant's merged case to f and frees them; when the run was interrupted,
 * only those with a repetition or an error to show. Returns 1 when some case failed or did not
 * validate. */
int py_rounds_finish(struct py_rounds *r, int interrupted, struct rm_file *f);

/* What the Python runs of a reproduction were, as the results' "reproduction"."python" object
 * (struct rm_repro's python): the interpreter, whether the variants ran (why not, when not), what
 * was skipped, the interpreter's version and modules (py, when probed), their server ("" = none).
 */
json_t *py_facts(const struct py_env *py, const char *interpreter, int ran,
                 const struct rm_strs *skipped, const char *why, const char *server);

#endif
