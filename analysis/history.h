#ifndef CONCBENCH_HISTORY_H
#define CONCBENCH_HISTORY_H

/* The history of results in an SQLite database (schema and queries: analysis/history_sql.c). Every
 * write is one IMMEDIATE transaction and every connection waits for a busy database (busy
 * timeout), so two CI jobs adding at once both land and nothing is half-written. The database
 * carries its schema version (PRAGMA user_version); another version is refused, not guessed. */

#include <stddef.h>

#include "rmodel/rmodel.h"

struct sqlite3;

struct hist {
    struct sqlite3 *db;
    char path[1024];
};

#define HIST_DEFAULT_DB "results/history.sqlite"

/* Opens (create = 1: creating it and its schema if needed) the database at path. 0, or -1 with a
 * message (missing, not a database, another schema version; an empty path, ":memory:" or a
 * "file:" URI, which SQLite would take for a temporary database that keeps nothing). */
int hist_open(struct hist *h, const char *path, int create, char *err, size_t errlen);
void hist_close(struct hist *h);

/* Adds a results model (source: its path, for list). 1 added, 0 already there (same content),
 * -1 with a message; *run_id is the run's id either way. Refused: a date (context.date) that is
 * not RFC 3339, and unless allow_partial a run that was interrupted, is not complete, has no case
 * or a case without a measured repetition; one kept with allow_partial is never a reference's
 * run (hist_load). */
int hist_add(struct hist *h, const struct rm_file *f, const char *source, int allow_partial,
             long long *run_id, char *err, size_t errlen);

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
    const char *date, *commit, *host, *source;
};

struct hist_case_row {
    long long run_id, reps;
    const char *date, *commit, *key, *samples;
    int valid;
    double median, lo, hi, speedup; /* NAN when absent */
};

/* Calls fn for every run, oldest first / for every case whose key contains selector, grouped by
 * key, oldest first. The rows' strings live until fn returns. 0, or -1 with a message. */
int hist_each_run(struct hist *h, void (*fn)(const struct hist_run_row *, void *), void *arg,
                  char *err, size_t errlen);
int hist_each_case(struct hist *h, const char *selector,
                   void (*fn)(const struct hist_case_row *, void *), void *arg, char *err,
                   size_t errlen);

#endif
