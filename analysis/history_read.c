/* Reading the history: a run by reference, every run, the cases of a selector, the machines,
 * a case's window (history.h), once for both backends (history_internal.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/history.h"
#include "analysis/history_internal.h"
#include "analysis/history_sql.h"
#include "common/params.h"
#include "common/termsafe.h"

static long long hist_ll(const struct histi_row *r, int col)
{
    const char *v = histi_text(r, col);

    return v ? strtoll(v, NULL, 10) : 0;
}

struct hist_load_state {
    struct rm_file *f;
    char *name;
    size_t namelen;
    int not_json, found;
    char *err;
    size_t errlen;
};

static void hist_load_row(const struct histi_row *r, void *arg)
{
    struct hist_load_state *s = arg;
    const char *commit = histi_text(r, 1), *doc = histi_text(r, 2);

    char safe[64];

    s->found = 1;
    snprintf(s->name, s->namelen, "run %lld, commit %s", hist_ll(r, 0),
             term_safe(commit, 12, safe, sizeof(safe)));
    s->f = rm_from_text(doc ? doc : "", s->name, &s->not_json, s->err, s->errlen);
}

/* The commits that start with a prefix (at most 10 listed). */
struct hist_prefix_state {
    char list[640];
    size_t used;
    int n;
};

static void hist_prefix_row(const struct histi_row *r, void *arg)
{
    struct hist_prefix_state *s = arg;
    char safe[48];

    if (s->n++ < 10 && s->used < sizeof(s->list))
        s->used += (size_t)snprintf(s->list + s->used, sizeof(s->list) - s->used, "%s%s",
                                    s->n > 1 ? ", " : "",
                                    term_safe(histi_text(r, 0), 40, safe, sizeof(safe)));
}

/* A commit prefix that several stored commits share is refused, as git refuses an ambiguous short
 * hash, with the candidates (at most 10) in the message. */
static int hist_unambiguous(struct hist *h, const char *prefix, char *err, size_t errlen)
{
    struct hist_prefix_state s = {"", 0, 0};
    const char *p[1] = {prefix};
    char safe[160];

    if (histi_query(h, hist_sql_commits_by_prefix, p, 1, hist_prefix_row, &s, err, errlen) < 0)
        return -1;
    if (s.n <= 1)
        return 0;
    snprintf(err, errlen, "'%s' is the start of %s%d commits: %s%s; give more of it",
             term_safe(prefix, 40, safe, sizeof(safe)), s.n > 10 ? "more than " : "",
             s.n > 10 ? 10 : s.n, s.list, s.n > 10 ? ", ..." : "");
    return -1;
}

struct rm_file *hist_load(struct hist *h, const char *ref, char *name, size_t namelen, char *err,
                          size_t errlen)
{
    struct hist_load_state s = {NULL, name, namelen, 0, 0, err, errlen};
    const char *sql = hist_sql_run_by_commit, *p[1] = {ref};
    char back_text[32];
    long long back = 0;

    if (strncmp(ref, "latest", 6) == 0 && (ref[6] == '\0' || ref[6] == '~')) {
        if (ref[6] == '~' && parse_ll(ref + 7, 0, 1000000000, &back) != 0) {
            snprintf(err, errlen,
                     "'%s': expected latest, latest~N (N a whole number) or a git "
                     "commit",
                     ref);
            return NULL;
        }
        snprintf(back_text, sizeof(back_text), "%lld", back);
        sql = hist_sql_run_nth_latest;
        p[0] = back_text;
    } else if (ref[0] == '\0') {
        snprintf(err, errlen, "empty reference: expected latest, latest~N or a git commit");
        return NULL;
    } else if (hist_unambiguous(h, ref, err, errlen) != 0) {
        return NULL;
    }
    if (histi_query(h, sql, p, 1, hist_load_row, &s, err, errlen) < 0)
        return NULL;
    if (!s.found) {
        snprintf(err, errlen, "%s: no run matches '%s' (see concbench history list)", h->path, ref);
        return NULL;
    }
    if (s.f == NULL && s.not_json) { /* err: the parser's words (JSON_ERROR_TEXT_LENGTH, 160) */
        char why[200];
        snprintf(why, sizeof(why), "%s", err);
        snprintf(err, errlen, "%s: %s: stored document is not JSON: %s", h->path, name, why);
    }
    return s.f;
}

struct hist_each {
    void (*run)(const struct hist_run_row *, void *);
    void (*cas)(const struct hist_case_row *, void *);
    void (*machine)(const struct hist_machine_row *, void *);
    void *arg;
};

static void hist_run_row(const struct histi_row *r, void *arg)
{
    struct hist_each *e = arg;
    struct hist_run_row row = {hist_ll(r, 0),    hist_ll(r, 5),    histi_text(r, 1),
                               histi_text(r, 2), histi_text(r, 3), histi_text(r, 4),
                               histi_text(r, 6), histi_text(r, 7)};

    e->run(&row, e->arg);
}

int hist_each_run(struct hist *h, void (*fn)(const struct hist_run_row *, void *), void *arg,
                  char *err, size_t errlen)
{
    struct hist_each e = {fn, NULL, NULL, arg};

    return histi_query(h, hist_sql_list, NULL, 0, hist_run_row, &e, err, errlen) < 0 ? -1 : 0;
}

static void hist_case_row(const struct histi_row *r, void *arg)
{
    struct hist_each *e = arg;
    struct hist_case_row row = {
        .run_id = hist_ll(r, 0),
        .date = histi_text(r, 1),
        .commit = histi_text(r, 2),
        .key = histi_text(r, 3),
        .valid = (int)hist_ll(r, 4),
        .reps = hist_ll(r, 5),
        .samples = histi_text(r, 10),
        .machine = histi_text(r, 11),
        .branch = histi_text(r, 12),
        .kernel = histi_text(r, 15),
        .fig = {histi_num(r, 6), histi_num(r, 7), histi_num(r, 8), histi_num(r, 9),
                histi_num(r, 13), histi_num(r, 14)},
    };

    e->cas(&row, e->arg);
}

int hist_each_case(struct hist *h, const char *selector, const char *machine,
                   void (*fn)(const struct hist_case_row *, void *), void *arg, char *err,
                   size_t errlen)
{
    struct hist_each e = {NULL, fn, NULL, arg};
    const char *p[2] = {selector, machine};

    return histi_query(h, hist_sql_show, p, 2, hist_case_row, &e, err, errlen) < 0 ? -1 : 0;
}

int hist_each_window(struct hist *h, const char *key, const char *machine, const char *branch,
                     const char *digest, const char *date, int window,
                     void (*fn)(const struct hist_case_row *, void *), void *arg, char *err,
                     size_t errlen)
{
    struct hist_each e = {NULL, fn, NULL, arg};
    char n[32];
    const char *p[6] = {key, machine, branch && branch[0] ? branch : NULL, digest, n, date};

    snprintf(n, sizeof(n), "%d", window);
    return histi_query(h, hist_sql_window, p, 6, hist_case_row, &e, err, errlen) < 0 ? -1 : 0;
}

static void hist_machine_row(const struct histi_row *r, void *arg)
{
    struct hist_each *e = arg;
    struct hist_machine_row row = {
        .key = histi_text(r, 0),
        .host = histi_text(r, 1),
        .cpu_model = histi_text(r, 2),
        .logical_cpus = hist_ll(r, 3),
        .kernel = histi_text(r, 4),
        .labels = histi_text(r, 5),
        .runs = hist_ll(r, 6),
        .first = histi_text(r, 7),
        .last = histi_text(r, 8),
    };

    e->machine(&row, e->arg);
}

int hist_each_machine(struct hist *h, void (*fn)(const struct hist_machine_row *, void *),
                      void *arg, char *err, size_t errlen)
{
    struct hist_each e = {NULL, NULL, fn, arg};

    return histi_query(h, hist_sql_machines, NULL, 0, hist_machine_row, &e, err, errlen) < 0 ? -1
                                                                                             : 0;
}
