#include "report/report_sections.h"

#include <stdlib.h>
#include <string.h>

#include "bench/article.h"
#include "report/report_text.h"

/* A speed-up counts on cpu_bound from this factor on, and only when the 95% intervals of the
 * model's and sequential's times do not overlap: on a busy machine a ratio alone can mislead. */
#define CPU_GAIN 1.25

struct mrow {
    double c_cpu, c_io, py_cpu, py_io, a_cpu, a_io;
    int c_cpu_noise, py_cpu_noise; /* the cpu_bound ratio is within the noise */
};

/* The speed-up of a cpu_bound case, or -1; *noise tells whether it is within the noise. */
static double cpu_speedup(const struct rm_file *f, const struct rm_case *c, int *noise)
{
    *noise = rm_differs_from_baseline(f, c) == 0;
    return rm_valid(c) ? rm_speedup(f, c) : -1;
}

static int cpu_gain(double x, int noise)
{
    return x >= CPU_GAIN && !noise;
}

static void collect_rows(const struct rm_file *f, const struct rm_published *published,
                         struct mrow *rows)
{
    for (int m = 0; m < REPRO_NMODELS; m++) {
        const char *model = repro_models[m];
        double aseq_cpu =
            published ? rm_published_seconds(published, "sequential", "cpu_bound") : -1;
        double aseq_io = published ? rm_published_seconds(published, "sequential", "io_bound") : -1;
        double a_cpu = published ? rm_published_seconds(published, model, "cpu_bound") : -1;
        double a_io = published ? rm_published_seconds(published, model, "io_bound") : -1;
        const struct rm_case *c;

        rows[m].c_cpu = cpu_speedup(f, rm_find(f, "c", "cpu_bound", model), &rows[m].c_cpu_noise);
        c = rm_find(f, "c", "io_bound", model);
        rows[m].c_io = rm_valid(c) ? rm_speedup(f, c) : -1;
        rows[m].py_cpu =
            cpu_speedup(f, rm_find(f, "python", "cpu_bound", model), &rows[m].py_cpu_noise);
        c = rm_find(f, "python", "io_bound", model);
        rows[m].py_io = rm_valid(c) ? rm_speedup(f, c) : -1;
        rows[m].a_cpu = a_cpu > 0 && aseq_cpu > 0 ? aseq_cpu / a_cpu : -1;
        rows[m].a_io = a_io > 0 && aseq_io > 0 ? aseq_io / a_io : -1;
    }
}

/* "pthreads were 9.15x as fast as sequential, processes 7.97x and evloop 9.09x": the first item
 * carries the verb and the comparison, the others only their figure. */
static void sb_series(struct sbuf *b, const int *idx, int n, const char *const *names,
                      const double *values, const char *verb, const char *than)
{
    for (int i = 0; i < n; i++) {
        if (i == 0)
            sb_printf(b, "%s %s %.2fx %s", names[idx[0]], verb, values[idx[0]], than);
        else
            sb_printf(b, "%s%s %.2fx", i == n - 1 ? " and " : ", ", names[idx[i]], values[idx[i]]);
    }
}

/* "pthreads, processes and evloop" */
static void sb_names(struct sbuf *b, const int *idx, int n, const char *const *names)
{
    for (int i = 0; i < n; i++)
        sb_printf(b, "%s%s", i == 0 ? "" : i == n - 1 ? " and " : ", ", names[idx[i]]);
}

static void reading_io(struct sbuf *b, const struct rm_file *f,
                       const struct rm_published *published, const struct mrow *rows,
                       long long tasks)
{
    double c[REPRO_NMODELS], a[REPRO_NMODELS], py[REPRO_NMODELS], thr = tasks >= 3 ? 2.0 : 1.5;
    int yes[REPRO_NMODELS], no[REPRO_NMODELS], pyes[REPRO_NMODELS], pno[REPRO_NMODELS];
    int art[REPRO_NMODELS], ny = 0, nn = 0, npy = 0, npn = 0, na = 0;
    double minc = 1e300;

    for (int m = 1; m < REPRO_NMODELS; m++) {
        c[m] = rows[m].c_io;
        a[m] = rows[m].a_io;
        py[m] = rows[m].py_io;
        if (c[m] > 0) {
            if (c[m] >= thr)
                yes[ny++] = m;
            else
                no[nn++] = m;
            if (c[m] < minc)
                minc = c[m];
        }
        if (py[m] > 0) {
            if (py[m] >= thr)
                pyes[npy++] = m;
            else
                pno[npn++] = m;
        }
        if (a[m] > 0)
            art[na++] = m;
    }
    if (ny + nn == 0 || rows[0].c_io <= 0)
        return;
    if (tasks < 2) {
        sb_printf(b, "io_bound: with one task there is nothing to overlap. ");
        return;
    }
    if (nn == 0)
        sb_printf(b, "io_bound agrees with the article: every concurrent model overlapped the "
                     "waits. ");
    else if (ny > 0)
        sb_printf(b, "io_bound agrees with the article only in part. ");
    else
        sb_printf(b, "io_bound differs from the article: no concurrent model overlapped the "
                     "waits. ");
    if (ny > 0) {
        sb_printf(b, "C's ");
        sb_series(b, yes, ny, repro_models, c, ny == 1 ? "was" : "were", "as fast as sequential");
        if (nn == 0 && minc >= 0.8 * (double)tasks)
            sb_printf(b, ", close to the %lldx that %lld tasks allow", tasks, tasks);
        sb_printf(b, ". ");
    }
    if (nn > 0) {
        sb_printf(b, "C's ");
        sb_series(b, no, nn, repro_models, c, nn == 1 ? "was only" : "were only",
                  "as fast as sequential");
        sb_printf(b,
                  ": %s did not overlap the waits (below %.1fx; see the errors and warnings "
                  "below). ",
                  nn == 1 ? "it" : "they", thr);
    }
    if (na > 0) {
        sb_printf(b, "The article's ");
        sb_series(b, art, na, repro_article, a, na == 1 ? "was" : "were",
                  "as fast as its sync run");
        sb_printf(b, ". ");
    }
    if (npy > 0) {
        sb_printf(b, "Our Python ");
        sb_series(b, pyes, npy, repro_python, py, "ran", "as fast as its sequential variant");
        sb_printf(b, npn ? ". " : ": Python overlaps waiting too. ");
    }
    if (npn > 0) {
        sb_printf(b, "Our Python ");
        sb_names(b, pno, npn, repro_python);
        sb_printf(b, " did not overlap the waits (below %.1fx). ", thr);
    }
    {
        const struct rm_case *seq = rm_find(f, "c", "io_bound", "sequential");
        long long req = rm_file_param(f, "io_bound", "requests", 4);
        long long delay = rm_file_param(f, "io_bound", "delay_ms", 100);
        long long a_tasks = published ? published->exp_tasks : 0;
        long long a_req = published ? published->exp_io_requests : 0;
        double a_seq = published ? rm_published_seconds(published, "sequential", "io_bound") : -1;
        double per = rm_median(seq) / (double)(tasks * req);

        if (per > 0)
            sb_printf(b,
                      "In the sequential run a request took %.3f s on average (the server's "
                      "fixed %lld ms delay plus the exchange on loopback)",
                      per, delay);
        if (per > 0 && a_seq > 0 && a_tasks > 0 && a_req > 0)
            sb_printf(b,
                      "; the article's sync run averaged %.2f s per request from real internet "
                      "sites, whose response times vary from request to request. ",
                      a_seq / (double)(a_tasks * a_req));
        else if (per > 0)
            sb_printf(b, ". ");
    }
}

static const char *gain_word(double x)
{
    return x >= CPU_GAIN ? "faster" : x > 1.0 / CPU_GAIN ? "about as fast" : "slower";
}

/* Why a C model did (or did not) compute in parallel. */
static const char *c_reason(const char *model, int gained)
{
    if (strcmp(model, "pthreads") == 0)
        return gained ? "pthreads compute in parallel" : "pthreads did not compute in parallel";
    if (strcmp(model, "evloop") == 0)
        return gained ? "evloop hands compute steps to libuv's thread pool, whose threads "
                        "compute in parallel"
                      : "evloop's compute steps did not run in parallel";
    if (strcmp(model, "green") == 0)
        return gained ? "green gained, which is unexpected for coroutines that take turns on "
                        "one thread"
                      : "green threads take turns on one thread, as gevent's greenlets do";
    return gained ? "separate processes compute in parallel"
                  : "the processes did not compute in parallel";
}

static int above_ceiling(double v, int noise, double limit)
{
    (void)noise;
    return v > limit;
}

static int big_but_noise(double v, int noise, double unused)
{
    (void)unused;
    return v > 0 && noise && (v >= CPU_GAIN || v <= 1.0 / CPU_GAIN);
}

/* Appends "C's pthreads's 2.31x, our Python gevent's 1.44x" for every cpu_bound ratio (C and
 * Python, sequential left out) that pick() selects; returns how many it listed. */
static int list_ratios(struct sbuf *list, const struct mrow *rows,
                       int (*pick)(double v, int noise, double arg), double arg)
{
    int n = 0;

    for (int m = 1; m < REPRO_NMODELS; m++)
        for (int k = 0; k < 2; k++) {
            double v = k == 0 ? rows[m].c_cpu : rows[m].py_cpu;
            int noise = k == 0 ? rows[m].c_cpu_noise : rows[m].py_cpu_noise;
            if (!pick(v, noise, arg))
                continue;
            sb_printf(list, "%s%s%s's %.2fx", n ? ", " : "", k == 0 ? "C's " : "our Python ",
                      k == 0 ? repro_models[m] : repro_python[m], v);
            n++;
        }
    return n;
}

static void reading_cpu(struct sbuf *b, const struct rm_file *f,
                        const struct rm_published *published, const struct mrow *rows)
{
    long long ncpu = (f->context != NULL ? f->context->logical_cpus : 0);
    long long tasks = f->config.tasks;
    int c_only[REPRO_NMODELS], a_only[REPRO_NMODELS], both[REPRO_NMODELS], none[REPRO_NMODELS];
    int nc = 0, na = 0, nb = 0, nn = 0, any_gain = 0, short_tasks;
    double cv[REPRO_NMODELS], av[REPRO_NMODELS], per_task;

    if (rows[0].c_cpu <= 0)
        return;
    per_task = rm_median(rm_find(f, "c", "cpu_bound", "sequential")) / (double)tasks;
    short_tasks = per_task > 0 && per_task < 0.002; /* fork and thread start: ~0.1-1 ms */
    for (int m = 0; m < REPRO_NMODELS; m++) {
        cv[m] = rows[m].c_cpu;
        av[m] = rows[m].a_cpu;
    }
    for (int m = 1; m < REPRO_NMODELS; m++) {
        int cg, ag;
        if (cv[m] <= 0)
            continue;
        cg = cpu_gain(cv[m], rows[m].c_cpu_noise);
        any_gain |= cg;
        ag = av[m] >= CPU_GAIN; /* no article figure: av < 0, counted as no gain */
        if (cg && !ag && av[m] > 0)
            c_only[nc++] = m;
        else if (!cg && ag)
            a_only[na++] = m;
        else if (cg)
            both[nb++] = m;
        else
            none[nn++] = m;
    }
    if (nc > 0) {
        int art[REPRO_NMODELS];
        sb_printf(b, "cpu_bound differs from the article where Python holds its GIL: C's ");
        sb_series(b, c_only, nc, repro_models, cv, "ran", "as fast as sequential");
        for (int i = 0; i < nc; i++)
            art[i] = c_only[i];
        sb_printf(b, ", where the article's ");
        sb_series(b, art, nc, repro_article, av, "ran", "as fast as its sync run");
        sb_printf(b, ". C has no GIL: ");
        for (int i = 0; i < nc; i++)
            sb_printf(b, "%s%s", i == 0 ? "" : "; ", c_reason(repro_models[c_only[i]], 1));
        sb_printf(b, ". CPython lets one thread at a time run Python code, the threads behind "
                     "asyncio's run_in_executor included. ");
    }
    if (nb + nn > 0) {
        sb_printf(b, "%s for ", nc > 0 ? "It agrees" : "cpu_bound agrees with the article");
        for (int i = 0; i < nb + nn; i++) {
            int m = i < nb ? both[i] : none[i - nb];
            sb_printf(b, "%s%s (%.2fx here",
                      i == 0             ? ""
                      : i == nb + nn - 1 ? " and "
                                         : ", ",
                      repro_models[m], cv[m]);
            if (av[m] > 0)
                sb_printf(b, ", %.2fx for the article's %s", av[m], repro_article[m]);
            sb_printf(b, ")");
        }
        sb_printf(b, ": ");
        for (int i = 0; i < nb + nn; i++) {
            int m = i < nb ? both[i] : none[i - nb];
            sb_printf(b, "%s%s", i == 0 ? "" : "; ", c_reason(repro_models[m], i < nb));
        }
        sb_printf(b, ". ");
    }
    if (na > 0) {
        sb_printf(b, "It differs for ");
        for (int i = 0; i < na; i++) {
            int m = a_only[i];
            sb_printf(b, "%s%s: %.2fx here against the article's %.2fx",
                      i == 0        ? ""
                      : i == na - 1 ? " and "
                                    : ", ",
                      repro_models[m], cv[m], av[m]);
        }
        if (ncpu == 1)
            sb_printf(b, "; this machine has one logical CPU, so nothing computes in parallel. ");
        else if (short_tasks)
            sb_printf(b, "; with tasks this short, starting them costs as much as computing. ");
        else
            sb_printf(b, "; the machine may have been busy (compare load_avg with logical_cpus "
                         "in the JSON). ");
    }
    if (any_gain && ncpu > 0)
        sb_printf(b,
                  "With %lld logical CPUs the most any model can gain on cpu_bound here is %lldx. ",
                  ncpu, tasks > 0 && tasks < ncpu ? tasks : ncpu);
    if (ncpu > 0) {
        /* A speedup above the machine's ceiling means the baseline was slowed, not the model
         * sped up: say so rather than read it as a result. */
        double ceiling = (double)(tasks > 0 && tasks < ncpu ? tasks : ncpu);
        struct sbuf list = {0};
        int nover = list_ratios(&list, rows, above_ceiling, ceiling * 1.1);
        if (nover > 0)
            sb_printf(b,
                      "Being above that ceiling, %s mean%s that the sequential baseline was "
                      "slowed (a busy machine): read %s with care and rerun with more "
                      "repetitions. ",
                      list.s, nover == 1 ? "s" : "", nover == 1 ? "it" : "them");
        free(list.s);
    }
    {
        /* Big ratios whose intervals overlap sequential's: name them rather than read them. */
        struct sbuf list = {0};
        int nnoise = list_ratios(&list, rows, big_but_noise, 0);
        if (nnoise > 0)
            sb_printf(b,
                      "Within the noise, so not counted as a difference: %s (the 95%% intervals "
                      "of %s and of sequential's times overlap; more repetitions narrow them). ",
                      list.s, nnoise == 1 ? "its" : "their");
        free(list.s);
    }
    if (short_tasks)
        sb_printf(b,
                  "Each task computed for only %.2f ms here, so starting threads and processes "
                  "is a visible share of these ratios: a larger --exponent lets the computation "
                  "dominate. ",
                  per_task * 1000.0);

    /* Our own Python variants against the article's pattern. */
    {
        int idx[REPRO_NMODELS], n = 0, same = 0, diff[REPRO_NMODELS], nd = 0;
        double v[REPRO_NMODELS];
        for (int m = 1; m < REPRO_NMODELS; m++) {
            v[m] = rows[m].py_cpu;
            if (v[m] <= 0)
                continue;
            idx[n++] = m;
            if (av[m] > 0 && cpu_gain(v[m], rows[m].py_cpu_noise) == (av[m] >= CPU_GAIN))
                same++;
            else if (av[m] > 0)
                diff[nd++] = m;
        }
        if (n > 0) {
            sb_printf(b, "Our Python ");
            sb_series(b, idx, n, repro_python, v, "ran", "as fast as its sequential variant");
            if (nd == 0 && same > 0)
                sb_printf(b, ": the article's pattern, where only processes gain. ");
            else if (nd > 0) {
                sb_printf(b, "; unlike the article, ");
                for (int i = 0; i < nd; i++)
                    sb_printf(b, "%s%s was %s",
                              i == 0        ? ""
                              : i == nd - 1 ? " and "
                                            : ", ",
                              repro_python[diff[i]], gain_word(v[diff[i]]));
                sb_printf(b, ". ");
            } else {
                sb_printf(b, ". ");
            }
        }
    }
    /* Seconds only where the sizes are the article's. */
    {
        double a_seq = published ? rm_published_seconds(published, "sequential", "cpu_bound") : -1;
        double seq_c = rm_median(rm_find(f, "c", "cpu_bound", "sequential"));
        const struct rm_case *py = rm_find(f, "python", "cpu_bound", "sequential");

        if (a_seq > 0 && seq_c > 0 && tasks == published->exp_tasks &&
            rm_file_param(f, "cpu_bound", "exponent", 0) == published->exp_cpu_exponent &&
            rm_file_param(f, "cpu_bound", "base", 0) == published->exp_cpu_base) {
            sb_printf(b,
                      "In seconds (different machines, so only a rough guide): sequential "
                      "cpu_bound took %.2f s here in C (GMP)",
                      seq_c);
            if (rm_median(py) > 0)
                sb_printf(b, ", %.2f s in our Python", rm_median(py));
            sb_printf(b, " and %.2f s in the article. ", a_seq);
        }
    }
}

void repro_reading(const struct rm_file *f, const struct rm_published *published, FILE *out)
{
    struct mrow rows[REPRO_NMODELS];
    long long tasks = f->config.tasks;
    struct sbuf io = {0}, cpu = {0};

    collect_rows(f, published, rows);
    reading_io(&io, f, published, rows, tasks);
    reading_cpu(&cpu, f, published, rows);
    if (io.len == 0 && cpu.len == 0)
        return;
    fprintf(out,
            "\nWhat this run says (computed from the medians above; a cpu_bound speed-up "
            "counts from %.2fx,\nwhen it stands out of the noise):\n",
            CPU_GAIN);
    if (io.len > 0)
        print_wrapped(out, io.s, "- ", "  ");
    if (cpu.len > 0)
        print_wrapped(out, cpu.s, "- ", "  ");
    free(io.s);
    free(cpu.s);
}
