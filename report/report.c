#include "report/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_text.h"

#define ROW_FORMAT "%-24s %10s %9s %8s %9s %9s %10s %9s %9s  %s\n"

static void print_row(const struct rm_file *f, const struct rm_case *c, FILE *out)
{
    const struct stats *w = &c->fig[RM_WALL].st;
    char wall[32], ci[32], speed[16], user[32], sys[32], rss[32], ctxv[32], ctxi[32], valid[32];

    if (rm_median(c) < 0) {
        fprintf(out, ROW_FORMAT, c->label, "-", "-", "-", "-", "-", "-", "-", "-", "FAILED");
        return;
    }
    if (rm_valid(c))
        snprintf(valid, sizeof(valid), "ok");
    else
        snprintf(valid, sizeof(valid), "%lld errors", c->error_count);
    snprintf(wall, sizeof(wall), "%.4f s", w->median);
    snprintf(ci, sizeof(ci), "%.4f", (w->ci95_hi - w->ci95_lo) / 2.0);
    text_ratio(speed, sizeof(speed), rm_speedup(f, c));
    snprintf(user, sizeof(user), "%.3f", c->fig[RM_USER].st.median);
    snprintf(sys, sizeof(sys), "%.3f", c->fig[RM_SYS].st.median);
    text_rss(rss, sizeof(rss), c->fig[RM_RSS].st.median);
    snprintf(ctxv, sizeof(ctxv), "%.0f", c->fig[RM_CTXV].st.median);
    snprintf(ctxi, sizeof(ctxi), "%.0f", c->fig[RM_CTXI].st.median);
    fprintf(out, ROW_FORMAT, c->label, wall, ci, speed, user, sys, rss, ctxv, ctxi, valid);
}

#define TITLE_VALUES_MAX 40 /* a list of values longer than this is cut, its count given */

static void scalar_text(const struct rm_scalar *v, char *buf, size_t len)
{
    if (v->is_int)
        snprintf(buf, len, "%lld", v->i);
    else
        snprintf(buf, len, "%s", v->s ? v->s : "");
}

/* A list's values comma-separated ("2000,1000,3000"); when longer than TITLE_VALUES_MAX, the
 * first that fit and the count ("1,2,3,4,5,6,7,8,9,10,11,12,13,14,...(40 values)"). */
static void list_text(const struct rm_param *p, char *buf, size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    for (int k = 0; k < p->n && used < len; k++) {
        char one[128];
        scalar_text(&p->v[k], one, sizeof(one));
        if (used + 1 + strlen(one) > TITLE_VALUES_MAX) {
            snprintf(buf + used, len - used, "%s...(%d values)", k ? "," : "", p->n);
            return;
        }
        used += (size_t)snprintf(buf + used, len - used, "%s%s", k ? "," : "", one);
    }
}

/* "cpu_bound (base=7777 exponent=200000 allow_huge=0)", "sleep (ms=2000,1000,3000)" */
static void workload_title(const struct rm_case *c, char *buf, size_t len)
{
    size_t used = (size_t)snprintf(buf, len, "%s (", c->workload);

    for (int i = 0; i < c->params.n && used < len; i++) {
        const struct rm_param *p = &c->params.v[i];
        char val[128];
        if (p->is_list)
            list_text(p, val, sizeof(val));
        else if (p->n > 0)
            scalar_text(&p->v[0], val, sizeof(val));
        else
            val[0] = '\0';
        used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", i ? " " : "", p->key, val);
    }
    if (used < len)
        snprintf(buf + used, len - used, ")");
}

/* io_bound with drawn delays (not every one fixed): what they add up to, and each model's
 * efficiency against the least time they allow. */
static void latency_line(const struct rm_file *f, const struct rm_case *first, FILE *out)
{
    const struct rm_latency *l = first->latency;
    int drawn = 0;

    for (int k = 0; l != NULL && k < l->dists.n; k++)
        drawn |= strncmp(l->dists.v[k], "fixed:", 6) != 0;
    if (!drawn)
        return;
    struct text_buf line = {0};
    text_append(
        &line,
        "drawn delays (seed %lld, digest %s): %.3f s in all, theoretical makespan %.3f s "
        "(the slowest task's sum); efficiency, that bound (sequential: the total) / median:",
        l->seed, l->digest, l->total_s, l->makespan_s);
    for (int i = 0, n = 0; i < f->ncases; i++) {
        double e = rm_latency_efficiency(&f->cases[i]);
        if (strcmp(f->cases[i].workload, first->workload) == 0 && e > 0)
            text_append(&line, "%s %s %.1f%%", n++ ? "," : "", f->cases[i].label, 100 * e);
    }
    text_print_wrapped(out, line.s, "", "");
    free(line.s);
}

/* Per case: memory per task, and PSS and page tables when the tasks were done (cases that have
 * them: files written before these figures existed do not). */
static void memory_lines(const struct rm_file *f, const struct rm_case *first, FILE *out)
{
    int header = 0;

    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        char per_task[32], pss[32], pte[32], fixed[32] = "-";

        if (strcmp(c->workload, first->workload) != 0 || c->fig[RM_RSS_PER_TASK].nsamples == 0)
            continue;
        if (!header++)
            fprintf(out, "%-24s %14s %10s %10s %12s\n", "memory", "RSS per task", "at N=0", "PSS",
                    "page tables");
        text_rss(pss, sizeof(pss), c->fig[RM_PSS].st.median);
        text_rss(pte, sizeof(pte), c->fig[RM_PTE].st.median);
        if (isfinite(c->rss_baseline_kib))
            text_rss(fixed, sizeof(fixed), c->rss_baseline_kib);
        text_bytes(per_task, sizeof(per_task), c->fig[RM_RSS_PER_TASK].st.median);
        fprintf(out, "%-24s %14s %10s %10s %12s\n", c->label, per_task, fixed, pss, pte);
    }
}

static void workload_table(const struct rm_file *f, const struct rm_case *first, FILE *out)
{
    char title[512];

    workload_title(first, title, sizeof(title));
    fprintf(out, "\n%s: %lld tasks, %lld repetition(s) after %lld warmup, ", title, first->tasks,
            f->config.reps, f->config.warmup);
    if (first->workers)
        fprintf(out, "pools of %lld\n", first->workers);
    else
        fprintf(out, "one thread/process/coroutine per task\n");
    fprintf(out, ROW_FORMAT, "model", "wall med", "±95%", "speedup", "user s", "sys s", "peak RSS",
            "ctx vol", "ctx inv", "valid");
    for (int i = 0; i < f->ncases; i++)
        if (strcmp(f->cases[i].workload, first->workload) == 0)
            print_row(f, &f->cases[i], out);
    latency_line(f, first, out);
    memory_lines(f, first, out);
}

void report_cases(const struct rm_file *f, const struct render_opts *ro, FILE *out)
{
    (void)ro;
    for (int i = 0; i < f->ncases; i++) {
        int seen = 0;
        for (int j = 0; j < i && !seen; j++)
            seen = strcmp(f->cases[j].workload, f->cases[i].workload) == 0;
        if (!seen)
            workload_table(f, &f->cases[i], out);
    }
}

void report_legend(FILE *out)
{
    fprintf(out,
            "\nwall: median over repetitions, ±: half the 95%% interval of the mean; "
            "speedup: sequential median / model median;\n"
            "CPU and context switches include child processes; peak RSS is the largest "
            "single process.\n"
            "RSS per task: (peak RSS growth of the run - the same model's growth with no task, "
            "\"at N=0\") / tasks;\nPSS and page tables (VmPTE) when the tasks were done, "
            "before their state was freed (pthreads, processes: after the run).\n");
}
