#include "report/report_sections.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "common/termsafe.h"
#include "report/report_text.h"

/* The value after flag (or in --flag=value) in a command line, or NULL. */
static int command_option(const char *cmd, const char *shortf, const char *longf, char *out,
                          size_t outlen)
{
    char *copy = strdup(cmd), *save = NULL, *tok;
    int want = 0, found = 0;

    if (copy == NULL)
        return 0;
    for (tok = strtok_r(copy, " \t", &save); tok != NULL && !found;
         tok = strtok_r(NULL, " \t", &save)) {
        size_t ll = strlen(longf);
        if (want) {
            snprintf(out, outlen, "%s", tok);
            found = 1;
        } else if (strcmp(tok, shortf) == 0 || strcmp(tok, longf) == 0) {
            want = 1;
        } else if (strncmp(tok, longf, ll) == 0 && tok[ll] == '=') {
            snprintf(out, outlen, "%s", tok + ll + 1);
            found = 1;
        }
    }
    free(copy);
    return found;
}

static void hf_identify(const struct hf_result *r, char *model, size_t mlen, char *wl, size_t wlen,
                        int *reps)
{
    char tmp[64];

    if (r->model != NULL)
        snprintf(model, mlen, "%s", r->model);
    else if (!command_option(r->command, "-m", "--models", model, mlen))
        snprintf(model, mlen, "all");
    if (r->workload != NULL)
        snprintf(wl, wlen, "%s", r->workload);
    else if (!command_option(r->command, "-w", "--workload", wl, wlen))
        snprintf(wl, wlen, "cpu_bound"); /* run's default */
    *reps = 5;
    if (command_option(r->command, "-r", "--reps", tmp, sizeof(tmp)))
        *reps = atoi(tmp);
}

/* 1 when a -p KEY=VALUE of the command differs from the case's parameter (noted in out). */
static int params_differ(const char *cmd, const struct rm_case *c, char *out, size_t outlen)
{
    char *copy, *save = NULL, *tok;
    int want = 0, differ = 0;

    if (c == NULL || cmd == NULL || (copy = strdup(cmd)) == NULL)
        return 0;
    for (tok = strtok_r(copy, " \t", &save); tok != NULL; tok = strtok_r(NULL, " \t", &save)) {
        char *eq;
        long long v;
        if (!want) {
            want = strcmp(tok, "-p") == 0 || strcmp(tok, "--param") == 0;
            continue;
        }
        want = 0;
        eq = strchr(tok, '=');
        if (eq == NULL)
            continue;
        *eq = '\0';
        v = rm_param_int(&c->params, tok, LLONG_MIN);
        if (v != LLONG_MIN && strtoll(eq + 1, NULL, 10) != v) {
            size_t used = strlen(out);
            if (strstr(out, tok) == NULL && used + 100 < outlen)
                snprintf(out + used, outlen - used, "%shyperfine ran %s=%s, the results have %lld",
                         used ? "; " : "", tok, eq + 1, v);
            differ = 1;
        }
    }
    free(copy);
    return differ;
}

void hyperfine_table(const struct rm_file *f, const struct hf_export *hf, const char *const *names,
                     int nhf, FILE *out)
{
    int multi_rep = 0, nmismatch = 0;
    char mismatch[512] = "", safe_mismatch[TERM_SAFE_GROWTH * 512 + 1];

    if (nhf == 0)
        return;
    fprintf(out, "\nIn-process vs whole-process time (hyperfine):\n");
    fprintf(out, "%-10s %-22s %12s %14s %9s  %s\n", "workload", "model", "harness med",
            "hyperfine med", "stddev", "difference");
    for (int h = 0; h < nhf; h++) {
        for (int i = 0; i < hf[h].n; i++) {
            const struct hf_result *r = &hf[h].v[i];
            char model[128], wl[64], a[32], h[32], sd[32], diff[64];
            char smodel[TERM_SAFE_GROWTH * 128 + 1], swl[TERM_SAFE_GROWTH * 64 + 1];
            int reps;
            double hm = r->median, im, dev = r->stddev;
            const struct rm_case *c;

            hf_identify(r, model, sizeof(model), wl, sizeof(wl), &reps);
            nmismatch += params_differ(r->command, rm_find_label(f, "c", wl, model), mismatch,
                                       sizeof(mismatch));
            c = rm_find_label(f, "c", wl, model);
            im = rm_median(c);
            multi_rep |= reps != 1;
            text_seconds(a, sizeof(a), im);
            text_seconds(h, sizeof(h), hm);
            if (dev >= 0)
                snprintf(sd, sizeof(sd), "%.4f", dev);
            else
                snprintf(sd, sizeof(sd), "-");
            if (im > 0 && hm > 0)
                snprintf(diff, sizeof(diff), "%+.4f s (%+.0f%%)", hm - im, 100.0 * (hm - im) / im);
            else
                snprintf(diff, sizeof(diff), "%s",
                         c == NULL ? "(no such case in the results)" : "-");
            /* the names come from hyperfine's command lines: a file's text */
            fprintf(out, "%-10s %-22s %10s s %12s s %9s  %s\n", term_safe(wl, 0, swl, sizeof(swl)),
                    term_safe(model, 0, smodel, sizeof(smodel)), a, h, sd, diff);
        }
    }
    for (int h = 0; h < nhf; h++) {
        char safe[TERM_SAFE_GROWTH * 1024 + 1];
        fprintf(out, "hyperfine: %s\n", term_safe(names[h], 0, safe, sizeof(safe)));
    }
    text_print_wrapped(
        out,
        "harness med: the timed region from the results file (creating, running and "
        "joining the N tasks inside the repetition's isolated child). hyperfine med: "
        "whole `concbench run` processes, which also pay for exec and library start-up, "
        "computing the expected results before timing (cpu_bound: one more power), "
        "starting the embedded server (io_bound) and forking the repetition's child. "
        "The difference is that start-up and set-up cost; the two "
        "columns come from different runs.",
        "", "");
    if (nmismatch > 0)
        fprintf(out, "note: the sizes differ (%s): the comparison is not like for like.\n",
                term_safe(mismatch, 0, safe_mismatch, sizeof(safe_mismatch)));
    if (multi_rep)
        fprintf(out, "note: some hyperfine commands run more than one repetition (-r): their "
                     "whole-process time holds all of them.\n");
}
