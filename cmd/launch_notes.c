/* The launch notes under `run`'s table (cmd/launch_notes.h). What they print may come from a
 * results file (reproduce): host names and the case's names are made terminal-safe. */
#include "cmd/launch_notes.h"

#include <math.h>

#include "common/termsafe.h"

/* One host: "name (2 ranks, clock +0.000012 s ± 3 us)". */
static void host_note(const struct rm_host *h, int first, FILE *out)
{
    char safe[160];

    fprintf(out, "%s%s (%lld rank%s", first ? "" : ", ", term_safe(h->name, 64, safe, sizeof(safe)),
            h->ranks, h->ranks == 1 ? "" : "s");
    if (isfinite(h->offset_s) && isfinite(h->uncertainty_s))
        fprintf(out, ", clock %+.6f s ± %.0f us", h->offset_s, h->uncertainty_s * 1e6);
    fputc(')', out);
}

void launch_notes(const struct rm_file *f, FILE *out)
{
    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        const struct rm_launch *l = c->launch;
        char wl[96], label[96];
        double wall = rm_median(c);

        if (l == NULL || !isfinite(l->startup_s))
            continue;
        fprintf(out, "%s/%s: start-up %.4f s median (mpirun to every rank past MPI_Init)",
                term_safe(c->workload, 40, wl, sizeof(wl)),
                term_safe(c->label, 40, label, sizeof(label)), l->startup_s);
        if (wall > 0)
            fprintf(out, ", inside the %.4f s median wall time", wall);
        for (int h = 0; h < l->nhosts; h++) {
            fputs(h == 0 ? "; ranks on " : "", out);
            host_note(&l->hosts[h], h == 0, out);
        }
        fputc('\n', out);
    }
}
