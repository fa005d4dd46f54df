#ifndef CONCBENCH_HISTORY_SQL_H
#define CONCBENCH_HISTORY_SQL_H

/* The history database's SQL, all of it, in analysis/history_sql.c: the schema with its indexes
 * and every query the history runs. Nothing else in concbench writes SQL. */

#define HIST_SCHEMA_VERSION 1

extern const char hist_sql_schema[];      /* tables and indexes; run once per new database */
extern const char hist_sql_insert_run[];  /* digest, commit, date, host, cpu, source, doc */
extern const char hist_sql_insert_case[]; /* run id, key, workload, label, figures, samples */
extern const char hist_sql_run_by_digest[];
extern const char hist_sql_list[];           /* every run, oldest first, with its case count */
extern const char hist_sql_show[];           /* the cases whose key contains ?1, oldest first */
extern const char hist_sql_run_nth_latest[]; /* the document of the ?1-th latest run (0 = latest) */
extern const char hist_sql_run_by_commit[];  /* the latest run whose commit starts with ?1 */
extern const char hist_sql_commits_by_prefix[]; /* the commits that start with ?1 (at most 11) */

#endif
