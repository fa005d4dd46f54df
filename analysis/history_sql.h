#ifndef CONCBENCH_HISTORY_SQL_H
#define CONCBENCH_HISTORY_SQL_H

/* The history database's SQL, all of it, in analysis/history_sql.c: the migrations that build the
 * schema and every query the history runs, written once for both backends (SQLite and
 * PostgreSQL). What differs between the two is in one table there, struct hist_dialect: a
 * statement names a difference as @TOKEN@ and hist_sql_text() fills it in, and turns the ?N
 * parameters into PostgreSQL's $N. Nothing else in concbench writes SQL. */

/* The schema version this concbench writes and reads; migrations[i] goes from version i to i+1. */
#define HIST_SCHEMA_VERSION 3

struct hist_dialect;
extern const struct hist_dialect hist_sqlite, hist_postgresql;

/* sql with the dialect's tokens filled in and its parameters spelled as the backend wants them;
 * malloc'd, NULL when out of memory. */
char *hist_sql_text(const struct hist_dialect *d, const char *sql);

/* Starting a write transaction, and stamping a schema version inside one (version table, and
 * SQLite's user_version that concbench before version 2 reads): malloc'd SQL. */
const char *hist_sql_begin_write(const struct hist_dialect *d);
char *hist_sql_stamp(const struct hist_dialect *d, int version);

extern const char *const hist_sql_migrations[HIST_SCHEMA_VERSION];
extern const char hist_sql_has_version_table[]; /* 1 row: 1 if the version table exists */
extern const char hist_sql_legacy_version[];    /* 1 row: the version of a database without it */
extern const char hist_sql_version[];           /* 1 row: the version in the version table */
extern const char hist_sql_migrate_lock[];      /* serializes migrations (a no-op in SQLite) */

extern const char hist_sql_insert_machine[]; /* key, host, cpu, cpus, kernel, labels */
extern const char hist_sql_insert_run[];  /* digest, commit, date, host, cpu, source, doc, machine,
                                             branch, reference kernel; returns the id when
                                             inserted */
extern const char hist_sql_insert_case[]; /* run id, key, workload, label, figures, samples,
                                             normalized, instructions */
extern const char hist_sql_run_by_digest[];
extern const char hist_sql_runs_without_machine[]; /* id, document (migration 2 fills them) */
extern const char hist_sql_set_run_machine[];      /* id, machine, branch */
extern const char hist_sql_runs_all[];             /* id, document (migration 3 fills them) */
extern const char hist_sql_set_run_kernel[];       /* id, reference kernel */
extern const char hist_sql_set_case_figures[];     /* run id, key, normalized, instructions */
extern const char hist_sql_list[];     /* every run, oldest first, with its case count */
extern const char hist_sql_machines[]; /* every machine with its runs' count and dates */
extern const char hist_sql_show[];   /* the cases whose key contains ?1 (of machine ?2 if not NULL),
                                        by key, machine, oldest first */
extern const char hist_sql_window[]; /* the latest ?5 results of case ?1 on machine ?2 and branch
                                        ?3, other than run digest ?4, not after date ?6 */
extern const char hist_sql_run_nth_latest[]; /* the document of the ?1-th latest run (0 = latest) */
extern const char hist_sql_run_by_commit[];  /* the latest run whose commit starts with ?1 */
extern const char hist_sql_commits_by_prefix[]; /* the commits that start with ?1 (at most 11) */

#endif
