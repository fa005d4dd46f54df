/* A sweep's table: per workload, one block of rows per N, one row per model; then where each
 * model stopped and why. */
#include "report/sweep_table.h"

#include <stdlib.h>
#include <string.h>

#include "bench/sweep.h"
#include "common/termsafe.h"
#include "report/report_text.h"

#define SWEEP_ROW "%9s  %-24s %10s %8s %10s %10s %10s  %s\n"

static const struct rm_case *sweep_case(const struct rm_file *f, const char *wl, const char *label,
                                        long long n)
{
    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        if (c->tasks == n && strcmp(c->workload, wl) == 0 && strcmp(c->label, label) == 0)
            return c;
    }
    return NULL;
}

static const struct rm_sweep_skip *sweep_skip(const struct rm_sweep *s, const char *wl,
                                              const char *label, long long n)
{
    for (int i = 0; i < s->nskipped; i++) {
        const struct rm_sweep_skip *k = &s->skipped[i];
        if (k->tasks == n && strcmp(k->workload, wl) == 0 && strcmp(k->label, label) == 0)
            return k;
    }
    return NULL;
}

static void sweep_row(const struct rm_file *f, const struct rm_case *c, const char *nbuf, FILE *out)
{
    char wall[32], speed[16], eff[32], cpu[32], mem[32], note[64], limit[192];

    text_duration(wall, sizeof(wall), rm_median(c));
    text_ratio(speed, sizeof(speed), rm_speedup(f, c));
    if (rm_efficiency(c) > 0)
        snprintf(eff, sizeof(eff), "%.1f%%", 100 * rm_efficiency(c));
    else
        snprintf(eff, sizeof(eff), "-");
    text_duration(cpu, sizeof(cpu), rm_cpu_per_task_s(c));
    text_bytes(mem, sizeof(mem), c->fig[RM_RSS_PER_TASK].st.median);
    if (rm_valid(c) && rm_server_limited(c, limit, sizeof(limit)))
        snprintf(note, sizeof(note), "ok, limited by the server (below)");
    else if (rm_valid(c))
        snprintf(note, sizeof(note), "ok");
    else if (rm_median(c) < 0)
        snprintf(note, sizeof(note), "FAILED: stopped here (below)");
    else
        snprintf(note, sizeof(note), "%lld errors: stopped here (below)", c->error_count);
    char label[256];
    fprintf(out, SWEEP_ROW, nbuf, term_safe(c->label, 0, label, sizeof(label)), wall, speed, eff,
            cpu, mem, note);
}

/* One N: a row per model that ran or was left out there. */
static void sweep_block(const struct rm_file *f, const char *wl, long long n, FILE *out)
{
    char nbuf[32];

    snprintf(nbuf, sizeof(nbuf), "%lld", n);
    for (int m = 0; m < f->config.models.n; m++) {
        const char *label = f->config.models.v[m];
        const struct rm_case *c = sweep_case(f, wl, label, n);
        const struct rm_sweep_skip *k = c ? NULL : sweep_skip(f->sweep, wl, label, n);
        char note[64];

        if (c != NULL) {
            sweep_row(f, c, nbuf, out);
        } else if (k != NULL) {
            snprintf(note, sizeof(note), "left out: %s%s", k->kind,
                     strcmp(k->kind, "stopped") == 0 ? "" : " (below)");
            char safe[256];
            fprintf(out, SWEEP_ROW, nbuf, term_safe(label, 0, safe, sizeof(safe)), "-", "-", "-",
                    "-", "-", note);
        } else {
            continue;
        }
        nbuf[0] = '\0'; /* N once per block */
    }
}

/* Where each model stopped: its failed case or its first point left out (not "stopped"). */
static void sweep_stops(const struct rm_file *f, const char *wl, FILE *out)
{
    int header = 0;

    for (int m = 0; m < f->config.models.n; m++) {
        const char *label = f->config.models.v[m];
        struct text_buf line = {0};
        char why[1024];

        for (int i = 0; i < f->ncases && line.s == NULL; i++) {
            const struct rm_case *c = &f->cases[i];
            if (strcmp(c->workload, wl) != 0 || strcmp(c->label, label) != 0 || rm_valid(c))
                continue;
            sweep_failure_reason(c, why, sizeof(why));
            text_append(&line, "%s: failed at N=%lld: %s", label, c->tasks, why);
        }
        for (int i = 0; i < f->sweep->nskipped && line.s == NULL; i++) {
            const struct rm_sweep_skip *k = &f->sweep->skipped[i];
            if (strcmp(k->workload, wl) == 0 && strcmp(k->label, label) == 0 &&
                strcmp(k->kind, "stopped") != 0)
                text_append(&line, "%s: left out from N=%lld (%s): %s", label, k->tasks, k->kind,
                            k->reason);
        }
        if (line.s == NULL)
            continue;
        if (!header++)
            fprintf(out, "where models stopped:\n");
        text_print_wrapped(out, line.s, "  ", "      ");
        free(line.s);
    }
}

/* The cases' warnings (few or unstable repetitions, a bound that stopped them), N named. */
static void sweep_warnings(const struct rm_file *f, const char *wl, FILE *out)
{
    int header = 0;

    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        for (int k = 0; k < c->warnings.n && strcmp(c->workload, wl) == 0; k++) {
            struct text_buf line = {0};
            if (!header++)
                fprintf(out, "warnings:\n");
            text_append(&line, "%s N=%lld: %s", c->label, c->tasks, c->warnings.v[k]);
            text_print_wrapped(out, line.s, "  ", "      ");
            free(line.s);
        }
    }
}

/* io_bound: the embedded server's lateness per case, and the cases it limited, N named. */
static void sweep_server(const struct rm_file *f, const char *wl, FILE *out)
{
    int header = 0;

    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        const struct rm_server *sv = c->server;
        struct text_buf line = {0};
        char limit[192];

        if (strcmp(c->workload, wl) != 0 || sv == NULL)
            continue;
        if (!header++)
            fprintf(out, "server (lateness: a response begun after arrival + delay; CPU: the "
                         "model's per request):\n");
        rm_server_limited(c, limit, sizeof(limit));
        text_append(&line,
                    "%s N=%lld: %lld thread%s, lateness p50 %.2f ms, p99 %.2f ms, max %.2f ms; "
                    "CPU %.1f us per request%s%s",
                    c->label, c->tasks, sv->threads, sv->threads == 1 ? "" : "s", sv->late_p50_ms,
                    sv->late_p99_ms, sv->late_max_ms, sv->client_cpu_us_per_request,
                    limit[0] ? "; " : "", limit);
        text_print_wrapped(out, line.s, "  ", "      ");
        free(line.s);
    }
}

static void sweep_workload(const struct rm_file *f, const struct rm_sweep_plan *p, FILE *out)
{
    const struct rm_case *any = NULL;

    for (int i = 0; i < f->ncases && any == NULL; i++)
        if (strcmp(f->cases[i].workload, p->workload) == 0)
            any = &f->cases[i];
    fprintf(out, "\n%s: N from %lld to %lld, %lld repetition(s) after %lld warmup, %s\n",
            p->workload, p->n ? p->tasks[0] : 0, p->n ? p->tasks[p->n - 1] : 0, f->config.reps,
            f->config.warmup,
            any && any->workers ? "pools (workers as in each case)"
                                : "one thread/process/coroutine per task");
    fprintf(out, SWEEP_ROW, "N", "model", "wall med", "speedup", "efficiency", "CPU/task",
            "RSS/task", "note");
    for (int i = 0; i < p->n; i++)
        sweep_block(f, p->workload, p->tasks[i], out);
    sweep_stops(f, p->workload, out);
    sweep_server(f, p->workload, out);
    sweep_warnings(f, p->workload, out);
}

void sweep_table(const struct rm_file *f, const struct render_opts *ro, FILE *out)
{
    (void)ro;
    if (f->sweep == NULL)
        return;
    for (int i = 0; i < f->sweep->nplans; i++)
        sweep_workload(f, &f->sweep->plans[i], out);
}

void sweep_legend(FILE *out)
{
    fputs("\nwall: median over repetitions; speedup: sequential's median at the same N / wall;\n"
          "efficiency: the least time the waits allow (sleep: ms; io_bound: the theoretical\n"
          "makespan; sequential: their sum) / wall, with one task per thread/process/coroutine;\n"
          "CPU/task: (user + sys) / N; RSS/task: (peak RSS - RSS before the model ran - the\n"
          "model's own growth at N=0) / N.\n",
          out);
}
