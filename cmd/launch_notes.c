/* The launch notes under `run`'s table (cmd/launch_notes.h). What they read comes from a results
 * file too (reproduce, report): every value's type is checked, every text made safe. */
#include "cmd/launch_notes.h"

#include <jansson.h>

#include "common/termsafe.h"

/* One host of launch.hosts: "name (2 ranks, clock +0.000012 s ± 3 us)". */
static void host_note(json_t *h, int first, FILE *out)
{
    json_t *name = json_object_get(h, "host"), *ranks = json_object_get(h, "ranks");
    json_t *off = json_object_get(h, "offset_s"), *unc = json_object_get(h, "uncertainty_s");
    char safe[160];

    if (!json_is_string(name) || !json_is_integer(ranks))
        return;
    fprintf(out, "%s%s (%lld rank%s", first ? "" : ", ",
            term_safe(json_string_value(name), 64, safe, sizeof(safe)),
            (long long)json_integer_value(ranks), json_integer_value(ranks) == 1 ? "" : "s");
    if (json_is_number(off) && json_is_number(unc))
        fprintf(out, ", clock %+.6f s ± %.0f us", json_number_value(off),
                json_number_value(unc) * 1e6);
    fputc(')', out);
}

void launch_notes(const struct rm_file *f, FILE *out)
{
    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        json_t *launch = c->extra != NULL ? json_object_get(c->extra, "launch") : NULL;
        json_t *startup = json_object_get(launch, "startup_s");
        json_t *hosts = json_object_get(launch, "hosts");
        char wl[96], label[96];
        double wall = rm_median(c);
        size_t k;
        json_t *h;

        if (!json_is_number(startup))
            continue;
        fprintf(out, "%s/%s: start-up %.4f s median (mpirun to every rank past MPI_Init), ",
                term_safe(c->workload, 40, wl, sizeof(wl)),
                term_safe(c->label, 40, label, sizeof(label)), json_number_value(startup));
        if (wall > 0)
            fprintf(out, "inside the %.4f s median wall time", wall);
        if (json_is_array(hosts) && json_array_size(hosts) > 0) {
            fputs("; ranks on ", out);
            json_array_foreach(hosts, k, h) host_note(h, k == 0, out);
        }
        fputc('\n', out);
    }
}
