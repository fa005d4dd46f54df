/* Are two results files comparable? Each difference of machine or build that can move a timing
 * becomes a warning line (compare.h), so it is shown rather than silently compared. */
#include <stdio.h>
#include <string.h>

#include "analysis/compare.h"

#define CMP_MAX_WARNINGS 50

static void cmp_differs(struct rm_strs *out, const char *what, const char *b, const char *h)
{
    char line[640];

    if (b == NULL || h == NULL || strcmp(b, h) == 0)
        return;
    snprintf(line, sizeof(line), "%s differs: base '%s', head '%s'", what, b, h);
    rm_strs_note(out, line, CMP_MAX_WARNINGS);
}

static const char *cmp_kv(const struct rm_kv *v, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v[i].key, key) == 0)
            return v[i].value;
    return NULL;
}

/* Every key of one list whose value the other list has differently (or not at all). */
static void cmp_kv_lists(struct rm_strs *out, const char *what, const struct rm_kv *b, int nb,
                         const struct rm_kv *h, int nh)
{
    char name[160];

    for (int i = 0; i < nb; i++) {
        const char *hv = cmp_kv(h, nh, b[i].key);
        snprintf(name, sizeof(name), "%s %s", what, b[i].key);
        cmp_differs(out, name, b[i].value, hv ? hv : "(absent)");
    }
    for (int i = 0; i < nh; i++)
        if (cmp_kv(b, nb, h[i].key) == NULL) {
            snprintf(name, sizeof(name), "%s %s", what, h[i].key);
            cmp_differs(out, name, "(absent)", h[i].value);
        }
}

/* The machine facts (context.system) that change timings; the load and the limits do not count:
 * the load differs from run to run anyway, and the limits bound sizes, not speed. */
static void cmp_system(struct rm_strs *out, const struct rm_context *b, const struct rm_context *h)
{
    static const char *const keys[] = {"cpu_governor",  "cpu_boost",        "smt",
                                       "isolated_cpus", "cgroup_cpu_quota", "cpus_allowed"};
    char name[64];

    for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
        snprintf(name, sizeof(name), "system %s", keys[i]);
        cmp_differs(out, name, cmp_kv(b->system, b->nsystem, keys[i]),
                    cmp_kv(h->system, h->nsystem, keys[i]));
    }
}

/* One input's load against its CPUs, when it exceeded them. */
static void cmp_load(struct rm_strs *out, const char *side, const struct rm_file *f)
{
    const struct rm_context *c = f->context;
    char line[256];

    if (c == NULL || !(c->load_avg[0] >= 0) || c->logical_cpus <= 0 ||
        c->load_avg[0] <= (double)c->logical_cpus)
        return;
    snprintf(line, sizeof(line),
             "%s ran on a busy machine: load average %.2f on %lld logical CPUs when it started",
             side, c->load_avg[0], c->logical_cpus);
    rm_strs_note(out, line, CMP_MAX_WARNINGS);
}

/* One input's own warnings, summarised: how many cases carry one, and the first. */
static void cmp_input_warnings(struct rm_strs *out, const char *side, const struct rm_file *f)
{
    const char *first = NULL;
    char line[640];
    int n = 0;

    for (int i = 0; i < f->ncases; i++)
        if (f->cases[i].warnings.n > 0) {
            if (first == NULL)
                first = f->cases[i].warnings.v[0];
            n++;
        }
    if (n == 0)
        return;
    snprintf(line, sizeof(line), "%s: %d of %d cases carry warnings (first: %s)", side, n,
             f->ncases, first);
    rm_strs_note(out, line, CMP_MAX_WARNINGS);
}

/* cpu_bound calibrated per run: two files whose tasks computed a different count did different
 * work, whatever their times say (once per workload). */
static void cmp_calibration(struct rm_strs *out, const struct rm_file *base,
                            const struct rm_file *head)
{
    char line[640];

    for (int i = 0; i < base->ncases; i++) {
        const struct rm_case *b = &base->cases[i];
        int seen = 0;
        if (b->calibration == NULL)
            continue;
        for (int k = 0; k < i && !seen; k++)
            seen = strcmp(base->cases[k].workload, b->workload) == 0;
        for (int j = 0; j < head->ncases && !seen; j++) {
            const struct rm_case *h = &head->cases[j];
            if (strcmp(h->workload, b->workload) != 0 || h->calibration == NULL)
                continue;
            if (h->calibration->count != b->calibration->count) {
                snprintf(line, sizeof(line),
                         "%s: a task computed %s in base but %s in head (calibrated to "
                         "target_ms on each run): different work; give -p count=%lld to both",
                         b->workload, b->calibration->task ? b->calibration->task : "?",
                         h->calibration->task ? h->calibration->task : "?", b->calibration->count);
                rm_strs_note(out, line, CMP_MAX_WARNINGS);
            }
            break;
        }
    }
}

void cmp_context_warnings(const struct rm_file *base, const struct rm_file *head,
                          struct rm_strs *out)
{
    const struct rm_context *b = base->context, *h = head->context;
    char nb[32], nh[32];

    if (b == NULL || h == NULL) {
        rm_strs_note(out, "a file has no context: machine and build cannot be checked",
                     CMP_MAX_WARNINGS);
        return;
    }
    cmp_differs(out, "host", b->host, h->host);
    cmp_differs(out, "CPU", b->cpu_model, h->cpu_model);
    snprintf(nb, sizeof(nb), "%lld", b->logical_cpus);
    snprintf(nh, sizeof(nh), "%lld", h->logical_cpus);
    cmp_differs(out, "logical CPUs", nb, nh);
    cmp_differs(out, "kernel", b->kernel, h->kernel);
    cmp_differs(out, "build type", b->build_type, h->build_type);
    cmp_differs(out, "compiler", b->compiler, h->compiler);
    cmp_kv_lists(out, "library", b->libraries, b->nlibraries, h->libraries, h->nlibraries);
    cmp_system(out, b, h);
    cmp_differs(out, "pinning (--cpus)", base->config.cpus ? base->config.cpus : "none",
                head->config.cpus ? head->config.cpus : "none");
    cmp_calibration(out, base, head);
    char kb[80], kh[80];
    if (rm_kernel_id(base, kb, sizeof(kb)) == 0 && rm_kernel_id(head, kh, sizeof(kh)) == 0)
        cmp_differs(out, "reference kernel (--metric normalized divides by it)", kb, kh);
    cmp_load(out, "base", base);
    cmp_load(out, "head", head);
    cmp_input_warnings(out, "base", base);
    cmp_input_warnings(out, "head", head);
    if (base->interrupted || head->interrupted)
        rm_strs_note(out, "a run was interrupted: some cases may have fewer repetitions",
                     CMP_MAX_WARNINGS);
}
