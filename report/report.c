#include "report/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/termsafe.h"
#include "report/report_text.h"

/* The table's columns after the model's: their names and widths (ROW_FORMAT of old:
 * "%-24s %10s %9s %8s %9s %9s %10s %9s %9s  %s"), the validity last, unpadded. */
enum col { COL_WALL, COL_CI, COL_SPEED, COL_USER, COL_SYS, COL_RSS, COL_CTXV, COL_CTXI, NCOLS };
static const char *const col_names[NCOLS] = {"wall med", "±95%",     "speedup", "user s",
                                             "sys s",    "peak RSS", "ctx vol", "ctx inv"};
static const int col_widths[NCOLS] = {10, 9, 8, 9, 9, 10, 9, 9};
/* What goes first when the terminal is too narrow: the least needed column first. */
static const enum col drop_order[] = {COL_CTXI, COL_CTXV, COL_SYS, COL_CI, COL_USER, COL_RSS};
#define LABEL_WIDTH 24

/* Which columns a table shows, and how wide its model column is. */
struct fit {
    int labelw;
    int show[NCOLS];
    int dropped; /* how many of drop_order are left out */
};

static void print_cells(const struct fit *fit, const char *label, char cells[NCOLS][32],
                        const char *valid, FILE *out)
{
    char safe[512];

    fprintf(out, "%-*s", fit->labelw, term_safe(label, 0, safe, sizeof(safe)));
    for (int k = 0; k < NCOLS; k++)
        if (fit->show[k])
            fprintf(out, " %*s", col_widths[k], cells[k]);
    fprintf(out, "  %s\n", valid);
}

static void valid_text(const struct rm_case *c, char *buf, size_t len)
{
    if (rm_median(c) < 0)
        snprintf(buf, len, "FAILED");
    else if (rm_valid(c))
        snprintf(buf, len, "ok");
    else
        snprintf(buf, len, "%lld errors", c->error_count);
}

static void print_row(const struct rm_file *f, const struct rm_case *c, const struct fit *fit,
                      FILE *out)
{
    const struct stats *w = &c->fig[RM_WALL].st;
    char cells[NCOLS][32], valid[32];

    valid_text(c, valid, sizeof(valid));
    if (rm_median(c) < 0) {
        for (int k = 0; k < NCOLS; k++)
            snprintf(cells[k], sizeof(cells[k]), "-");
        print_cells(fit, c->label, cells, valid, out);
        return;
    }
    snprintf(cells[COL_WALL], 32, "%.4f s", w->median);
    snprintf(cells[COL_CI], 32, "%.4f", (w->ci95_hi - w->ci95_lo) / 2.0);
    text_ratio(cells[COL_SPEED], 32, rm_speedup(f, c));
    snprintf(cells[COL_USER], 32, "%.3f", c->fig[RM_USER].st.median);
    snprintf(cells[COL_SYS], 32, "%.3f", c->fig[RM_SYS].st.median);
    text_rss(cells[COL_RSS], 32, c->fig[RM_RSS].st.median);
    snprintf(cells[COL_CTXV], 32, "%.0f", c->fig[RM_CTXV].st.median);
    snprintf(cells[COL_CTXI], 32, "%.0f", c->fig[RM_CTXI].st.median);
    print_cells(fit, c->label, cells, valid, out);
}

static int fit_width(const struct fit *fit, int validw)
{
    int n = fit->labelw + 2 + validw;

    for (int k = 0; k < NCOLS; k++)
        n += fit->show[k] ? 1 + col_widths[k] : 0;
    return n;
}

/* Every column at the old widths when width is 0 (no limit) or they fit; else the model column
 * as narrow as its labels, then columns left out in drop_order until the rows fit. */
static void fit_table(const struct rm_file *f, const struct rm_case *first, int width,
                      struct fit *fit)
{
    int labelw = (int)strlen("model"), validw = (int)strlen("valid");

    fit->labelw = LABEL_WIDTH;
    fit->dropped = 0;
    for (int k = 0; k < NCOLS; k++)
        fit->show[k] = 1;
    for (int i = 0; i < f->ncases; i++) {
        char valid[32];
        if (strcmp(f->cases[i].workload, first->workload) != 0)
            continue;
        valid_text(&f->cases[i], valid, sizeof(valid));
        labelw = (int)strlen(f->cases[i].label) > labelw ? (int)strlen(f->cases[i].label) : labelw;
        validw = (int)strlen(valid) > validw ? (int)strlen(valid) : validw;
    }
    if (width <= 0 || fit_width(fit, validw) <= width)
        return;
    fit->labelw = labelw < LABEL_WIDTH ? labelw : LABEL_WIDTH;
    while (fit_width(fit, validw) > width &&
           fit->dropped < (int)(sizeof(drop_order) / sizeof(drop_order[0])))
        fit->show[drop_order[fit->dropped++]] = 0;
}

/* Under a narrowed table: which columns it left out. */
static void dropped_line(const struct fit *fit, int width, FILE *out)
{
    struct text_buf line = {0};

    if (fit->dropped == 0)
        return;
    text_append(&line, "(to fit %d columns, left out:", width);
    for (int k = 0; k < fit->dropped; k++)
        text_append(&line, "%s %s", k ? "," : "", col_names[drop_order[k]]);
    text_append(&line, "; --wide shows them)");
    text_print_wrapped_at(out, line.s, "", "", (size_t)width);
    free(line.s);
}

#define TITLE_VALUES_MAX 40 /* a list of values longer than this is cut, its count given */

static void scalar_text(const struct rm_scalar *v, char *buf, size_t len)
{
    if (v->is_int)
        snprintf(buf, len, "%lld", v->i);
    else
        term_safe(v->s ? v->s : "", 0, buf, len);
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
    char safe[512];
    size_t used = (size_t)snprintf(buf, len, "%s (", term_safe(c->workload, 0, safe, sizeof(safe)));

    for (int i = 0; i < c->params.n && used < len; i++) {
        const struct rm_param *p = &c->params.v[i];
        char val[128];
        if (p->is_list)
            list_text(p, val, sizeof(val));
        else if (p->n > 0)
            scalar_text(&p->v[0], val, sizeof(val));
        else
            val[0] = '\0';
        used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", i ? " " : "",
                                 term_safe(p->key, 0, safe, sizeof(safe)), val);
    }
    if (used < len)
        snprintf(buf + used, len - used, ")");
}

/* io_bound with drawn delays (not every one fixed): what they add up to, and each model's
 * efficiency against the least time they allow. */
static void latency_line(const struct rm_file *f, const struct rm_case *first, int width, FILE *out)
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
    if (width > 0 && width < 92)
        text_print_wrapped_at(out, line.s, "", "", (size_t)width);
    else
        text_print_wrapped(out, line.s, "", "");
    free(line.s);
}

/* Per case: memory per task, and PSS and page tables when the tasks were done (cases that have
 * them: files written before these figures existed do not). */
static void memory_lines(const struct rm_file *f, const struct rm_case *first, int labelw,
                         FILE *out)
{
    int header = 0;

    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        char per_task[32], pss[32], pte[32], fixed[32] = "-";

        if (strcmp(c->workload, first->workload) != 0 || c->fig[RM_RSS_PER_TASK].nsamples == 0)
            continue;
        if (!header++)
            fprintf(out, "%-*s %14s %10s %10s %12s\n", labelw, "memory", "RSS per task", "at N=0",
                    "PSS", "page tables");
        text_rss(pss, sizeof(pss), c->fig[RM_PSS].st.median);
        text_rss(pte, sizeof(pte), c->fig[RM_PTE].st.median);
        if (isfinite(c->rss_baseline_kib))
            text_rss(fixed, sizeof(fixed), c->rss_baseline_kib);
        text_bytes(per_task, sizeof(per_task), c->fig[RM_RSS_PER_TASK].st.median);
        char label[512];
        fprintf(out, "%-*s %14s %10s %10s %12s\n", labelw,
                term_safe(c->label, 0, label, sizeof(label)), per_task, fixed, pss, pte);
    }
}

/* io_bound against the embedded server: how late its responses left (after arrival + delay) and
 * the model's CPU per request, per case; a case whose p99 lateness is a noticeable part of the
 * delay is marked: its result is the instrument's as much as the model's. Within width (0: no
 * limit) the header's note and a row's mark go on lines of their own when they do not fit. */
static void server_lines(const struct rm_file *f, const struct rm_case *first, int labelw,
                         int width, FILE *out)
{
    int header = 0;

    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        const struct rm_server *sv = c->server;
        char limit[160], cpu[32] = "-", note[96];
        struct text_buf row = {0};
        int cols;

        if (strcmp(c->workload, first->workload) != 0 || sv == NULL)
            continue;
        if (!header++) {
            cols = fprintf(out, "%-*s %10s %10s %10s %12s", labelw, "server lateness", "p50", "p99",
                           "max", "CPU/request");
            snprintf(note, sizeof(note),
                     "(server: %lld thread%s; lateness = response begun after arrival + delay)",
                     sv->threads, sv->threads == 1 ? "" : "s");
            if (width > 0 && cols + 2 + (int)strlen(note) > width) {
                fputc('\n', out);
                text_print_wrapped_at(out, note, "  ", "   ", (size_t)width);
            } else {
                fprintf(out, "  %s\n", note);
            }
        }
        if (isfinite(sv->client_cpu_us_per_request))
            snprintf(cpu, sizeof(cpu), "%.1f us", sv->client_cpu_us_per_request);
        rm_server_limited(c, limit, sizeof(limit));
        char label[512];
        text_append(&row, "%-*s %7.2f ms %7.2f ms %7.2f ms %12s", labelw,
                    term_safe(c->label, 0, label, sizeof(label)), sv->late_p50_ms, sv->late_p99_ms,
                    sv->late_max_ms, cpu);
        if (limit[0] == '\0') {
            fprintf(out, "%s\n", row.s);
        } else if (width > 0 && (int)(strlen(row.s) + 2 + strlen(limit)) > width) {
            fprintf(out, "%s\n", row.s);
            text_print_wrapped_at(out, limit, "  ", "  ", (size_t)width);
        } else {
            fprintf(out, "%s  %s\n", row.s, limit);
        }
        free(row.s);
    }
}

/* "a task computed 7777**200000, 27 times (calibrated to 218 ms: one took 8.1 ms)" */
static void task_line(const struct rm_calibration *k, FILE *out)
{
    char task[512];

    term_safe(k->task, 0, task, sizeof(task)); /* text from the file */
    if (k->target_ms > 0 && isfinite(k->op_ms))
        fprintf(out, "a task computed %s (calibrated to %.0f ms: one took %.1f ms)\n", task,
                k->target_ms, k->op_ms);
    else
        fprintf(out, "a task computed %s\n", task);
}

static void workload_table(const struct rm_file *f, const struct rm_case *first, int width,
                           FILE *out)
{
    char title[512], heads[NCOLS][32];
    struct text_buf line = {0};
    struct fit fit;

    workload_title(first, title, sizeof(title));
    text_append(&line, "%s: %lld tasks, %lld repetition(s) after %lld warmup, ", title,
                first->tasks, f->config.reps, f->config.warmup);
    if (first->workers)
        text_append(&line, "pools of %lld", first->workers);
    else
        text_append(&line, "one thread/process/coroutine per task");
    fputc('\n', out);
    if (width > 0)
        text_print_wrapped_at(out, line.s, "", "  ", (size_t)width);
    else
        fprintf(out, "%s\n", line.s);
    free(line.s);
    if (first->calibration != NULL && first->calibration->task != NULL)
        task_line(first->calibration, out);
    fit_table(f, first, width, &fit);
    for (int k = 0; k < NCOLS; k++)
        snprintf(heads[k], sizeof(heads[k]), "%s", col_names[k]);
    print_cells(&fit, "model", heads, "valid", out);
    for (int i = 0; i < f->ncases; i++)
        if (strcmp(f->cases[i].workload, first->workload) == 0)
            print_row(f, &f->cases[i], &fit, out);
    dropped_line(&fit, width, out);
    latency_line(f, first, width, out);
    server_lines(f, first, fit.labelw, width, out);
    memory_lines(f, first, fit.labelw, out);
}

void report_cases(const struct rm_file *f, const struct render_opts *ro, FILE *out)
{
    int width = ro != NULL ? ro->width : 0;

    for (int i = 0; i < f->ncases; i++) {
        int seen = 0;
        for (int j = 0; j < i && !seen; j++)
            seen = strcmp(f->cases[j].workload, f->cases[i].workload) == 0;
        if (!seen)
            workload_table(f, &f->cases[i], width, out);
    }
}

/* The legend's lines as they are printed with no width limit; with one, each is wrapped. */
static const char *const legend[] = {
    "wall: median over repetitions, ±: half the 95% interval of the mean; "
    "speedup: median over the rounds of sequential / model;",
    "CPU and context switches include child processes; peak RSS is the largest single process.",
    "RSS per task: (peak RSS growth of the run - the same model's growth with no task, "
    "\"at N=0\") / tasks;",
    "PSS and page tables (VmPTE) when the tasks were done, before their state was freed "
    "(pthreads, processes: after the run).",
};

void report_legend(const struct render_opts *ro, FILE *out)
{
    int width = ro != NULL ? ro->width : 0;

    fputc('\n', out);
    for (size_t i = 0; i < sizeof(legend) / sizeof(legend[0]); i++) {
        if (width > 0)
            text_print_wrapped_at(out, legend[i], "", "", (size_t)width);
        else
            fprintf(out, "%s\n", legend[i]);
    }
}
