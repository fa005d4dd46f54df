/* Pairing two results files' cases by key, grouped by workload, with a geometric-mean row per
 * workload (compare.h). */
#include "analysis/compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rmodel/case_key.h"
#include "analysis/compare_internal.h"

static struct cmp_row *cmp_row_add(struct cmp_result *r, const struct rm_case *c,
                                   enum cmp_verdict v)
{
    struct cmp_row *grown = realloc(r->rows, (size_t)(r->nrows + 1) * sizeof(*grown)), *row;

    if (grown == NULL)
        abort();
    r->rows = grown;
    row = &r->rows[r->nrows++];
    memset(row, 0, sizeof(*row));
    row->base = row->head = row->ratio = row->p = NAN;
    row->verdict = v;
    if (c != NULL) {
        ck_key(c, row->key, sizeof(row->key));
        ck_short(c, row->name, sizeof(row->name));
        if (r->name_tasks) {
            size_t used = strlen(row->name);
            snprintf(row->name + used, sizeof(row->name) - used, " N=%lld", c->tasks);
        }
        snprintf(row->workload, sizeof(row->workload), "%s", c->workload ? c->workload : "?");
    }
    return row;
}

/* The case of f with this key, NULL if none. */
static const struct rm_case *cmp_find(const struct rm_file *f, const char *key)
{
    char k[512];

    for (int i = 0; i < f->ncases; i++) {
        ck_key(&f->cases[i], k, sizeof(k));
        if (strcmp(k, key) == 0)
            return &f->cases[i];
    }
    return NULL;
}

static int cmp_same_workload(const struct rm_case *c, const char *workload)
{
    return strcmp(c->workload ? c->workload : "?", workload) == 0;
}

/* The geometric mean of the ratios of the workload's rows since first. */
static void cmp_geomean(struct cmp_result *r, int first, const char *workload)
{
    double logs = 0.0;
    int n = 0;
    struct cmp_row *g;

    for (int i = first; i < r->nrows; i++)
        if (r->rows[i].ratio > 0 &&
            (r->rows[i].verdict <= CMP_INSUFFICIENT || r->rows[i].verdict == CMP_NOISY)) {
            logs += log(r->rows[i].ratio);
            n++;
        }
    if (n == 0)
        return;
    g = cmp_row_add(r, NULL, CMP_GEOMEAN);
    snprintf(g->key, sizeof(g->key), "%s", workload);
    snprintf(g->name, sizeof(g->name), "%s geomean", workload);
    snprintf(g->workload, sizeof(g->workload), "%s", workload);
    g->ratio = exp(logs / n);
    g->nbase = g->nhead = n; /* the number of ratios it is the mean of */
}

/* The rows of one workload: base's cases (paired or not), then the cases only head has. */
static void cmp_workload(const struct rm_file *base, const struct rm_file *head,
                         const struct cmp_opts *o, const char *workload, struct cmp_result *r)
{
    int first = r->nrows;
    char key[CK_KEY_MAX];

    for (int i = 0; i < base->ncases; i++) {
        const struct rm_case *b = &base->cases[i], *h;
        if (!cmp_same_workload(b, workload))
            continue;
        ck_key(b, key, sizeof(key));
        h = cmp_find(head, key);
        if (h == NULL) {
            cmp_row_add(r, b, CMP_ONLY_BASE);
            continue;
        }
        cmpi_pair(base, b, head, h, o, cmp_row_add(r, b, CMP_SAME));
        r->npaired++;
    }
    for (int i = 0; i < head->ncases; i++) {
        const struct rm_case *h = &head->cases[i];
        ck_key(h, key, sizeof(key));
        if (cmp_same_workload(h, workload) && cmp_find(base, key) == NULL)
            cmp_row_add(r, h, CMP_ONLY_HEAD);
    }
    cmp_geomean(r, first, workload);
}

int cmp_run(const struct rm_file *base, const struct rm_file *head, const struct cmp_opts *o,
            struct cmp_result *out)
{
    struct rm_strs workloads = {NULL, 0};

    memset(out, 0, sizeof(*out));
    out->name_tasks = base->sweep != NULL || head->sweep != NULL;
    for (int i = 0; i < base->ncases; i++)
        rm_strs_note(&workloads, base->cases[i].workload ? base->cases[i].workload : "?", 1000);
    for (int i = 0; i < head->ncases; i++)
        rm_strs_note(&workloads, head->cases[i].workload ? head->cases[i].workload : "?", 1000);
    for (int w = 0; w < workloads.n; w++)
        cmp_workload(base, head, o, workloads.v[w], out);
    rm_strs_clear(&workloads);
    for (int i = 0; i < out->nrows; i++)
        if (out->rows[i].verdict == CMP_SLOWER || out->rows[i].verdict == CMP_BROKEN)
            out->nregressions++;
    cmp_context_warnings(base, head, &out->warnings);
    return out->npaired > 0 ? 0 : -1;
}

void cmp_free(struct cmp_result *r)
{
    free(r->rows);
    rm_strs_clear(&r->warnings);
    memset(r, 0, sizeof(*r));
}
