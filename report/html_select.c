/* Which cases the HTML page shows (html_internal.h): a page of 100,000 cases would be hundreds
 * of megabytes that no browser opens, so each workload shows its first cases in file order, up
 * to a bound in all, and a note says what was left out and how to see more. */
#include <stdlib.h>
#include <string.h>

#include "report/html_internal.h"

struct by_wl {
    const char *workload;
    int index;
};

static int by_workload(const void *a, const void *b)
{
    const struct by_wl *x = a, *y = b;
    int c = strcmp(x->workload, y->workload);

    return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

/* keep[i]: case i is among the first per_workload of its workload (sorted, not searched: a
 * file may hold as many workloads as cases). */
static void first_of_each(const struct rm_file *f, int per_workload, char *keep)
{
    struct by_wl *v = malloc(((size_t)f->ncases + 1) * sizeof(*v));
    int rank = 0;

    if (v == NULL)
        abort();
    for (int i = 0; i < f->ncases; i++)
        v[i] = (struct by_wl){f->cases[i].workload ? f->cases[i].workload : "", i};
    qsort(v, (size_t)f->ncases, sizeof(*v), by_workload);
    for (int i = 0; i < f->ncases; i++) {
        rank = i > 0 && strcmp(v[i].workload, v[i - 1].workload) == 0 ? rank + 1 : 0;
        keep[v[i].index] = rank < per_workload;
    }
    free(v);
}

int html_select(const struct rm_file *f, int per_workload, struct html_view *view)
{
    char *keep = calloc((size_t)f->ncases + 1, 1);

    memset(view, 0, sizeof(*view));
    view->file = *f;
    view->per_workload = per_workload > 0 ? per_workload : HTML_CASES_PER_WORKLOAD;
    view->file.cases = malloc(((size_t)f->ncases + 1) * sizeof(*f->cases));
    if (keep == NULL || view->file.cases == NULL)
        abort();
    first_of_each(f, view->per_workload, keep);
    view->file.ncases = 0;
    for (int i = 0; i < f->ncases; i++) {
        if (keep[i] && view->file.ncases < HTML_CASES_MAX)
            view->file.cases[view->file.ncases++] = f->cases[i]; /* shallow: f owns it */
        else
            view->left_out++;
    }
    view->total = f->ncases;
    free(keep);
    return view->left_out;
}

void html_view_free(struct html_view *view)
{
    free(view->file.cases);
    memset(view, 0, sizeof(*view));
}

void html_select_note(FILE *out, const struct html_view *view)
{
    if (view->left_out == 0)
        return;
    fprintf(out,
            "<p class=\"meta\" id=\"left-out\"><b>%d of the file's %d cases are left out</b>: "
            "this page shows the first %d cases of each workload in the file's order, at most "
            "%d in all. <code>concbench report FILE</code> lists every case; <code>--html-cases "
            "N</code> shows N per workload.</p>\n",
            view->left_out, view->total, view->per_workload, HTML_CASES_MAX);
}
