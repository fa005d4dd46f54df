/* The history's PostgreSQL backend (history_internal.h), on libpq: --db postgresql://... (or
 * CONCBENCH_DB). Parameters travel as text and the server types them from their columns. Built
 * only with libpq (CMake's CONCBENCH_HAVE_LIBPQ); without it, opening says which package to
 * install. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/history_internal.h"
#include "analysis/history_sql.h"

#ifdef CONCBENCH_HAVE_LIBPQ
#include <libpq-fe.h>

/* Serialization failure and deadlock: the transaction may pass when tried again. */
static int pg_transient(const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

    return state != NULL && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0);
}

static int pg_fail(struct hist *h, PGresult *res, char *err, size_t errlen, const char *what)
{
    char msg[512];

    h->transient = pg_transient(res);
    snprintf(msg, sizeof(msg), "%s", PQerrorMessage(h->conn));
    msg[strcspn(msg, "\n")] = '\0';
    snprintf(err, errlen, "%s: %s: %s", h->path, what, msg);
    PQclear(res);
    return -1;
}

/* "NOTICE: relation ... already exists, skipping" and the like are not for the user. */
static void pg_quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static void pg_close(struct hist *h)
{
    if (h->conn != NULL)
        PQfinish(h->conn);
    h->conn = NULL;
}

static int pg_open(struct hist *h, const char *url, int create, char *err, size_t errlen)
{
    PGconn *c = PQconnectdb(url);
    char msg[512];

    (void)create; /* a database server's database exists or not: created by its admin */
    if (c == NULL || PQstatus(c) != CONNECTION_OK) {
        snprintf(msg, sizeof(msg), "%s", c ? PQerrorMessage(c) : "out of memory");
        msg[strcspn(msg, "\n")] = '\0';
        snprintf(err, errlen, "cannot connect to %s: %s", h->path, msg);
        PQfinish(c);
        return -1;
    }
    PQsetNoticeProcessor(c, pg_quiet, NULL);
    h->conn = c;
    return 0;
}

static int pg_exec(struct hist *h, const char *sql, char *err, size_t errlen)
{
    PGresult *res = PQexec(h->conn, sql);

    h->transient = 0;
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
        return pg_fail(h, res, err, errlen, "statement failed");
    PQclear(res);
    return 0;
}

static int pg_query(struct hist *h, const char *sql, const char *const *params, int n,
                    histi_row_fn fn, void *arg, char *err, size_t errlen)
{
    PGresult *res = PQexecParams(h->conn, sql, n, NULL, params, NULL, NULL, 0);
    struct histi_row r = {&histi_pg_ops, res, 0};
    int rows;

    h->transient = 0;
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
        return pg_fail(h, res, err, errlen, "query failed");
    rows = PQntuples(res);
    for (r.row = 0; fn != NULL && r.row < rows; r.row++)
        fn(&r, arg);
    PQclear(res);
    return rows;
}

static const char *pg_text(const struct histi_row *r, int col)
{
    return PQgetisnull(r->res, r->row, col) ? NULL : PQgetvalue(r->res, r->row, col);
}

static double pg_num(const struct histi_row *r, int col)
{
    const char *v = pg_text(r, col);

    return v == NULL ? NAN : strtod(v, NULL);
}

#else

static int pg_open(struct hist *h, const char *url, int create, char *err, size_t errlen)
{
    (void)url;
    (void)create;
    snprintf(err, errlen,
             "%s: this concbench was built without PostgreSQL support: install libpq-dev "
             "(scripts/install-deps.sh) and build again",
             h->path);
    return -1;
}

static void pg_close(struct hist *h)
{
    h->conn = NULL;
}

static int pg_exec(struct hist *h, const char *sql, char *err, size_t errlen)
{
    (void)sql;
    return pg_open(h, NULL, 0, err, errlen);
}

static int pg_query(struct hist *h, const char *sql, const char *const *params, int n,
                    histi_row_fn fn, void *arg, char *err, size_t errlen)
{
    (void)sql, (void)params, (void)n, (void)fn, (void)arg;
    return pg_open(h, NULL, 0, err, errlen);
}

static const char *pg_text(const struct histi_row *r, int col)
{
    (void)r, (void)col;
    return NULL;
}

static double pg_num(const struct histi_row *r, int col)
{
    (void)r, (void)col;
    return NAN;
}

#endif

const struct histi_ops histi_pg_ops = {
    "PostgreSQL", &hist_postgresql, pg_open, pg_close, pg_exec, pg_query, pg_text, pg_num,
};
