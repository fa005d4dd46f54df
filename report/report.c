#include "report/report.h"

#include "report/report_text.h"

#include <stdio.h>

static void print_row(const struct case_result *c, FILE *out)
{
    const struct stats *w = &c->stats[FIG_WALL];
    char speed[16], rss[32], valid[32];

    if (c->speedup > 0)
        snprintf(speed, sizeof(speed), "%.2fx", c->speedup);
    else
        snprintf(speed, sizeof(speed), "-");
    fmt_rss(rss, sizeof(rss), c->stats[FIG_RSS].median);
    if (c->nsamples == 0)
        snprintf(valid, sizeof(valid), "FAILED");
    else if (c->validation_ok && c->error_count == 0)
        snprintf(valid, sizeof(valid), "ok");
    else
        snprintf(valid, sizeof(valid), "%lld errors", c->error_count);
    if (c->nsamples == 0) {
        fprintf(out, "%-24s %10s %9s %8s %9s %9s %10s %9s %9s  %s\n", c->model->label, "-", "-",
                "-", "-", "-", "-", "-", "-", valid);
        return;
    }
    fprintf(out, "%-24s %8.4f s %9.4f %8s %9.3f %9.3f %10s %9.0f %9.0f  %s\n", c->model->label,
            w->median, (w->ci95_hi - w->ci95_lo) / 2.0, speed, c->stats[FIG_USER].median,
            c->stats[FIG_SYS].median, rss, c->stats[FIG_CTXV].median, c->stats[FIG_CTXI].median,
            valid);
}

static void print_notes(const struct case_result *c, FILE *out)
{
    const char *wl = c->ws->wl->name;

    for (int i = 0; i < c->nmessages; i++)
        fprintf(out, "%s/%s: error: %s\n", wl, c->model->label, c->messages[i]);
    if (c->error_count > c->nmessages)
        fprintf(out, "%s/%s: error: ... %lld errors in all\n", wl, c->model->label, c->error_count);
    for (int i = 0; i < c->nwarnings; i++)
        fprintf(out, "%s/%s: warning: %s\n", wl, c->model->label, c->warnings[i]);
}

void report_table(const struct bench *b, FILE *out)
{
    const struct config *cfg = b->cfg;
    int any_notes = 0;

    for (int w = 0; w < cfg->nwls; w++) {
        fprintf(out, "\n%s: %d tasks, %d repetition(s) after %d warmup, ", cfg->wls[w].wl->name,
                cfg->tasks, cfg->reps, cfg->warmup);
        if (cfg->workers)
            fprintf(out, "pools of %d\n", cfg->workers);
        else
            fprintf(out, "one thread/process/coroutine per task\n");
        fprintf(out, "%-24s %10s %9s %8s %9s %9s %10s %9s %9s  %s\n", "model", "wall med", "±95%",
                "speedup", "user s", "sys s", "peak RSS", "ctx vol", "ctx inv", "valid");
        for (int k = 0; k < b->ncases; k++)
            if (b->cases[k].wl_index == w)
                print_row(&b->cases[k], out);
    }
    for (int k = 0; k < b->ncases; k++) {
        const struct case_result *c = &b->cases[k];
        if (c->nmessages == 0 && c->nwarnings == 0)
            continue;
        if (!any_notes++)
            fprintf(out, "\n");
        print_notes(c, out);
    }
    fprintf(out, "\nwall: median over repetitions, ±: half the 95%% interval of the mean; "
                 "speedup: sequential median / model median;\n"
                 "CPU and context switches include child processes; peak RSS is the largest "
                 "single process.\n");
}
