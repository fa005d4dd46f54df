/* `report --timeline [WL]`: the file's cases as Gantt panels, workload by workload, each
 * workload on its own time axis. */
#include <stdlib.h>
#include <string.h>

#include "report/gantt.h"

static void draw_workload(const struct rm_file *f, const char *workload,
                          const struct gantt_style *st, FILE *out)
{
    int n;
    const struct rm_case **cases = rm_cases_of(f, workload, &n);

    gantt_draw(cases, n, 0, st, out);
    free(cases);
}

static void no_such_workload(const struct rm_file *f, const char *workload, char *err,
                             size_t errlen)
{
    size_t used =
        (size_t)snprintf(err, errlen, "no case of workload '%s' in this file (it has:", workload);

    for (int i = 0; i < f->ncases && used < errlen; i++)
        if (rm_first_of_workload(f, i))
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
        if (rm_first_of_workload(f, i) &&
            (workload == NULL || strcmp(f->cases[i].workload, workload) == 0))
            draw_workload(f, f->cases[i].workload, st, out);
    gantt_legend(st, out);
    return 0;
}
