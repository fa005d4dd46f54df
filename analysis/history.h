#ifndef CONCBENCH_HISTORY_H
#define CONCBENCH_HISTORY_H

/* The history of results in a database: an SQLite file (the default) or PostgreSQL, one store
 * that many CI runners write to (--db postgresql://..., or CONCBENCH_DB). Both backends run the
 * same schema, migrations and queries (analysis/history_sql.c; the backends behind
 * history_internal.h). Every write is one transaction, tried again a bounded number of times
 * when another writer is in the way, and a results file is stored once (by its content's
 * digest), so many jobs adding at once all land. The database carries its schema version (a
 * version table): an older one is migrated, a newer one refused and left untouched. */

#include <stddef.h>

#include "analysis/compare.h"
#include "rmodel/rmodel.h"

struct histi_ops;

struct hist {
    const struct histi_ops *ops;
    void *conn;
    char path[1024]; /* the database as messages name it (a URL's password hidden) */
    int transient;   /* the last failure may pass when its transaction is tried again */
};

#define HIST_DEFAULT_DB "results/history.sqlite"
/* The environment variable naming the database when --db is not given. */
#define HIST_DB_ENV "CONCBENCH_DB"

/* 1 when target names a PostgreSQL database (postgresql:// or postgres://). */
int hist_is_postgresql(const char *target);

/* Opens (create = 1: creating it and its schema if needed) the database at target: a file path
 * (SQLite) or a postgresql:// URL. An older schema is migrated. 0, or -1 with a message
 * (missing, not a database, a newer schema version, no PostgreSQL support in this build; for
 * SQLite an empty path, ":memory:" or a "file:" URI, which SQLite would take for a temporary
 * database that keeps nothing). */
int hist_open(struct hist *h, const char *target, int create, char *err, size_t errlen);
void hist_close(struct hist *h);
/* The schema version the open database has (HIST_SCHEMA_VERSION after hist_open). */
int hist_schema_version(struct hist *h, int *version, char *err, size_t errlen);

/* Where a run was measured: the machine key is the name given (--machine, CONCBENCH_MACHINE)
 * or host-XXXXXXXX, a digest of host, CPU model, logical CPUs, kernel and the CI runner's
 * labels (RUNNER_NAME, RUNNER_OS, CI_RUNNER_DESCRIPTION as the results file recorded them). */
struct hist_machine {
    char key[160], host[128], cpu_model[160], kernel[160], labels[256];
    long long logical_cpus;
};
void hist_machine_of(const struct rm_file *f, const char *name, struct hist_machine *m);
/* The branch a results file was measured on, from its CI variables (GITHUB_REF's branch,
 * CI_COMMIT_REF_NAME); "" when it does not say. */
void hist_branch_of(const struct rm_file *f, char *branch, size_t len);

/* What add records besides the file: machine name and branch, NULL to take them from it; and
 * whether a partial run is kept (hist_add). */
struct hist_add_opts {
    const char *machine, *branch;
    int allow_partial;
};

/* Adds a results model (source: its path, for list). 1 added, 0 already there (same content),
 * -1 with a message; *run_id is the run's id either way. Refused: a date (context.date) that is
 * not RFC 3339, and unless allow_partial a run that was interrupted, is not complete, has no case
 * or a case without a measured repetition; one kept with allow_partial is never a reference's
 * run (hist_load) nor in a check's window. */
int hist_add(struct hist *h, const struct rm_file *f, const char *source, int allow_partial,
             long long *run_id, char *err, size_t errlen);
int hist_add_as(struct hist *h, const struct rm_file *f, const char *source,
                const struct hist_add_opts *o, long long *run_id, char *err, size_t errlen);

/* 1 when s is an RFC 3339 date-time: 2026-12-06T10:06:55Z, with an optional fraction of a second
 * and a Z or +HH:MM offset. */
int hist_date_ok(const char *s);

/* A stored run by reference: "latest", "latest~N" (N runs before the latest, by date) or the
 * start of a git commit (its latest run; a start that several commits share is refused, with
 * them listed). The model, with its id and commit in name ("run 3, commit 0123abc"); NULL with a
 * message. */
struct rm_file *hist_load(struct hist *h, const char *ref, char *name, size_t namelen, char *err,
                          size_t errlen);

struct hist_run_row {
    long long id, ncases;
    const char *date, *commit, *host, *source, *machine, *branch;
};

/* What the history keeps of a case besides its samples, NAN when absent: median wall seconds and
 * the 95% interval of the mean, the speed-up (rm_speedup), the normalized figure (rm_normalized:
 * wall time in reference kernels) and the instruction count (run --count instructions). */
struct hist_figures {
    double median, lo, hi, speedup, normalized, instructions;
};

/* A case's figures, derived from the results model as add stores them and check judges a new
 * file against them. */
void hist_figures_of(const struct rm_file *f, const struct rm_case *c, struct hist_figures *x);

/* The metrics the history keeps per case: wall, speedup, normalized, instructions (compare's
 * user and rss are not). HIST_METRICS names them for messages and --help. */
#define HIST_METRICS "wall, speedup, normalized or instructions"
int hist_keeps_metric(enum cmp_metric m);
/* A kept metric's value among figures; NAN when absent or not kept. */
double hist_metric_value(const struct hist_figures *x, enum cmp_metric m);

struct hist_case_row {
    long long run_id, reps;
    const char *date, *commit, *key, *samples, *machine, *branch;
    const char *kernel; /* the run's reference kernel (rm_kernel_id), NULL when unknown */
    int valid;
    struct hist_figures fig;
};

struct hist_machine_row {
    const char *key, *host, *cpu_model, *kernel, *labels, *first, *last;
    long long logical_cpus, runs;
};

/* Calls fn for every run, oldest first / for every case whose key contains selector (of machine
 * when not NULL), grouped by key and machine, oldest first / for every machine. The rows' strings
 * live until fn returns. 0, or -1 with a message. */
int hist_each_run(struct hist *h, void (*fn)(const struct hist_run_row *, void *), void *arg,
                  char *err, size_t errlen);
int hist_each_case(struct hist *h, const char *selector, const char *machine,
                   void (*fn)(const struct hist_case_row *, void *), void *arg, char *err,
                   size_t errlen);
int hist_each_machine(struct hist *h, void (*fn)(const struct hist_machine_row *, void *),
                      void *arg, char *err, size_t errlen);
/* The latest `window` results of case key on machine and branch ("" none) other than the run of
 * digest, not dated after date (NULL: any), newest first. */
int hist_each_window(struct hist *h, const char *key, const char *machine, const char *branch,
                     const char *digest, const char *date, int window,
                     void (*fn)(const struct hist_case_row *, void *), void *arg, char *err,
                     size_t errlen);
/* A results model's digest as add keys it (16 hex digits). -1 when out of memory. */
int hist_digest(const struct rm_file *f, char digest[24]);

#endif
