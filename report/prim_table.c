/* The primitives table (report/prim_table.h). */
#include "report/prim_table.h"

#include <string.h>

#include "analysis/prim_ratio.h"

void ptable_header(FILE *out)
{
    fprintf(out, "%-21s %-6s %-9s %12s %10s %12s  %s\n", "primitive", "group", "model", "ns/op med",
            "±95%", "ops per run", "model / raw");
}

void ptable_row(const struct rm_file *f, const struct rm_case *c, FILE *out)
{
    const struct stats *st = &c->fig[RM_WALL].st;
    const char *group = rm_param_str(&c->params, "group"), *impl = rm_param_str(&c->params, "impl");
    double med = st->median * 1e9, half = (st->ci95_hi - st->ci95_lo) / 2 * 1e9;
    struct pratio r;

    if (!rm_valid(c))
        return;
    /* no tenths where they do not fit (a launch through mpirun: 1e8 ns and more) */
    fprintf(out, "%-21s %-6s %-9s %12.*f %10.*f %12lld", c->label, group ? group : "?", c->model,
            med < 1e9 ? 1 : 0, med, half < 1e7 ? 1 : 0, half,
            rm_param_int(&c->params, "ops_per_run", c->tasks));
    if (pratio_of(f, c, &r) == 0)
        fprintf(out, "  %5.2fx wall, %5.2fx CPU of %s", r.wall, r.cpu, r.raw->label);
    if (impl != NULL)
        fprintf(out, " (%s)", impl);
    fputc('\n', out);
}

void ptable(const struct rm_file *f, const struct render_opts *ro, FILE *out)
{
    ptable_header(out);
    for (int i = 0; i < f->ncases; i++)
        if (ro == NULL || ro->workload == NULL || strcmp(f->cases[i].workload, ro->workload) == 0)
            ptable_row(f, &f->cases[i], out);
}
