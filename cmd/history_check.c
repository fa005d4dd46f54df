/* `concbench history check FILE` (history_check.h): each case of a results file judged against
 * its window in the history (analysis/history_check.h), in any metric the history keeps. */
#include "cmd/history_check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/history.h"
#include "analysis/history_check.h"
#include "cmd/cli.h"
#include "common/termsafe.h"
#include "report/history_check_render.h"
#include "rmodel/case_key.h"

int history_metric_usable(const char *sub, enum cmp_metric m)
{
    if (hist_keeps_metric(m))
        return 0;
    fprintf(stderr,
            "concbench history: %s: --metric %s is not kept in the history: expected " HIST_METRICS
            "\n",
            sub, cmp_metric_name(m));
    return CMPO_EXIT_USAGE;
}

/* The stored runs a check left out of its windows for want of the metric (their commits, the
 * first few listed), across every case. */
#define LACKING_LISTED 8
#define LACKING_KEPT   256
struct check_lacking {
    char commits[LACKING_KEPT][16];
    int kept, runs, other_kernel;
    long long last_run;
};

static void lacking_note(struct check_lacking *l, const struct hist_case_row *r, int other_kernel)
{
    char commit[16];

    snprintf(commit, sizeof(commit), "%.7s", r->commit ? r->commit : "?");
    if (r->run_id == l->last_run)
        return;
    l->last_run = r->run_id;
    for (int i = 0; i < l->kept; i++)
        if (strcmp(l->commits[i], commit) == 0)
            return;
    l->runs++;
    l->other_kernel += other_kernel;
    if (l->kept < LACKING_KEPT)
        snprintf(l->commits[l->kept++], sizeof(l->commits[0]), "%s", commit);
}

/* The note the renderers print under the verdicts; "" when no run was left out. */
static void lacking_text(const struct check_lacking *l, enum cmp_metric m, char *buf, size_t len)
{
    char list[LACKING_LISTED * 18 + 8] = "", safe[64];
    size_t n = 0;

    buf[0] = '\0';
    if (l->runs == 0)
        return;
    for (int i = 0; i < l->kept && i < LACKING_LISTED; i++)
        n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "",
                              term_safe(l->commits[i], 16, safe, sizeof(safe)));
    snprintf(buf, len,
             "%d stored run%s left out of the windows: no %s figure kept (commit%s %s%s)%s; a "
             "window holds what is left. %s",
             l->runs, l->runs == 1 ? "" : "s", cmp_metric_name(m), l->runs == 1 ? "" : "s", list,
             l->runs > LACKING_LISTED ? ", ..." : "",
             l->other_kernel ? ", or measured with another reference kernel" : "",
             m == CMP_NORMALIZED ? "A run has a normalized figure when its results file has a "
                                   "reference_kernel (concbench run since --metric normalized; "
                                   "not sweep)."
                                 : "A run has instruction counts when it ran with --count "
                                   "instructions (single-thread cases only).");
}

/* history check: each case of a results file against its window in the history. */
struct history_window {
    double v[1000];
    char commits[1000][16];
    int n;
    enum cmp_metric metric;
    const char *kernel; /* the file's reference kernel (normalized: only the same one counts) */
    char oldest[16], newest[16];
    struct check_lacking *lacking; /* NULL when the case itself has no value of the metric */
};

static void history_window_row(const struct hist_case_row *r, void *arg)
{
    struct history_window *w = arg;
    double v = hist_metric_value(&r->fig, w->metric);
    int other_kernel = w->metric == CMP_NORMALIZED && !isnan(v) && w->kernel != NULL &&
                       (r->kernel == NULL || strcmp(r->kernel, w->kernel) != 0);

    if (!r->valid || w->n >= (int)(sizeof(w->v) / sizeof(w->v[0])))
        return;
    if (isnan(v) || other_kernel) {
        if (w->lacking != NULL)
            lacking_note(w->lacking, r, other_kernel);
        return;
    }
    /* newest first */
    if (w->n == 0)
        snprintf(w->newest, sizeof(w->newest), "%.7s", r->commit ? r->commit : "?");
    snprintf(w->oldest, sizeof(w->oldest), "%.7s", r->commit ? r->commit : "?");
    snprintf(w->commits[w->n], sizeof(w->commits[0]), "%.7s", r->commit ? r->commit : "?");
    w->v[w->n++] = v;
}

/* Which history a case is judged against: its machine, branch, the window's end and size, the
 * metric and the file's reference kernel. */
struct check_where {
    const char *machine, *branch, *digest, *date, *kernel;
    int window;
    enum cmp_metric metric;
    struct check_lacking *lacking;
};

/* Judges case c of f against its window of the history into row. 0, or -1 with err. */
static int check_case(struct hist *h, const struct rm_file *f, const struct rm_case *c,
                      const struct check_where *where, const struct hchk_opts *ho,
                      struct hchk_row *row, char *err, size_t errlen)
{
    static struct history_window w; /* large: kept off the stack */
    struct hist_figures x;
    double head;

    hist_figures_of(f, c, &x);
    head = hist_metric_value(&x, where->metric);
    memset(&w, 0, sizeof(w));
    w.metric = where->metric;
    w.kernel = where->kernel;
    w.lacking = isnan(head) ? NULL : where->lacking;
    ck_key(c, row->key, sizeof(row->key));
    if (hist_each_window(h, row->key, where->machine, where->branch, where->digest, where->date,
                         where->window, history_window_row, &w, err, errlen) != 0)
        return -1;
    w.n = hchk_since_step(w.v, w.commits, w.n, row->step, sizeof(row->step));
    if (row->step[0] != '\0')
        snprintf(w.oldest, sizeof(w.oldest), "%s", row->step);
    hchk_judge(w.v, w.n, head, rm_valid(c), ho, row);
    snprintf(row->oldest, sizeof(row->oldest), "%s", w.oldest);
    snprintf(row->newest, sizeof(row->newest), "%s", w.newest);
    return 0;
}

/* Prints the verdicts in the chosen format; returns the exit status they call for. */
static int check_render(const struct rm_file *f, const char *file, const struct hchk_row *rows,
                        const struct hchk_opts *ho, const struct hist_machine *m,
                        const char *branch, const char *note, const struct cmpo *o)
{
    struct hchkr_input in = {rows,
                             f->ncases,
                             ho,
                             cmp_metric_name(o->cmp.metric),
                             cmp_metric_unit(o->cmp.metric),
                             file,
                             f->context ? f->context->git_commit : NULL,
                             m->key,
                             branch,
                             note};
    if (o->format == CMPO_MARKDOWN)
        hchkr_markdown(&in, stdout);
    else if (o->format == CMPO_JSON)
        hchkr_json(&in, stdout);
    else
        hchkr_text(&in, stdout);
    return hchkr_regressions(&in) > 0 && o->fail_on_regression ? CMPO_EXIT_REGRESSION
                                                               : CMPO_EXIT_OK;
}

/* Every case of f judged into rows, then rendered. The exit status. */
static int check_cases(struct hist *h, const struct rm_file *f, const char *file,
                       struct check_where *where, const struct hist_machine *m,
                       const struct hchk_opts *ho, const struct cmpo *o)
{
    struct hchk_row *rows = calloc(f->ncases > 0 ? f->ncases : 1, sizeof(*rows));
    struct check_lacking lacking = {.last_run = -1};
    char err[1024], note[1024];
    int rc = CMPO_EXIT_INPUT;

    if (rows == NULL) {
        fprintf(stderr, "concbench history: out of memory\n");
        return rc;
    }
    where->lacking = &lacking;
    for (int i = 0; i < f->ncases; i++)
        if (check_case(h, f, &f->cases[i], where, ho, &rows[i], err, sizeof(err)) != 0) {
            cli_error("history", err);
            free(rows);
            return rc;
        }
    lacking_text(&lacking, o->cmp.metric, note, sizeof(note));
    rc = check_render(f, file, rows, ho, m, where->branch, note[0] ? note : NULL, o);
    free(rows);
    return rc;
}

int history_check(const char *db, const char *file, const struct history_check_opts *co,
                  const struct cmpo *o)
{
    struct hist h;
    struct hist_machine m;
    struct hchk_opts ho = {co->window, co->min_window, o->cmp.alpha, o->cmp.threshold_pct,
                           cmp_bigger_is_better(o->cmp.metric)};
    struct rm_file *f;
    char err[1024], digest[24], branch[256], kernel[80], safe[1024];
    const char *date = NULL, *missing;
    int rc;

    if ((rc = history_metric_usable("check", o->cmp.metric)) != 0)
        return rc;
    if ((f = rm_load(file, err, sizeof(err))) == NULL) {
        cli_error("history", err);
        return CMPO_EXIT_INPUT;
    }
    if ((missing = cmp_metric_missing(f, o->cmp.metric)) != NULL) {
        fprintf(stderr, "concbench history: check --metric %s: %s %s\n",
                cmp_metric_name(o->cmp.metric), term_safe(file, 0, safe, sizeof(safe)), missing);
        rm_free(f);
        return CMPO_EXIT_INPUT;
    }
    /* created when missing: a fleet's first check finds no history, every case insufficient */
    if (hist_open(&h, db, 1, err, sizeof(err)) != 0) {
        cli_error("history", err);
        rm_free(f);
        return CMPO_EXIT_INPUT;
    }
    /* the window ends at the file's date when it is one (add would refuse another) */
    if (f->context != NULL && hist_date_ok(f->context->date))
        date = f->context->date;
    hist_machine_of(f, co->machine, &m);
    if (co->branch)
        snprintf(branch, sizeof(branch), "%s", co->branch);
    else
        hist_branch_of(f, branch, sizeof(branch));
    struct check_where where = {m.key,
                                branch,
                                digest,
                                date,
                                rm_kernel_id(f, kernel, sizeof(kernel)) == 0 ? kernel : NULL,
                                co->window,
                                o->cmp.metric,
                                NULL};
    if (hist_digest(f, digest) != 0) {
        fprintf(stderr, "concbench history: out of memory\n");
        rc = CMPO_EXIT_INPUT;
    } else {
        rc = check_cases(&h, f, file, &where, &m, &ho, o);
    }
    rm_free(f);
    hist_close(&h);
    return rc;
}
