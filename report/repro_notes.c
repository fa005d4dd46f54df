#include "report/report_sections.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/termsafe.h"
#include "report/report_text.h"

/* The cases that share a warning, as "wl/label, wl/label"; how many in *n. */
static void sharing(const struct rm_file *f, const char *text, struct text_buf *b, int *n)
{
    *n = 0;
    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        for (int k = 0; k < c->warnings.n; k++)
            if (strcmp(c->warnings.v[k], text) == 0) {
                text_append(b, "%s%s/%s", (*n)++ ? ", " : "", c->workload, c->label);
                break;
            }
    }
}

/* bench's spread warning ("unstable: wall-time stddev is 12% of the mean ..."): its percentage,
 * or -1 for another warning. */
#define UNSTABLE_PREFIX "unstable: wall-time stddev is "
static double unstable_pct(const char *text)
{
    double pct;

    if (strncmp(text, UNSTABLE_PREFIX, strlen(UNSTABLE_PREFIX)) != 0 ||
        sscanf(text + strlen(UNSTABLE_PREFIX), "%lf", &pct) != 1)
        return -1;
    return pct;
}

/* The unstable-timing warnings of one workload in one line: which cases, and the worst. */
static void unstable_line(const struct rm_file *f, const char *workload, FILE *out)
{
    struct text_buf b = {0};
    double worst = -1;
    const char *worst_label = NULL;
    int n = 0, total = 0;

    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        if (strcmp(c->workload, workload) != 0)
            continue;
        total++;
        for (int k = 0; k < c->warnings.n; k++) {
            double pct = unstable_pct(c->warnings.v[k]);
            if (pct < 0)
                continue;
            text_append(&b, "%s%s", n++ ? ", " : "", c->label);
            if (pct > worst) {
                worst = pct;
                worst_label = c->label;
            }
            break;
        }
    }
    if (n > 0) {
        /* labels and the workload come from the file: made safe for a terminal */
        size_t len = strlen(b.s) * TERM_SAFE_GROWTH + 1;
        char wl[256], worst_safe[256], *cases = malloc(len);
        if (cases == NULL)
            abort();
        fprintf(out,
                "%s: warning: unstable timings in %s%s (wall-time stddev up to %.0f%% of the "
                "mean, %s); the machine may be busy, use more repetitions\n",
                term_safe(workload, 0, wl, sizeof(wl)), n == total && n > 1 ? "every case: " : "",
                term_safe(b.s, 0, cases, len), worst,
                term_safe(worst_label, 0, worst_safe, sizeof(worst_safe)));
        free(cases);
    }
    free(b.s);
}

void repro_notes(const struct rm_file *f, const struct render_opts *ro, FILE *out)
{
    (void)ro;
    struct rm_strs texts = {0};
    int printed = 0;

    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        char wl[256], label[256], msg[2048];
        term_safe(c->workload, 0, wl, sizeof(wl));
        term_safe(c->label, 0, label, sizeof(label));
        for (int k = 0; k < c->errors.n; k++)
            fprintf(out, "%s%s/%s: error: %s\n", printed++ ? "" : "\n", wl, label,
                    term_safe(c->errors.v[k], 0, msg, sizeof(msg)));
        if (c->error_count > c->errors.n)
            fprintf(out, "%s%s/%s: error: ... %lld errors in all\n", printed++ ? "" : "\n", wl,
                    label, c->error_count);
        for (int k = 0; k < c->warnings.n; k++)
            if (unstable_pct(c->warnings.v[k]) < 0)
                rm_strs_note(&texts, c->warnings.v[k], 256);
    }
    /* A warning that many cases share (few repetitions) is printed once, with its cases. */
    for (int j = 0; j < texts.n; j++) {
        struct text_buf b = {0};
        int n;
        char text[1024], *cases;
        sharing(f, texts.v[j], &b, &n);
        term_safe(texts.v[j], 0, text, sizeof(text));
        if ((cases = malloc(strlen(b.s ? b.s : "") * TERM_SAFE_GROWTH + 1)) == NULL)
            abort();
        term_safe(b.s ? b.s : "", 0, cases, strlen(b.s ? b.s : "") * TERM_SAFE_GROWTH + 1);
        if (!printed++)
            fprintf(out, "\n");
        if (n == f->ncases && n > 1)
            fprintf(out, "warning (every case): %s\n", text);
        else if (n > 2)
            fprintf(out, "warning (%s): %s\n", cases, text);
        else
            fprintf(out, "%s: warning: %s\n", cases, text);
        free(cases);
        free(b.s);
    }
    rm_strs_clear(&texts);
    /* Unstable timings: one line per workload, not one per case. */
    for (int i = 0; i < f->ncases; i++) {
        int seen = 0, unstable = 0;
        for (int j = 0; j < i && !seen; j++)
            seen = strcmp(f->cases[j].workload, f->cases[i].workload) == 0;
        for (int j = i; j < f->ncases && !seen && !unstable; j++)
            for (int k = 0; k < f->cases[j].warnings.n && !unstable; k++)
                unstable = strcmp(f->cases[j].workload, f->cases[i].workload) == 0 &&
                           unstable_pct(f->cases[j].warnings.v[k]) >= 0;
        if (seen || !unstable)
            continue;
        if (!printed++)
            fprintf(out, "\n");
        unstable_line(f, f->cases[i].workload, out);
    }
}
