#ifndef CONCBENCH_RESULTS_H
#define CONCBENCH_RESULTS_H

#include <jansson.h>
#include <stddef.h>

#include "bench/bench.h"
#include "rmodel/rmodel.h"
#include "server/server.h"
#include "workloads/task.h"

/* What the measuring loop (bench.c) fills the results model (rmodel/rmodel.h) with, besides the
 * figures and checks it writes into the cases itself. */

/* The run's model before any case: tool, context (b->context) and config. rm_free it. */
struct rm_file *results_start(const struct bench *b);

/* A case of model m on workload ws before its first repetition: what it is (names, sizes,
 * parameters, options), figures with no sample, io_bound's drawn delays (l, or NULL). */
/* io_bound's embedded server during the case's measured repetitions so far (st, summed over
 * them): lateness percentiles, the mean delay asked (from l) and the model's CPU per request (the
 * figures' medians) into out->server. */
void results_server(struct rm_case *out, int tasks, const struct bench_latency *l,
                    const struct server_thread_stats *st, int threads);
void results_case_start(struct rm_case *out, const struct config *cfg,
                        const struct workload_spec *ws, const struct model_spec *m,
                        const struct bench_latency *l);
/* What one task computes, when the prepared workload says (workload.h's calibration). */
/* A model that launches its workers elsewhere (mpi): one measured repetition's start-up
 * (inside its wall time; 0 = none) and where they ran, kept in the case's launch (start-up per
 * repetition and its median, the last hosts). */
void results_launch(struct rm_case *out, double startup_s, const struct run_host *hosts, int nhosts,
                    const unsigned char *rank_host);
void results_calibration(struct rm_case *out, const struct workload *wl, const void *instance);

/* The last repetition's tasks, every step-th, as the case's timeline (times from the earliest
 * start), with their drawn delays when the case has them. */
void results_timeline(struct rm_case *out, const struct task_table *table, int step, int tasks,
                      const struct bench_latency *l);

/* The same while the repetition still runs, read from records the model is writing: a task not
 * started yet has worker -1, a running one ends at now_s with its current step open. The
 * caller frees out's timeline (it is replaced, never freed, here). */
void results_progress(struct rm_case *out, const struct task_table *table, int step, int tasks,
                      double now_s);

/* One measured round's time of the reference kernel (common/ref_kernel.h), appended to the
 * file's reference_kernel (made on the first). */
void results_kernel_add(struct rm_file *f, double seconds);

/* Whether the run is over, and when not why the file is not the whole run. */
void results_status(struct rm_file *f, int interrupted, int finished, int reps);

/* Checks before any work that path can be written (common/outfile.h: a new file or a writable
 * regular file; never a directory, device, FIFO, socket or symbolic link; "-" is stdout). */
int results_check_writable(const char *path, char *err, size_t errlen);

/* The context block: date, host, kernel, CPU, load, compiler, build, library versions, commit. */
json_t *context_json(void);

#endif
