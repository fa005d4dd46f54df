/* Opening the history database and adding runs to it (history.h). */
#include "analysis/history.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "rmodel/case_key.h"
#include "analysis/history_internal.h"
#include "analysis/history_sql.h"
#include "common/hash.h"

/* How long a connection waits for another job's transaction before giving up. */
#define HIST_BUSY_MS 30000

int histi_fail(struct hist *h, char *err, size_t errlen, const char *what)
{
    snprintf(err, errlen, "%s: %s: %s", h->path, what, sqlite3_errmsg(h->db));
    return -1;
}

int histi_exec(struct hist *h, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;

    if (sqlite3_exec(h->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    snprintf(err, errlen, "%s: %s", h->path, msg ? msg : sqlite3_errmsg(h->db));
    sqlite3_free(msg);
    return -1;
}

static int hist_user_version(struct hist *h, int *version, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(h->db, "PRAGMA user_version;", -1, &st, NULL) != SQLITE_OK)
        return histi_fail(h, err, errlen, "cannot read the schema version");
    rc = sqlite3_step(st);
    *version = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return histi_fail(h, err, errlen, "cannot read the schema version");
    return 0;
}

/* Creates the schema in a new database, once, even with two jobs racing to do it. */
static int hist_schema(struct hist *h, int create, char *err, size_t errlen)
{
    char sql[64];
    int version;

    if (hist_user_version(h, &version, err, errlen) != 0)
        return -1;
    if (version == 0 && create) {
        snprintf(sql, sizeof(sql), "PRAGMA user_version = %d;", HIST_SCHEMA_VERSION);
        if (histi_exec(h, "BEGIN IMMEDIATE;", err, errlen) != 0)
            return -1;
        if (hist_user_version(h, &version, err, errlen) != 0 ||
            (version == 0 && (histi_exec(h, hist_sql_schema, err, errlen) != 0 ||
                              histi_exec(h, sql, err, errlen) != 0))) {
            sqlite3_exec(h->db, "ROLLBACK;", NULL, NULL, NULL);
            return -1;
        }
        if (histi_exec(h, "COMMIT;", err, errlen) != 0)
            return -1;
        version = HIST_SCHEMA_VERSION;
    }
    if (version != HIST_SCHEMA_VERSION) {
        snprintf(err, errlen, "%s: history schema version %d, this concbench reads version %d%s",
                 h->path, version, HIST_SCHEMA_VERSION,
                 version == 0 ? " (an empty or foreign database: add a run to it first)" : "");
        return -1;
    }
    return 0;
}

int hist_open(struct hist *h, const char *path, int create, char *err, size_t errlen)
{
    struct stat sb;
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);

    memset(h, 0, sizeof(*h));
    snprintf(h->path, sizeof(h->path), "%s", path);
    /* SQLite's temporary databases: an add would say it added and keep nothing */
    if (path[0] == '\0' || strcmp(path, ":memory:") == 0 || strncasecmp(path, "file:", 5) == 0) {
        snprintf(err, errlen,
                 "'%s' is not a history database path: an empty path, :memory: and file: URIs "
                 "keep nothing (--db FILE)",
                 path);
        return -1;
    }
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        snprintf(err, errlen, "%s is a folder, not a history database (--db FILE)", path);
        return -1;
    }
    if (!create && stat(path, &sb) != 0) {
        snprintf(err, errlen,
                 "no history at %s: add runs first (concbench history add FILE... --db %s)", path,
                 path);
        return -1;
    }
    if (sqlite3_open_v2(path, &h->db, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s (does its folder exist?)", path,
                 h->db ? sqlite3_errmsg(h->db) : "out of memory");
        hist_close(h);
        return -1;
    }
    sqlite3_busy_timeout(h->db, HIST_BUSY_MS);
    if (histi_exec(h, "PRAGMA foreign_keys = ON;", err, errlen) != 0 ||
        hist_schema(h, create, err, errlen) != 0) {
        hist_close(h);
        return -1;
    }
    return 0;
}

void hist_close(struct hist *h)
{
    if (h->db != NULL)
        sqlite3_close(h->db);
    h->db = NULL;
}

/* Binds a double, or NULL for NAN. */
static void hist_bind_num(sqlite3_stmt *st, int i, double v)
{
    if (v != v)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

static int hist_add_case(sqlite3_stmt *st, long long run_id, const struct rm_file *f,
                         const struct rm_case *c)
{
    const struct rm_figure *w = &c->fig[RM_WALL];
    char key[CK_KEY_MAX], *samples = rm_samples_text(w);
    double sp = rm_speedup(f, c);
    int rc;

    ck_key(c, key, sizeof(key));
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, run_id);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, c->workload, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, c->label, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 5, rm_valid(c));
    sqlite3_bind_int64(st, 6, c->reps_done);
    hist_bind_num(st, 7, w->nsamples > 0 ? w->st.median : NAN);
    hist_bind_num(st, 8, w->nsamples > 0 ? w->st.ci95_lo : NAN);
    hist_bind_num(st, 9, w->nsamples > 0 ? w->st.ci95_hi : NAN);
    hist_bind_num(st, 10, sp > 0 ? sp : NAN);
    sqlite3_bind_text(st, 11, samples ? samples : "[]", -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    free(samples);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Inserts the run row; 1 inserted, 0 present already; *run_id either way. */
static int hist_add_run(struct hist *h, const struct rm_file *f, const char *doc,
                        const char *source, long long *run_id)
{
    const struct rm_context *x = f->context;
    char digest[24];
    sqlite3_stmt *st = NULL;
    int rc, inserted;

    snprintf(digest, sizeof(digest), "%016" PRIx64, hash_fnv1a(HASH_FNV1A_INIT, doc, strlen(doc)));
    if (sqlite3_prepare_v2(h->db, hist_sql_insert_run, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, digest, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, x ? x->git_commit : NULL, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, x ? x->date : NULL, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, x ? x->host : NULL, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, x ? x->cpu_model : NULL, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, source, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, doc, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;
    inserted = sqlite3_changes(h->db) > 0;
    if (inserted) {
        *run_id = sqlite3_last_insert_rowid(h->db);
        return 1;
    }
    if (sqlite3_prepare_v2(h->db, hist_sql_run_by_digest, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, digest, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    *run_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int num2(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

int hist_date_ok(const char *s)
{
    /* 2026-12-06T10:06:55[.fraction](Z|+HH:MM|-HH:MM) */
    if (s == NULL || strlen(s) < 20 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
        s[7] != '-' || !digits(s + 8, 2) || (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2) ||
        s[13] != ':' || !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
        return 0;
    if (num2(s + 5) < 1 || num2(s + 5) > 12 || num2(s + 8) < 1 || num2(s + 8) > 31 ||
        num2(s + 11) > 23 || num2(s + 14) > 59 || num2(s + 17) > 60)
        return 0;
    s += 19;
    if (*s == '.') {
        if (!isdigit((unsigned char)*++s))
            return 0;
        while (isdigit((unsigned char)*s))
            s++;
    }
    if ((*s == 'Z' || *s == 'z') && s[1] == '\0')
        return 1;
    return (*s == '+' || *s == '-') && digits(s + 1, 2) && s[3] == ':' && digits(s + 4, 2) &&
           s[6] == '\0' && num2(s + 1) <= 23 && num2(s + 4) <= 59;
}

/* What keeps f out of the history: an unusable date, or a run that is not whole. */
static int hist_addable(const struct rm_file *f, int allow_partial, char *err, size_t errlen)
{
    const char *date = f->context != NULL ? f->context->date : NULL;
    const char *why = NULL;

    if (!hist_date_ok(date)) {
        snprintf(err, errlen,
                 "not added: context.date %s%.40s%s is not an RFC 3339 date like "
                 "2026-12-06T10:06:55Z (the history orders runs by it)",
                 date ? "'" : "", date ? date : "is missing and", date ? "'" : "");
        return -1;
    }
    if (allow_partial)
        return 0;
    if (f->interrupted)
        why = "interrupted run";
    else if (!rm_complete(f))
        why = "partial run (not complete)";
    else if (f->ncases == 0)
        why = "no case in it";
    for (int i = 0; why == NULL && i < f->ncases; i++)
        if (f->cases[i].reps_done <= 0)
            why = "a case without a measured repetition";
    if (why == NULL)
        return 0;
    snprintf(err, errlen, "not added: %s; --allow-partial keeps it (never as latest)", why);
    return -1;
}

int hist_add(struct hist *h, const struct rm_file *f, const char *source, int allow_partial,
             long long *run_id, char *err, size_t errlen)
{
    char *doc;
    sqlite3_stmt *st = NULL;
    int added = -1;

    if (hist_addable(f, allow_partial, err, errlen) != 0)
        return -1;
    doc = rm_to_text(f, RM_TEXT_STORED);
    if (doc == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (histi_exec(h, "BEGIN IMMEDIATE;", err, errlen) != 0) {
        free(doc);
        return -1;
    }
    added = hist_add_run(h, f, doc, source, run_id);
    if (added == 1 && sqlite3_prepare_v2(h->db, hist_sql_insert_case, -1, &st, NULL) != SQLITE_OK)
        added = -1;
    for (int i = 0; added == 1 && i < f->ncases; i++)
        if (hist_add_case(st, *run_id, f, &f->cases[i]) != 0)
            added = -1;
    sqlite3_finalize(st);
    if (added < 0) {
        histi_fail(h, err, errlen, "cannot add the run");
        sqlite3_exec(h->db, "ROLLBACK;", NULL, NULL, NULL);
    } else if (histi_exec(h, "COMMIT;", err, errlen) != 0) {
        sqlite3_exec(h->db, "ROLLBACK;", NULL, NULL, NULL);
        added = -1;
    }
    free(doc);
    return added;
}
