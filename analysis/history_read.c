/* Reading the history: a run by reference, every run, the cases of a selector (history.h). */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "analysis/history.h"
#include "analysis/history_internal.h"
#include "analysis/history_sql.h"
#include "common/params.h"
#include "common/termsafe.h"

static const char *hist_text(sqlite3_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st, col);
}

static double hist_num(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? NAN : sqlite3_column_double(st, col);
}

/* A commit prefix that several stored commits share is refused, as git refuses an ambiguous short
 * hash, with the candidates (at most 10) in the message. */
static int hist_unambiguous(struct hist *h, const char *prefix, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    char list[640] = "", safe[48];
    size_t used = 0;
    int n = 0, rc;

    if (sqlite3_prepare_v2(h->db, hist_sql_commits_by_prefix, -1, &st, NULL) != SQLITE_OK)
        return histi_fail(h, err, errlen, "cannot query runs");
    sqlite3_bind_text(st, 1, prefix, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ < 10 && used < sizeof(list))
            used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", n > 1 ? ", " : "",
                                     term_safe(hist_text(st, 0), 40, safe, sizeof(safe)));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return histi_fail(h, err, errlen, "cannot read runs");
    if (n <= 1)
        return 0;
    snprintf(err, errlen, "'%s' is the start of %s%d commits: %s%s; give more of it", prefix,
             n > 10 ? "more than " : "", n > 10 ? 10 : n, list, n > 10 ? ", ..." : "");
    return -1;
}

/* Prepares the query for ref: "latest", "latest~N", or a commit prefix. */
static int hist_ref_query(struct hist *h, const char *ref, sqlite3_stmt **st, char *err,
                          size_t errlen)
{
    long long back = 0;

    if (strncmp(ref, "latest", 6) == 0 && (ref[6] == '\0' || ref[6] == '~')) {
        if (ref[6] == '~' && parse_ll(ref + 7, 0, 1000000000, &back) != 0) {
            snprintf(err, errlen,
                     "'%s': expected latest, latest~N (N a whole number) or a git "
                     "commit",
                     ref);
            return -1;
        }
        if (sqlite3_prepare_v2(h->db, hist_sql_run_nth_latest, -1, st, NULL) != SQLITE_OK)
            return histi_fail(h, err, errlen, "cannot query runs");
        sqlite3_bind_int64(*st, 1, back);
        return 0;
    }
    if (ref[0] == '\0') {
        snprintf(err, errlen, "empty reference: expected latest, latest~N or a git commit");
        return -1;
    }
    if (hist_unambiguous(h, ref, err, errlen) != 0)
        return -1;
    if (sqlite3_prepare_v2(h->db, hist_sql_run_by_commit, -1, st, NULL) != SQLITE_OK)
        return histi_fail(h, err, errlen, "cannot query runs");
    sqlite3_bind_text(*st, 1, ref, -1, SQLITE_TRANSIENT);
    return 0;
}

struct rm_file *hist_load(struct hist *h, const char *ref, char *name, size_t namelen, char *err,
                          size_t errlen)
{
    sqlite3_stmt *st;
    struct rm_file *f = NULL;
    int rc, not_json;

    if (hist_ref_query(h, ref, &st, err, errlen) != 0)
        return NULL;
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        if (rc == SQLITE_DONE)
            snprintf(err, errlen, "%s: no run matches '%s' (see concbench history list)", h->path,
                     ref);
        else
            histi_fail(h, err, errlen, "cannot read runs");
        sqlite3_finalize(st);
        return NULL;
    }
    {
        char commit[64];
        snprintf(name, namelen, "run %lld, commit %s", (long long)sqlite3_column_int64(st, 0),
                 term_safe(hist_text(st, 1), 12, commit, sizeof(commit)));
    }
    f = rm_from_text(hist_text(st, 2) ? hist_text(st, 2) : "", name, &not_json, err, errlen);
    if (f == NULL && not_json) { /* err: the parser's words (JSON_ERROR_TEXT_LENGTH, 160) */
        char why[200];
        snprintf(why, sizeof(why), "%s", err);
        snprintf(err, errlen, "%s: %s: stored document is not JSON: %s", h->path, name, why);
    }
    sqlite3_finalize(st);
    return f;
}

int hist_each_run(struct hist *h, void (*fn)(const struct hist_run_row *, void *), void *arg,
                  char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(h->db, hist_sql_list, -1, &st, NULL) != SQLITE_OK)
        return histi_fail(h, err, errlen, "cannot list runs");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct hist_run_row r = {sqlite3_column_int64(st, 0),
                                 sqlite3_column_int64(st, 5),
                                 hist_text(st, 1),
                                 hist_text(st, 2),
                                 hist_text(st, 3),
                                 hist_text(st, 4)};
        fn(&r, arg);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : histi_fail(h, err, errlen, "cannot list runs");
}

int hist_each_case(struct hist *h, const char *selector,
                   void (*fn)(const struct hist_case_row *, void *), void *arg, char *err,
                   size_t errlen)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(h->db, hist_sql_show, -1, &st, NULL) != SQLITE_OK)
        return histi_fail(h, err, errlen, "cannot read cases");
    sqlite3_bind_text(st, 1, selector, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct hist_case_row r = {
            .run_id = sqlite3_column_int64(st, 0),
            .date = hist_text(st, 1),
            .commit = hist_text(st, 2),
            .key = hist_text(st, 3),
            .valid = sqlite3_column_int(st, 4),
            .reps = sqlite3_column_int64(st, 5),
            .median = hist_num(st, 6),
            .lo = hist_num(st, 7),
            .hi = hist_num(st, 8),
            .speedup = hist_num(st, 9),
            .samples = hist_text(st, 10),
        };
        fn(&r, arg);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : histi_fail(h, err, errlen, "cannot read cases");
}
