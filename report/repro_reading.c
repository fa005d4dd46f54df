/* The plain-language reading under the reproduction table: the findings of analysis/findings.c
 * (what the ratios say against fixed thresholds) put into sentences. No decision is made here;
 * only words are chosen. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rmodel/article.h"
#include "analysis/findings.h"
#include "report/report_sections.h"
#include "report/report_text.h"
#include "runners/runner.h"

/* The rows (the article's models but sequential, or with newer = 1 the rows after them:
 * openmp, uring, green:sched=mn...) whose finding of this kind and source is there and whose
 * verdict has (want = 1) or lacks (want = 0) the bits; their ratios in x[row]. */
static int pick_rows(const struct reading *r, enum finding_kind kind, enum finding_source source,
                     int bits, int want, int newer, int *idx, double *x)
{
    int n = 0;

    for (int m = newer ? REPRO_NMODELS : 1; m < (newer ? r->rows.n : REPRO_NMODELS); m++) {
        const struct finding *f = reading_get(r, kind, source, m);
        x[m] = f != NULL ? f->ratio : -1;
        if (f != NULL && (bits == 0 || ((f->verdict & bits) != 0) == want))
            idx[n++] = m;
    }
    return n;
}

/* The article's models, sequential left out. */
static int pick(const struct reading *r, enum finding_kind kind, enum finding_source source,
                int bits, int want, int *idx, double *x)
{
    return pick_rows(r, kind, source, bits, want, 0, idx, x);
}

/* "pthreads were 9.15x as fast as sequential, processes 7.97x and evloop 9.09x": the first item
 * carries the verb and the comparison, the others only their figure. */
static void sb_series(struct text_buf *b, const int *idx, int n, const char *const *names,
                      const double *values, const char *verb, const char *than)
{
    for (int i = 0; i < n; i++) {
        if (i == 0)
            text_append(b, "%s %s %.2fx %s", names[idx[0]], verb, values[idx[0]], than);
        else
            text_append(b, "%s%s %.2fx", i == n - 1 ? " and " : ", ", names[idx[i]],
                        values[idx[i]]);
    }
}

/* "pthreads, processes and evloop" */
static void sb_names(struct text_buf *b, const int *idx, int n, const char *const *names)
{
    for (int i = 0; i < n; i++)
        text_append(b, "%s%s", text_list_sep(i, n), names[idx[i]]);
}

static int pick_first_inconclusive(const struct reading *r, enum finding_kind kind,
                                   enum finding_source source, int newer)
{
    int idx[REPRO_MAX_ROWS];
    double x[REPRO_MAX_ROWS];

    return pick_rows(r, kind, source, FINDING_INCONCLUSIVE, 1, newer, idx, x) > 0 ? idx[0] : 0;
}

/* "pthreads (0.63x, 95% interval 0.40x to 1.90x)" for every finding of this kind and source
 * that is inconclusive; how many. */
static int inconclusive_list(struct text_buf *b, const struct reading *r, enum finding_kind kind,
                             enum finding_source source, int newer, const char *const *names)
{
    int idx[REPRO_MAX_ROWS], n;
    double x[REPRO_MAX_ROWS];

    n = pick_rows(r, kind, source, FINDING_INCONCLUSIVE, 1, newer, idx, x);
    for (int i = 0; i < n; i++) {
        const struct finding *f = reading_get(r, kind, source, idx[i]);
        text_append(b, "%s%s (%.2fx, 95%% interval ", text_list_sep(i, n), names[idx[i]], f->ratio);
        if (isfinite(f->hi))
            text_append(b, "%.2fx to %.2fx)", f->lo, f->hi);
        else if (f->lo > 0)
            text_append(b, "%.2fx and up)", f->lo);
        else
            text_append(b, "unbounded)");
    }
    return n;
}

/* The sentence for the inconclusive findings of a kind and source (of the article's models, or
 * with newer = 1 of the rows after them), with the reason: "C's pthreads (...) and processes
 * (...): the intervals hold the 1.25x threshold, so this run can say neither that they gained
 * nor that they did not". */
static void inconclusive_rows(struct text_buf *b, const struct reading *r, enum finding_kind kind,
                              enum finding_source source, int newer, const char *who,
                              const char *const *names)
{
    struct text_buf list = {0};
    int n = inconclusive_list(&list, r, kind, source, newer, names);
    const struct finding *first =
        reading_get(r, kind, source, pick_first_inconclusive(r, kind, source, newer));

    if (n > 0) {
        text_append(b,
                    "%s for %s%s: %s the %.2fx threshold, so this run can say neither "
                    "that %s %s nor that %s did not",
                    b->len >= 2 && b->s[b->len - 2] == ':' ? "inconclusive" : "Inconclusive", who,
                    list.s, n == 1 ? "its interval holds" : "their intervals hold",
                    first->threshold, n == 1 ? "it" : "they",
                    kind == FINDING_CPU ? "gained" : "overlapped the waits",
                    n == 1 ? "it" : "they");
        text_append(b, r->busy ? " (the machine was busy, see above); " : "; ");
        text_append(b, "more repetitions (-r) narrow the intervals. ");
    }
    free(list.s);
}

static void inconclusive(struct text_buf *b, const struct reading *r, enum finding_kind kind,
                         enum finding_source source, const char *who, const char *const *names)
{
    inconclusive_rows(b, r, kind, source, 0, who, names);
}

/* What the embedded server caused is said as the instrument's, whatever the verdict. */
static void io_server_notes(struct text_buf *b, const struct reading *r, int newer)
{
    for (int m = newer ? REPRO_NMODELS : 0; m < (newer ? r->rows.n : REPRO_NMODELS); m++) {
        const struct finding *x = reading_get(r, FINDING_IO, FINDING_C, m);
        if (x != NULL && (x->verdict & FINDING_SERVER))
            text_append(
                b,
                "%s's io_bound result was %s: the shortfall is the instrument's, not the model's. ",
                r->rows.name[m], x->server);
    }
}

/* C's io_bound ratios: of the article's models, or with newer = 1 of the rows after them. */
static void io_ours(struct text_buf *b, const struct reading *r, int ny, int nn, int newer)
{
    int yes[REPRO_MAX_ROWS], no[REPRO_MAX_ROWS];
    double c[REPRO_MAX_ROWS];

    pick_rows(r, FINDING_IO, FINDING_C, FINDING_YES, 1, newer, yes, c);
    pick_rows(r, FINDING_IO, FINDING_C, FINDING_YES | FINDING_INCONCLUSIVE, 0, newer, no, c);
    if (ny > 0) {
        text_append(b, "C's ");
        sb_series(b, yes, ny, r->rows.name, c, ny == 1 ? "was" : "were", "as fast as sequential");
        if (newer)
            text_append(b, ": %s overlapped the waits", ny == 1 ? "it" : "they");
        else if (r->io_near_ideal)
            text_append(b, ", close to the %lldx that %lld tasks allow", r->tasks, r->tasks);
        text_append(b, ". ");
    }
    if (nn > 0) {
        int limited = 0;
        for (int i = 0; i < nn; i++)
            limited +=
                (reading_get(r, FINDING_IO, FINDING_C, no[i])->verdict & FINDING_SERVER) != 0;
        text_append(b, "C's ");
        sb_series(b, no, nn, r->rows.name, c, nn == 1 ? "was only" : "were only",
                  "as fast as sequential");
        if (limited == 0)
            text_append(b,
                        ": %s did not overlap the waits (below %.1fx; see the errors and warnings "
                        "below). ",
                        nn == 1 ? "it" : "they",
                        reading_get(r, FINDING_IO, FINDING_C, no[0])->threshold);
        else
            text_append(b, " (below %.1fx). ",
                        reading_get(r, FINDING_IO, FINDING_C, no[0])->threshold);
    }
    io_server_notes(b, r, newer);
}

/* The rows the article has no figure for (nor our Python variants): openmp, uring,
 * green:sched=mn... after the article's, in sentences of their own. */
static void io_newer(struct text_buf *b, const struct reading *r)
{
    int idx[REPRO_MAX_ROWS];
    double x[REPRO_MAX_ROWS];
    int ny = pick_rows(r, FINDING_IO, FINDING_C, FINDING_YES, 1, 1, idx, x);
    int nn = pick_rows(r, FINDING_IO, FINDING_C, FINDING_YES | FINDING_INCONCLUSIVE, 0, 1, idx, x);
    int ni = pick_rows(r, FINDING_IO, FINDING_C, FINDING_INCONCLUSIVE, 1, 1, idx, x);

    if (ny + nn + ni == 0)
        return;
    text_append(b, "%seyond the article's models (no article or Python figure): ",
                b->len >= 2 && b->s[b->len - 2] == ':' ? "b" : "B");
    io_ours(b, r, ny, nn, 1);
    inconclusive_rows(b, r, FINDING_IO, FINDING_C, 1, "C's ", r->rows.name);
}

static void io_others(struct text_buf *b, const struct reading *r)
{
    int art[REPRO_MAX_ROWS], pyes[REPRO_MAX_ROWS], pno[REPRO_MAX_ROWS];
    double a[REPRO_MAX_ROWS], py[REPRO_MAX_ROWS];
    int na = pick(r, FINDING_IO, FINDING_ARTICLE, 0, 1, art, a);
    int npy = pick(r, FINDING_IO, FINDING_PYTHON, FINDING_YES, 1, pyes, py);
    int npn = pick(r, FINDING_IO, FINDING_PYTHON, FINDING_YES | FINDING_INCONCLUSIVE, 0, pno, py);

    if (na > 0) {
        text_append(b, "The article's ");
        sb_series(b, art, na, repro_article, a, na == 1 ? "was" : "were",
                  "as fast as its sync run");
        text_append(b, ". ");
    }
    if (npy > 0) {
        text_append(b, "Our Python ");
        sb_series(b, pyes, npy, repro_python, py, "ran", "as fast as its sequential variant");
        text_append(b, npn ? ". " : ": Python overlaps waiting too. ");
    }
    if (npn > 0) {
        text_append(b, "Our Python ");
        sb_names(b, pno, npn, repro_python);
        text_append(b, " did not overlap the waits (below %.1fx). ",
                    reading_get(r, FINDING_IO, FINDING_PYTHON, pno[0])->threshold);
    }
    inconclusive(b, r, FINDING_IO, FINDING_PYTHON, "our Python ", repro_python);
    if (r->io_request_s > 0)
        text_append(b,
                    "In the sequential run a request took %.3f s on average (the server's "
                    "fixed %lld ms delay plus the exchange on loopback)",
                    r->io_request_s, r->io_delay_ms);
    if (r->io_request_s > 0 && r->article_io_request_s > 0)
        text_append(b,
                    "; the article's sync run averaged %.2f s per request from real internet "
                    "sites, whose response times vary from request to request. ",
                    r->article_io_request_s);
    else if (r->io_request_s > 0)
        text_append(b, ". ");
}

static void reading_io(struct text_buf *b, const struct reading *r)
{
    int idx[REPRO_MAX_ROWS];
    double x[REPRO_MAX_ROWS];
    int ny = pick(r, FINDING_IO, FINDING_C, FINDING_YES, 1, idx, x);
    int nn = pick(r, FINDING_IO, FINDING_C, FINDING_YES | FINDING_INCONCLUSIVE, 0, idx, x);
    int ni = pick(r, FINDING_IO, FINDING_C, FINDING_INCONCLUSIVE, 1, idx, x);

    int newer = pick_rows(r, FINDING_IO, FINDING_C, 0, 1, 1, idx, x);

    if (ny + nn + ni + newer == 0 || reading_get(r, FINDING_IO, FINDING_C, 0) == NULL)
        return;
    if (r->tasks < 2) {
        text_append(b, "io_bound: with one task there is nothing to overlap. ");
        return;
    }
    if (ny + nn + ni == 0)
        text_append(b, "io_bound: ");
    else if (nn == 0 && ni == 0)
        text_append(b, "io_bound agrees with the article: every concurrent model overlapped the "
                       "waits. ");
    else if (ny == 0 && nn == 0)
        text_append(b, "io_bound is inconclusive: every concurrent model's ratio is within the "
                       "noise of the threshold. ");
    else if (ny > 0)
        text_append(b, "io_bound agrees with the article only in part. ");
    else
        text_append(b, "io_bound differs from the article: no concurrent model overlapped the "
                       "waits. ");
    io_ours(b, r, ny, nn, 0);
    inconclusive(b, r, FINDING_IO, FINDING_C, "C's ", repro_models);
    io_newer(b, r);
    io_others(b, r);
}

/* What may have kept a model that can compute in parallel from gaining, as this run shows it. */
static const char *no_gain_why(const struct reading *r)
{
    if (r->ncpu == 1)
        return "this machine has one logical CPU";
    if (r->busy)
        return "the CPUs were busy with other work";
    if (r->short_tasks)
        return "the tasks were too short to outweigh starting them";
    return "see the warnings below";
}

/* Why a C model did (or did not) compute in parallel: how it runs compute steps, and whether it
 * can compute in parallel with the options its case ran with (r->parallel: the runner's trait,
 * so green:sched=mn computes on a worker per CPU where plain green takes turns). A model that
 * can and did not gain is not said to be unable to: what was measured, and why it may differ
 * (why). */
static void c_reason(struct text_buf *b, const struct reading *r, int m, int gained,
                     const char *why)
{
    const char *model = r->label[m] != NULL ? r->label[m] : r->rows.name[m];
    const struct runner *run = runner_find(r->rows.model[m]);
    enum runner_compute how = run != NULL ? run->compute : RUNNER_COMPUTE_PROCESSES;

    if (!gained && r->parallel[m]) {
        text_append(b,
                    "%s did not run faster here, though C has no GIL and %s can compute in "
                    "parallel (%s)",
                    model,
                    how == RUNNER_COMPUTE_PROCESSES ? "separate processes"
                    : how == RUNNER_COMPUTE_TURNS   ? "its worker threads"
                                                    : "its threads",
                    why);
        return;
    }
    switch (how) {
    case RUNNER_COMPUTE_SERIAL:
        text_append(b, "%s runs one task after another", model);
        return;
    case RUNNER_COMPUTE_THREADS: /* a thread per task reads as the model's name; a team not */
        text_append(b,
                    gained ? (run->spawn != NULL ? "%s compute in parallel"
                                                 : "%s's threads compute in parallel")
                           : "%s did not compute in parallel",
                    model);
        return;
    case RUNNER_COMPUTE_POOL:
        if (gained)
            text_append(b, "%s hands compute steps to %s, whose threads compute in parallel", model,
                        run->compute_pool != NULL ? run->compute_pool : "a thread pool");
        else
            text_append(b, "%s's compute steps did not run in parallel", model);
        return;
    case RUNNER_COMPUTE_TURNS:
        if (r->parallel[m])
            text_append(b,
                        "%s runs its coroutines on a worker thread per CPU, stealing work as Go "
                        "and Tokio do, so they compute in parallel",
                        model);
        else
            text_append(b,
                        gained ? "%s gained, which is unexpected for coroutines that take turns "
                                 "on one thread"
                               : "%s threads take turns on one thread, as gevent's greenlets do",
                        model);
        return;
    case RUNNER_COMPUTE_PROCESSES:
        text_append(b, "%s",
                    gained ? "separate processes compute in parallel"
                           : "the processes did not compute in parallel");
        return;
    }
}

/* The C models on cpu_bound, in four groups: gained where the article did not (c_only), the
 * article gained and we did not (a_only), both gained, neither. */
struct cpu_groups {
    int c_only[REPRO_MAX_ROWS], a_only[REPRO_MAX_ROWS], both[REPRO_MAX_ROWS], none[REPRO_MAX_ROWS];
    int nc, na, nb, nn, any_gain;
    double cv[REPRO_MAX_ROWS], av[REPRO_MAX_ROWS];
};

static void cpu_group(const struct reading *r, struct cpu_groups *g)
{
    memset(g, 0, sizeof(*g));
    for (int m = 1; m < REPRO_NMODELS; m++) {
        const struct finding *c = reading_get(r, FINDING_CPU, FINDING_C, m);
        const struct finding *a = reading_get(r, FINDING_CPU, FINDING_ARTICLE, m);
        int cg, ag;
        g->cv[m] = c != NULL ? c->ratio : -1;
        g->av[m] = a != NULL ? a->ratio : -1;
        if (c == NULL || (c->verdict & FINDING_INCONCLUSIVE))
            continue;
        cg = (c->verdict & FINDING_YES) != 0;
        ag = a != NULL && (a->verdict & FINDING_YES);
        g->any_gain |= cg;
        if (cg && !ag && a != NULL)
            g->c_only[g->nc++] = m;
        else if (!cg && ag)
            g->a_only[g->na++] = m;
        else if (cg)
            g->both[g->nb++] = m;
        else
            g->none[g->nn++] = m;
    }
}

static void cpu_differs_gil(struct text_buf *b, const struct reading *r, const struct cpu_groups *g)
{
    if (g->nc == 0)
        return;
    text_append(b, "cpu_bound differs from the article where Python holds its GIL: C's ");
    sb_series(b, g->c_only, g->nc, repro_models, g->cv, "ran", "as fast as sequential");
    text_append(b, ", where the article's ");
    sb_series(b, g->c_only, g->nc, repro_article, g->av, "ran", "as fast as its sync run");
    text_append(b, ". C has no GIL: ");
    for (int i = 0; i < g->nc; i++) {
        text_append(b, "%s", i == 0 ? "" : "; ");
        c_reason(b, r, g->c_only[i], 1, "");
    }
    text_append(b, ". CPython lets one thread at a time run Python code, the threads behind "
                   "asyncio's run_in_executor included. ");
}

static void cpu_agrees(struct text_buf *b, const struct reading *r, const struct cpu_groups *g)
{
    int n = g->nb + g->nn;

    if (n == 0)
        return;
    text_append(b, "%s for ", g->nc > 0 ? "It agrees" : "cpu_bound agrees with the article");
    for (int i = 0; i < n; i++) {
        int m = i < g->nb ? g->both[i] : g->none[i - g->nb];
        text_append(b, "%s%s (%.2fx here", text_list_sep(i, n), repro_models[m], g->cv[m]);
        if (g->av[m] > 0)
            text_append(b, ", %.2fx for the article's %s", g->av[m], repro_article[m]);
        text_append(b, ")");
    }
    text_append(b, ": ");
    for (int i = 0; i < n; i++) {
        int m = i < g->nb ? g->both[i] : g->none[i - g->nb];
        text_append(b, "%s", i == 0 ? "" : "; ");
        c_reason(b, r, m, i < g->nb, no_gain_why(r));
    }
    text_append(b, ". ");
}

static void cpu_differs_ours(struct text_buf *b, const struct reading *r,
                             const struct cpu_groups *g)
{
    if (g->na == 0)
        return;
    text_append(b, "It differs for ");
    for (int i = 0; i < g->na; i++) {
        int m = g->a_only[i];
        text_append(b, "%s%s: %.2fx here against the article's %.2fx", text_list_sep(i, g->na),
                    repro_models[m], g->cv[m], g->av[m]);
    }
    if (r->ncpu == 1)
        text_append(b, "; this machine has one logical CPU, so nothing computes in parallel. ");
    else if (r->busy)
        text_append(b, "; the CPUs were busy with other work (see above). ");
    else if (r->short_tasks)
        text_append(b, "; with tasks this short, starting them costs as much as computing. ");
    else
        text_append(b, "; the machine may have been busy while it ran (compare the warnings "
                       "below). ");
}

/* "C pthreads 2.31x, our Python gevent 1.44x" for every cpu_bound finding (C and Python,
 * sequential left out) whose verdict has all the bits; how many in *n. */
static void list_flagged(struct text_buf *list, const struct reading *r, int bits, int *n)
{
    *n = 0;
    for (int m = 1; m < r->rows.n; m++)
        for (int k = 0; k < (m < REPRO_NMODELS ? 2 : 1); k++) {
            const struct finding *x =
                reading_get(r, FINDING_CPU, k == 0 ? FINDING_C : FINDING_PYTHON, m);
            if (x == NULL || (x->verdict & bits) != bits)
                continue;
            text_append(list, "%s%s%s %.2fx", *n ? ", " : "", k == 0 ? "C " : "our Python ",
                        k == 0 ? r->rows.name[m] : repro_python[m], x->ratio);
            (*n)++;
        }
}

static void cpu_caveats(struct text_buf *b, const struct reading *r, int any_gain)
{
    struct text_buf list = {0};
    int n;

    if (any_gain && r->ncpu > 0)
        text_append(
            b, "With %lld logical CPUs the most any model can gain on cpu_bound here is %lldx. ",
            r->ncpu, (long long)r->ceiling);
    /* A speedup above the machine's ceiling means the baseline was slowed, not the model sped
     * up: say so rather than read it as a result. */
    list_flagged(&list, r, FINDING_CEILING, &n);
    if (n > 0)
        text_append(
            b,
            "Being above that ceiling, %s mean%s that the sequential baseline was slowed (a "
            "busy machine): read %s with care and rerun with more repetitions. ",
            list.s, n == 1 ? "s" : "", n == 1 ? "it" : "them");
    free(list.s);
    if (r->short_tasks)
        text_append(b,
                    "Each task computed for only %.2f ms here, so starting threads and processes "
                    "is a visible share of these ratios: a larger -p target_ms (reproduce "
                    "--target-ms) lets the computation dominate. ",
                    r->cpu_task_s * 1000.0);
}

static const char *gain_word(double x)
{
    return x >= FINDING_CPU_GAIN        ? "faster"
           : x > 1.0 / FINDING_CPU_GAIN ? "about as fast"
                                        : "slower";
}

/* Our own Python variants against the article's pattern. */
static void cpu_python(struct text_buf *b, const struct reading *r)
{
    int idx[REPRO_MAX_ROWS], diff[REPRO_MAX_ROWS], n, nd = 0, same = 0;
    double v[REPRO_MAX_ROWS];

    n = pick(r, FINDING_CPU, FINDING_PYTHON, 0, 1, idx, v);
    if (n == 0)
        return;
    for (int i = 0; i < n; i++) {
        const struct finding *a = reading_get(r, FINDING_CPU, FINDING_ARTICLE, idx[i]);
        const struct finding *p = reading_get(r, FINDING_CPU, FINDING_PYTHON, idx[i]);
        if (a == NULL || (p->verdict & FINDING_INCONCLUSIVE))
            continue;
        if (((p->verdict & FINDING_YES) != 0) == ((a->verdict & FINDING_YES) != 0))
            same++;
        else
            diff[nd++] = idx[i];
    }
    text_append(b, "Our Python ");
    sb_series(b, idx, n, repro_python, v, "ran", "as fast as its sequential variant");
    if (nd == 0 && same > 0)
        text_append(b, ": the article's pattern, where only processes gain. ");
    else if (nd == 0)
        text_append(b, ". ");
    else {
        text_append(b, "; unlike the article, ");
        for (int i = 0; i < nd; i++)
            text_append(b, "%s%s was %s", text_list_sep(i, nd), repro_python[diff[i]],
                        gain_word(v[diff[i]]));
        text_append(b, ". ");
    }
    inconclusive(b, r, FINDING_CPU, FINDING_PYTHON, "our Python ", repro_python);
}

/* The rows the article has no figure for (nor our Python variants), after its models: what
 * each ran at and why, from its runner's traits. 1 when one of them gained. */
static int cpu_newer(struct text_buf *b, const struct reading *r)
{
    int idx[REPRO_MAX_ROWS], n, gained = 0;
    double x[REPRO_MAX_ROWS];

    n = pick_rows(r, FINDING_CPU, FINDING_C, FINDING_INCONCLUSIVE, 0, 1, idx, x);
    if (n > 0) {
        text_append(b, "%seyond the article's models (no article or Python figure): C's ",
                    b->len >= 2 && b->s[b->len - 2] == ':' ? "b" : "B");
        sb_series(b, idx, n, r->rows.name, x, "ran", "as fast as sequential");
        text_append(b, ": ");
        for (int i = 0; i < n; i++) {
            int yes = (reading_get(r, FINDING_CPU, FINDING_C, idx[i])->verdict & FINDING_YES) != 0;
            text_append(b, "%s", i == 0 ? "" : "; ");
            c_reason(b, r, idx[i], yes, no_gain_why(r));
            gained |= yes;
        }
        text_append(b, ". ");
    }
    inconclusive_rows(b, r, FINDING_CPU, FINDING_C, 1, "C's ", r->rows.name);
    return gained;
}

static void reading_cpu(struct text_buf *b, const struct reading *r)
{
    struct cpu_groups g;

    if (reading_get(r, FINDING_CPU, FINDING_C, 0) == NULL)
        return;
    cpu_group(r, &g);
    if (g.nc + g.na + g.nb + g.nn == 0)
        text_append(b, "cpu_bound: ");
    cpu_differs_gil(b, r, &g);
    cpu_agrees(b, r, &g);
    cpu_differs_ours(b, r, &g);
    inconclusive(b, r, FINDING_CPU, FINDING_C, "C's ", repro_models);
    g.any_gain |= cpu_newer(b, r);
    cpu_caveats(b, r, g.any_gain);
    cpu_python(b, r);
    /* Seconds only where the sizes are the article's. */
    if (r->same_size_s[0] > 0) {
        text_append(b,
                    "In seconds (different machines, so only a rough guide): sequential cpu_bound "
                    "took %.2f s here in C (GMP)",
                    r->same_size_s[0]);
        if (r->same_size_s[1] > 0)
            text_append(b, ", %.2f s in our Python", r->same_size_s[1]);
        text_append(b, " and %.2f s in the article. ", r->same_size_s[2]);
    }
}

void repro_reading(const struct rm_file *f, const struct render_opts *ro, FILE *out)
{
    const struct rm_published *published = ro != NULL ? ro->published : NULL;
    struct reading r;
    struct text_buf io = {0}, cpu = {0};

    reading_compute(f, published, &r);
    reading_io(&io, &r);
    reading_cpu(&cpu, &r);
    if (io.len > 0 || cpu.len > 0) {
        fprintf(out,
                "\nWhat this run says (computed from the medians above; a cpu_bound speed-up "
                "counts from %.2fx,\nwhen it stands out of the noise):\n",
                FINDING_CPU_GAIN);
        if (r.busy) {
            struct text_buf busy = {0};
            text_append(&busy,
                        "The machine was busy: its load average was %.2f when the run started, "
                        "above the %lld CPU%s the cases could use, so other work took CPU time "
                        "from them and every ratio below is less certain than on an idle "
                        "machine. Rerun when `uptime` shows a load below %lld, or with more "
                        "repetitions (-r 10), and read the 95%% intervals. ",
                        r.load, r.cpus_used, r.cpus_used == 1 ? "" : "s", r.cpus_used);
            text_print_wrapped(out, busy.s, "- ", "  ");
            free(busy.s);
        }
        if (io.len > 0)
            text_print_wrapped(out, io.s, "- ", "  ");
        if (cpu.len > 0)
            text_print_wrapped(out, cpu.s, "- ", "  ");
    }
    free(io.s);
    free(cpu.s);
}
