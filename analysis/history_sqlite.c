/* The history's SQLite backend (history_internal.h): a file, every connection waiting for
 * another's transaction (busy timeout), parameters bound as text (the columns' affinity makes
 * numbers of them). */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "analysis/history_internal.h"
#include "analysis/history_sql.h"

/* How long a connection waits for another job's transaction before giving up (then history.c
 * tries the transaction again, a bounded number of times). */
#define HIST_BUSY_MS 30000

static int sq_fail(struct hist *h, char *err, size_t errlen, const char *what)
{
    int code = sqlite3_extended_errcode(h->conn) & 0xff;

    h->transient = code == SQLITE_BUSY || code == SQLITE_LOCKED;
    snprintf(err, errlen, "%s: %s: %s", h->path, what, sqlite3_errmsg(h->conn));
    return -1;
}

static void sq_close(struct hist *h)
{
    if (h->conn != NULL)
        sqlite3_close(h->conn);
    h->conn = NULL;
}

static int sq_open(struct hist *h, const char *path, int create, char *err, size_t errlen)
{
    struct stat sb;
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);

    /* SQLite's temporary databases: an add would say it added and keep nothing (a postgresql://
     * URL never gets here: hist_open gives it to the PostgreSQL backend) */
    if (path[0] == '\0' || strcmp(path, ":memory:") == 0 || strncasecmp(path, "file:", 5) == 0) {
        snprintf(err, errlen,
                 "'%s' is not a history database path: an empty path, :memory: and file: URIs "
                 "keep nothing (--db FILE, or a postgresql:// URL)",
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
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s (does its folder exist?)", path,
                 db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -1;
    }
    h->conn = db;
    sqlite3_busy_timeout(db, HIST_BUSY_MS);
    return 0;
}

static int sq_exec(struct hist *h, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    int rc = sqlite3_exec(h->conn, sql, NULL, NULL, &msg);

    if (rc == SQLITE_OK)
        return 0;
    h->transient = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
    snprintf(err, errlen, "%s: %s", h->path, msg ? msg : sqlite3_errmsg(h->conn));
    sqlite3_free(msg);
    return -1;
}

static int sq_query(struct hist *h, const char *sql, const char *const *params, int n,
                    histi_row_fn fn, void *arg, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    struct histi_row r = {&histi_sqlite_ops, NULL, 0};
    int rc, rows = 0;

    h->transient = 0;
    if (sqlite3_prepare_v2(h->conn, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(h, err, errlen, "cannot prepare a query");
    for (int i = 0; i < n; i++)
        if (params[i] == NULL)
            sqlite3_bind_null(st, i + 1);
        else
            sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_TRANSIENT);
    r.res = st;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        r.row = rows++;
        if (fn != NULL)
            fn(&r, arg);
    }
    if (rc != SQLITE_DONE) {
        sq_fail(h, err, errlen, "query failed");
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    return rows;
}

static const char *sq_text(const struct histi_row *r, int col)
{
    return (const char *)sqlite3_column_text(r->res, col);
}

static double sq_num(const struct histi_row *r, int col)
{
    return sqlite3_column_type(r->res, col) == SQLITE_NULL ? NAN
                                                           : sqlite3_column_double(r->res, col);
}

const struct histi_ops histi_sqlite_ops = {
    "SQLite", &hist_sqlite, sq_open, sq_close, sq_exec, sq_query, sq_text, sq_num,
};
