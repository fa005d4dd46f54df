/* What the history keeps of a case (history.h): its figures, derived once from the results model
 * for add, check and migration 3 alike, and which of compare's metrics they hold. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis/history.h"
#include "analysis/history_internal.h"
#include "analysis/history_sql.h"
#include "rmodel/case_key.h"

void hist_figures_of(const struct rm_file *f, const struct rm_case *c, struct hist_figures *x)
{
    const struct rm_figure *w = &c->fig[RM_WALL];
    int have = w->nsamples > 0;
    double s = rm_speedup(f, c), k = rm_normalized(f, c);

    x->median = have ? w->st.median : NAN;
    x->lo = have ? w->st.ci95_lo : NAN;
    x->hi = have ? w->st.ci95_hi : NAN;
    x->speedup = s > 0 ? s : NAN;
    x->normalized = k > 0 ? k : NAN;
    x->instructions = c->instructions > 0 ? (double)c->instructions : NAN;
}

int hist_keeps_metric(enum cmp_metric m)
{
    return m == CMP_WALL || m == CMP_SPEEDUP || m == CMP_NORMALIZED || m == CMP_INSTRUCTIONS;
}

double hist_metric_value(const struct hist_figures *x, enum cmp_metric m)
{
    switch (m) {
    case CMP_WALL:
        return x->median;
    case CMP_SPEEDUP:
        return x->speedup;
    case CMP_NORMALIZED:
        return x->normalized;
    case CMP_INSTRUCTIONS:
        return x->instructions;
    default:
        return NAN;
    }
}

/* One stored run's kernel and its cases' figures, from its document. */
static int backfill_run(struct hist *h, long long run_id, const struct rm_file *f, char *err,
                        size_t errlen)
{
    char id[32], kernel[80];
    const char *p[4] = {id, NULL, NULL, NULL};

    snprintf(id, sizeof(id), "%lld", run_id);
    if (rm_kernel_id(f, kernel, sizeof(kernel)) == 0) {
        p[1] = kernel;
        if (histi_query(h, hist_sql_set_run_kernel, p, 2, NULL, NULL, err, errlen) < 0)
            return -1;
    }
    for (int i = 0; i < f->ncases; i++) {
        char key[CK_KEY_MAX], no[40], ins[40];
        struct hist_figures x;
        hist_figures_of(f, &f->cases[i], &x);
        if (isnan(x.normalized) && isnan(x.instructions))
            continue; /* NULL already: unknown */
        ck_key(&f->cases[i], key, sizeof(key));
        p[1] = key;
        p[2] = histi_num_param(no, sizeof(no), x.normalized);
        p[3] = histi_count_param(ins, sizeof(ins), x.instructions);
        if (histi_query(h, hist_sql_set_case_figures, p, 4, NULL, NULL, err, errlen) < 0)
            return -1;
    }
    return 0;
}

int histi_backfill_figures(struct hist *h, char *err, size_t errlen)
{
    struct histi_docs b;
    int rc = 0;

    if (histi_read_docs(h, hist_sql_runs_all, &b, err, errlen) != 0)
        return -1;
    for (int i = 0; i < b.n && rc == 0; i++) {
        char why[256];
        int not_json;
        /* a document this concbench cannot read keeps NULL: unknown, as for a run without */
        struct rm_file *f = rm_from_text(b.docs[i], "stored run", &not_json, why, sizeof(why));
        if (f != NULL)
            rc = backfill_run(h, b.ids[i], f, err, errlen);
        rm_free(f);
    }
    histi_docs_free(&b);
    return rc;
}
