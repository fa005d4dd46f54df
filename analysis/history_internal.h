#ifndef CONCBENCH_HISTORY_INTERNAL_H
#define CONCBENCH_HISTORY_INTERNAL_H

/* What the history files share: the backend interface. A backend (history_sqlite.c,
 * history_pg.c) opens a connection, runs SQL with text parameters and hands back rows; the SQL
 * itself, with what differs between the backends, is in history_sql.c, and everything else
 * (schema versions and migrations, adding, reading) is written once, in history.c and
 * history_read.c, over this interface. */

#include "analysis/history.h"

struct hist_dialect;

/* One result row, valid while the row callback runs. */
struct histi_row {
    const struct histi_ops *ops;
    void *res;
    int row;
};

typedef void (*histi_row_fn)(const struct histi_row *r, void *arg);

struct histi_ops {
    const char *name;
    const struct hist_dialect *dialect;
    /* target: a file path or a postgresql:// URL; h->path is set. 0, or -1 with a message. */
    int (*open)(struct hist *h, const char *target, int create, char *err, size_t errlen);
    void (*close)(struct hist *h);
    /* Runs SQL (possibly several statements) without parameters or results. */
    int (*exec)(struct hist *h, const char *sql, char *err, size_t errlen);
    /* Runs one statement with n text parameters (NULL: SQL NULL), fn called per row (fn may be
     * NULL). The number of rows, or -1 with a message; h->transient tells whether trying the
     * whole transaction again may succeed (busy, serialization failure, deadlock). */
    int (*query)(struct hist *h, const char *sql, const char *const *params, int n, histi_row_fn fn,
                 void *arg, char *err, size_t errlen);
    const char *(*text)(const struct histi_row *r, int col); /* NULL for NULL */
    double (*num)(const struct histi_row *r, int col);       /* NAN for NULL */
};

extern const struct histi_ops histi_sqlite_ops, histi_pg_ops;

/* The statement in the connection's dialect, then run (as ops->exec, ops->query). */
int histi_exec(struct hist *h, const char *sql, char *err, size_t errlen);
int histi_query(struct hist *h, const char *sql, const char *const *params, int n, histi_row_fn fn,
                void *arg, char *err, size_t errlen);
/* The rows' first column as a whole number (the last row's); -1 with a message. */
int histi_query_ll(struct hist *h, const char *sql, const char *const *params, int n,
                   long long *out, char *err, size_t errlen);

/* A number as a parameter, NULL for NAN: in full / as a whole number (a count). */
const char *histi_num_param(char *buf, size_t len, double v);
const char *histi_count_param(char *buf, size_t len, double v);

/* The runs' ids and documents a query (id, document) returns, for a migration's data. */
struct histi_docs {
    long long *ids;
    char **docs;
    int n, cap;
};
int histi_read_docs(struct hist *h, const char *sql, struct histi_docs *b, char *err,
                    size_t errlen);
void histi_docs_free(struct histi_docs *b);

/* Migration 3's data (history_figures.c): the runs stored before it get their reference kernel
 * and their cases' normalized figures and instruction counts from their documents. */
int histi_backfill_figures(struct hist *h, char *err, size_t errlen);

/* A column of a row: text (NULL for NULL), number (NAN for NULL). */
const char *histi_text(const struct histi_row *r, int col);
double histi_num(const struct histi_row *r, int col);

#endif
