#include "analysis/findings.h"

#include <stdlib.h>
#include <string.h>

#include "rmodel/article.h"
#include "common/article_sizes.h"
#include "runners/runner.h"

static const char *const finding_workloads[2] = {"io_bound", "cpu_bound"};

static void add(struct reading *r, enum finding_kind kind, enum finding_source source, int model,
                double ratio, double threshold, int verdict)
{
    if (ratio <= 0 || r->n >= FINDINGS_MAX)
        return;
    r->items[r->n++] = (struct finding){kind, source, model, ratio, threshold, -1, -1, verdict, ""};
}

/* The interval of c's ratio into the finding just added, and INCONCLUSIVE when it holds the
 * threshold. */
static void add_interval(struct reading *r, const struct rm_file *f, const struct rm_case *c)
{
    struct finding *x = &r->items[r->n - 1];
    double lo, hi;

    if (rm_speedup_interval(f, c, &lo, &hi) != 0)
        return;
    x->lo = lo;
    x->hi = hi;
    if (lo <= x->threshold && x->threshold <= hi) {
        x->verdict |= FINDING_INCONCLUSIVE;
        x->verdict &= ~FINDING_YES;
    }
}

/* Our speed-up of one model on one workload (only a valid case has one), and its verdict. */
static void judge_ours(struct reading *r, const struct rm_file *f, enum finding_kind kind,
                       enum finding_source source, int m)
{
    const char *impl = source == FINDING_C ? "c" : "python";
    const struct rm_case *c = repro_row_case(f, &r->rows, m, impl, finding_workloads[kind]);
    double x = rm_valid(c) ? rm_speedup(f, c) : -1;
    double io_thr = r->tasks >= 3 ? FINDING_IO_OVERLAP : FINDING_IO_OVERLAP_FEW;
    int verdict = 0;

    if (x <= 0)
        return;
    if (kind == FINDING_IO) {
        char words[192];
        verdict = x >= io_thr ? FINDING_YES : 0;
        if (rm_server_limited(c, words, sizeof(words)))
            verdict |= FINDING_SERVER;
        add(r, kind, source, m, x, io_thr, verdict);
        if ((verdict & FINDING_SERVER) && x > 0 && r->n > 0 && r->items[r->n - 1].model == m)
            memcpy(r->items[r->n - 1].server, words, sizeof(words));
        if (m != 0)
            add_interval(r, f, c);
        return;
    }
    if (rm_differs_from_baseline(f, c) == 0)
        verdict |= FINDING_NOISE;
    if (x >= FINDING_CPU_GAIN && !(verdict & FINDING_NOISE))
        verdict |= FINDING_YES;
    if (r->ceiling > 0 && x > r->ceiling * FINDING_CEILING_SLACK)
        verdict |= FINDING_CEILING;
    if (x >= FINDING_CPU_GAIN || x <= 1.0 / FINDING_CPU_GAIN)
        verdict |= FINDING_FAR;
    add(r, kind, source, m, x, FINDING_CPU_GAIN, verdict);
    if (m != 0)
        add_interval(r, f, c);
}

static void judge_article(struct reading *r, const struct rm_published *pub, enum finding_kind kind,
                          int m)
{
    const char *wl = finding_workloads[kind];
    double a = rm_published_seconds(pub, repro_models[m], wl);
    double seq = rm_published_seconds(pub, runner_baseline_name(), wl);
    double x = a > 0 && seq > 0 ? seq / a : -1;
    double thr = kind == FINDING_IO ? FINDING_IO_OVERLAP : FINDING_CPU_GAIN;

    add(r, kind, FINDING_ARTICLE, m, x, thr, x >= thr ? FINDING_YES : 0);
}

/* Seconds per request, per cpu_bound task, and the seconds themselves where sizes match. */
static void facts(struct reading *r, const struct rm_file *f, const struct rm_published *pub)
{
    const char *base = runner_baseline_name();
    long long req = rm_file_param(f, "io_bound", "requests", ARTICLE_REQUESTS);
    double io_seq = rm_median(rm_find(f, "c", "io_bound", base));
    double cpu_seq = rm_median(rm_find(f, "c", "cpu_bound", base));
    double a_io = rm_published_seconds(pub, base, "io_bound");
    double a_cpu = rm_published_seconds(pub, base, "cpu_bound");
    double py_cpu = rm_median(rm_find(f, "python", "cpu_bound", base));
    const struct rm_case *cseq = rm_find(f, "c", "cpu_bound", base);
    int one_power = cseq != NULL && (cseq->calibration == NULL || cseq->calibration->count == 1);

    r->io_delay_ms = rm_file_param(f, "io_bound", "delay_ms", ARTICLE_DELAY_MS);
    r->io_request_s = r->tasks > 0 && io_seq > 0 ? io_seq / (double)(r->tasks * req) : -1;
    r->article_io_request_s =
        pub != NULL && a_io > 0 && pub->exp_tasks > 0 && pub->exp_io_requests > 0
            ? a_io / (double)(pub->exp_tasks * pub->exp_io_requests)
            : -1;
    r->cpu_task_s = r->tasks > 0 && cpu_seq > 0 ? cpu_seq / (double)r->tasks : -1;
    r->short_tasks = r->cpu_task_s > 0 && r->cpu_task_s < FINDING_SHORT_TASK_S;
    r->same_size_s[0] = r->same_size_s[1] = r->same_size_s[2] = -1;
    if (pub != NULL && a_cpu > 0 && cpu_seq > 0 && one_power && r->tasks == pub->exp_tasks &&
        rm_file_param(f, "cpu_bound", "exponent", 0) == pub->exp_cpu_exponent &&
        rm_file_param(f, "cpu_bound", "base", 0) == pub->exp_cpu_base) {
        r->same_size_s[0] = cpu_seq;
        r->same_size_s[1] = py_cpu;
        r->same_size_s[2] = a_cpu;
    }
}

static int io_near_ideal(const struct reading *r)
{
    int any = 0;

    for (int i = 0; i < r->n; i++) {
        const struct finding *x = &r->items[i];
        /* the article's models: the sentence it ends is theirs */
        if (x->kind != FINDING_IO || x->source != FINDING_C || x->model == 0 ||
            x->model >= REPRO_NMODELS)
            continue;
        if (!(x->verdict & FINDING_YES) || x->ratio < FINDING_IO_NEAR_IDEAL * (double)r->tasks)
            return 0;
        any = 1;
    }
    return any;
}

/* How many CPUs a list as written ("0", "0-1,3") names; -1 when it does not parse. Read from the
 * file, not checked against this machine: the run may have been elsewhere. */
static long long cpus_in_list(const char *text)
{
    long long n = 0;
    const char *p = text;

    while (p != NULL && *p != '\0') {
        char *end;
        long a = strtol(p, &end, 10), b = a;
        if (end == p || a < 0)
            return -1;
        if (*end == '-') {
            p = end + 1;
            b = strtol(p, &end, 10);
            if (end == p || b < a)
                return -1;
        }
        n += b - a + 1;
        if (*end != ',' && *end != '\0')
            return -1;
        p = *end == ',' ? end + 1 : end;
    }
    return n > 0 ? n : -1;
}

/* The load when the run started against the CPUs its cases could use. */
static void load_facts(struct reading *r, const struct rm_file *f)
{
    long long pinned = f->config.cpus != NULL ? cpus_in_list(f->config.cpus) : -1;

    r->load = f->context != NULL && f->context->load_avg[0] >= 0 ? f->context->load_avg[0] : -1;
    r->cpus_used = pinned > 0 ? pinned : r->ncpu;
    r->busy = r->load >= 0 && r->cpus_used > 0 && r->load > (double)r->cpus_used;
}

void reading_compute(const struct rm_file *f, const struct rm_published *pub, struct reading *r)
{
    memset(r, 0, sizeof(*r));
    r->tasks = f->config.tasks;
    r->ncpu = f->context != NULL && f->context->logical_cpus > 0 ? f->context->logical_cpus : 0;
    if (r->ncpu > 0)
        r->ceiling = (double)(r->tasks > 0 && r->tasks < r->ncpu ? r->tasks : r->ncpu);
    repro_rows(f, &r->rows);
    for (int k = FINDING_IO; k <= FINDING_CPU; k++)
        for (int m = 0; m < r->rows.n; m++) {
            judge_ours(r, f, (enum finding_kind)k, FINDING_C, m);
            judge_ours(r, f, (enum finding_kind)k, FINDING_PYTHON, m);
            if (m < REPRO_NMODELS)
                judge_article(r, pub, (enum finding_kind)k, m);
        }
    for (int m = 0; m < r->rows.n; m++) {
        const struct rm_case *c = repro_row_case(f, &r->rows, m, "c", "cpu_bound");
        r->label[m] = c != NULL ? c->label : NULL;
        r->parallel[m] = rm_case_parallel(c);
    }
    facts(r, f, pub);
    r->io_near_ideal = io_near_ideal(r);
    load_facts(r, f);
}

const struct finding *reading_get(const struct reading *r, enum finding_kind kind,
                                  enum finding_source source, int model)
{
    for (int i = 0; i < r->n; i++)
        if (r->items[i].kind == kind && r->items[i].source == source && r->items[i].model == model)
            return &r->items[i];
    return NULL;
}

double reading_ratio(const struct reading *r, enum finding_kind kind, enum finding_source source,
                     int model)
{
    const struct finding *x = reading_get(r, kind, source, model);
    return x != NULL ? x->ratio : -1;
}
