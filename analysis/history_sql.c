/* The history database's SQL (history_sql.h). A run is one results file, stored whole (its
 * document, so `history compare` rebuilds the same model `compare` reads) and keyed by a digest
 * of its content, so adding a file twice adds nothing. Each case's figures and samples are also
 * in columns, for `show` and `trend` to read without parsing documents. */
#include "analysis/history_sql.h"

const char hist_sql_schema[] =
    "CREATE TABLE IF NOT EXISTS runs (\n"
    "  id         INTEGER PRIMARY KEY,\n"
    "  digest     TEXT NOT NULL UNIQUE,   -- FNV-1a 64 of the canonical document\n"
    "  git_commit TEXT,\n"
    "  date       TEXT,                   -- when the run started (context.date, UTC)\n"
    "  host       TEXT,\n"
    "  cpu_model  TEXT,\n"
    "  source     TEXT,                   -- the file's path when it was added\n"
    "  added_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),\n"
    "  document   TEXT NOT NULL           -- the results file, as concbench writes it\n"
    ");\n"
    "CREATE TABLE IF NOT EXISTS cases (\n"
    "  run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  key         TEXT NOT NULL,         -- workload/label/n=/w=/params (rmodel/case_key.h)\n"
    "  workload    TEXT,\n"
    "  label       TEXT,\n"
    "  valid       INTEGER NOT NULL,\n"
    "  reps        INTEGER,\n"
    "  wall_median REAL,\n"
    "  wall_lo     REAL,                  -- 95% interval of the mean\n"
    "  wall_hi     REAL,\n"
    "  speedup     REAL,                  -- over sequential; NULL without one\n"
    "  samples     TEXT,                  -- wall seconds, JSON array in round order\n"
    "  PRIMARY KEY (run_id, key)\n"
    ");\n"
    "CREATE INDEX IF NOT EXISTS cases_by_key ON cases(key);\n"
    "CREATE INDEX IF NOT EXISTS runs_by_commit ON runs(git_commit);\n"
    "CREATE INDEX IF NOT EXISTS runs_by_date ON runs(date, id);\n";

const char hist_sql_insert_run[] =
    "INSERT OR IGNORE INTO runs (digest, git_commit, date, host, cpu_model, source, document)\n"
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7);";

const char hist_sql_insert_case[] =
    "INSERT INTO cases (run_id, key, workload, label, valid, reps, wall_median,\n"
    "                   wall_lo, wall_hi, speedup, samples)\n"
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11);";

const char hist_sql_run_by_digest[] = "SELECT id FROM runs WHERE digest = ?1;";

const char hist_sql_list[] = "SELECT r.id, r.date, r.git_commit, r.host, r.source,\n"
                             "       (SELECT count(*) FROM cases c WHERE c.run_id = r.id)\n"
                             "FROM runs r ORDER BY julianday(r.date), r.id;";

const char hist_sql_show[] =
    "SELECT r.id, r.date, r.git_commit, c.key, c.valid, c.reps, c.wall_median, c.wall_lo,\n"
    "       c.wall_hi, c.speedup, c.samples\n"
    "FROM cases c JOIN runs r ON r.id = c.run_id\n"
    "WHERE instr(c.key, ?1) > 0\n"
    "ORDER BY c.key, julianday(r.date), r.id;";

/* A run kept with add --allow-partial (interrupted, not complete, or without cases) is listed and
 * shown, but never chosen by a reference: it is never latest, nor a commit's run. */
#define HIST_SQL_WHOLE_RUN                                                                         \
    "coalesce(json_extract(document, '$.complete'), 1) = 1\n"                                      \
    "  AND coalesce(json_extract(document, '$.interrupted'), 0) = 0\n"                             \
    "  AND EXISTS (SELECT 1 FROM cases c WHERE c.run_id = runs.id)\n"

const char hist_sql_run_nth_latest[] =
    "SELECT id, git_commit, document FROM runs\n"
    "WHERE " HIST_SQL_WHOLE_RUN "ORDER BY julianday(date) DESC, id DESC LIMIT 1 OFFSET ?1;";

const char hist_sql_run_by_commit[] =
    "SELECT id, git_commit, document FROM runs\n"
    "WHERE substr(git_commit, 1, length(?1)) = ?1\n"
    "  AND " HIST_SQL_WHOLE_RUN "ORDER BY julianday(date) DESC, id DESC LIMIT 1;";

const char hist_sql_commits_by_prefix[] = "SELECT DISTINCT git_commit FROM runs\n"
                                          "WHERE substr(git_commit, 1, length(?1)) = ?1\n"
                                          "ORDER BY git_commit LIMIT 11;";
