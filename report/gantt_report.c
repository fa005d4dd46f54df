/* `report --timeline [WL]`: the file's cases as Gantt panels, workload by workload, each
 * workload on its own time axis. */
#include <stdlib.h>
#include <string.h>

#include "report/gantt.h"

static int seen_before(const struct rm_file *f, int i)
{
    for (int k = 0; k < i; k++)
        if (strcmp(f->cases[k].workload, f->cases[i].workload) == 0)
            return 1;
    return 0;
}

static void draw_workload(const struct rm_file *f, const char *workload,
                          const struct gantt_style *st, FILE *out)
{
    const struct rm_case **cases = calloc((size_t)f->ncases + 1, sizeof(*cases));
    int n = 0;

    if (cases == NULL)
        abort();
    for (int i = 0; i < f->ncases; i++)
        if (strcmp(f->cases[i].workload, workload) == 0)
            cases[n++] = &f->cases[i];
    gantt_draw(cases, n, 0, st, out);
    free(cases);
}

static void no_such_workload(const struct rm_file *f, const char *workload, char *err,
                             size_t errlen)
{
    size_t used =
        (size_t)snprintf(err, errlen, "no case of workload '%s' in this file (it has:", workload);

    for (int i = 0; i < f->ncases && used < errlen; i++)
        if (!seen_before(f, i))
            used += (size_t)snprintf(err + used, errlen - used, " %s", f->cases[i].workload);
    if (used < errlen)
        snprintf(err + used, errlen - used, ")");
}

int gantt_report(const struct rm_file *f, const char *workload, const struct gantt_style *st,
                 FILE *out, char *err, size_t errlen)
{
    if (workload != NULL && !rm_has_workload(f, NULL, workload)) {
        no_such_workload(f, workload, err, errlen);
        return -1;
    }
    for (int i = 0; i < f->ncases; i++)
        if (!seen_before(f, i) && (workload == NULL || strcmp(f->cases[i].workload, workload) == 0))
            draw_workload(f, f->cases[i].workload, st, out);
    gantt_legend(st, out);
    return 0;
}
