/* github-action-benchmark's custom JSON: an array of {name, unit, value, range, extra}, where
 * range and extra are free text the action shows in its charts' tooltips. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rmodel/case_key.h"
#include "analysis/compare.h"
#include "report/export.h"

/* The statistics of the per-round speed-up samples; 0 when the case has no sequential case. */
static int exp_speedup_stats(const struct rm_file *f, const struct rm_case *c, struct stats *st)
{
    int n;
    double *s = cmp_metric_samples(f, c, CMP_SPEEDUP, &n);

    if (s == NULL)
        return 0;
    stats_compute(s, n, st);
    free(s);
    return 1;
}

static json_t *exp_gab_entry(const struct rm_file *f, const struct rm_case *c, int speedup)
{
    const struct stats *w = &c->fig[RM_WALL].st;
    struct stats sp = {0};
    int has_sp = exp_speedup_stats(f, c, &sp);
    char key[CK_KEY_MAX], range[64], extra[256], spx[32];
    const struct stats *st = speedup ? &sp : w;

    ck_key(c, key, sizeof(key));
    snprintf(range, sizeof(range), "± %.6g", (st->ci95_hi - st->ci95_lo) / 2.0);
    if (has_sp)
        snprintf(spx, sizeof(spx), "%.3fx", rm_speedup(f, c));
    else
        snprintf(spx, sizeof(spx), "none (no sequential case)");
    snprintf(extra, sizeof(extra), "reps: %lld\nstddev: %.6g s\nspeedup: %s\nvalid: yes",
             c->reps_done, w->stddev, spx);
    return json_pack("{s:s, s:s, s:f, s:s, s:s}", "name", key, "unit", speedup ? "x" : "s", "value",
                     speedup ? rm_speedup(f, c) : w->median, "range", range, "extra", extra);
}

static json_t *gab_doc(const struct rm_file *f, int speedup, struct rm_strs *skipped)
{
    json_t *out = json_array();
    char key[CK_KEY_MAX], line[700];

    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        if (!exp_include(c, skipped))
            continue;
        if (speedup && rm_speedup(f, c) <= 0) {
            ck_key(c, key, sizeof(key));
            snprintf(line, sizeof(line), "%s: no speed-up (no sequential case), left out", key);
            rm_strs_note(skipped, line, 100000);
            continue;
        }
        json_array_append_new(out, exp_gab_entry(f, c, speedup));
    }
    return out;
}

static json_t *gab(const struct rm_file *f, struct rm_strs *skipped)
{
    return gab_doc(f, 0, skipped);
}

static json_t *gab_speedup(const struct rm_file *f, struct rm_strs *skipped)
{
    return gab_doc(f, 1, skipped);
}

const struct exp_format exp_format_gab = {
    "gab",
    "github-action-benchmark with tool: customSmallerIsBetter:\n"
    "[{name, unit \"s\", value: median wall seconds, range: \"± half\n"
    "the 95% interval\", extra: reps, stddev, speedup, validity}]",
    gab,
};

const struct exp_format exp_format_gab_speedup = {
    "gab-speedup",
    "the same for tool: customBiggerIsBetter, value: the speed-up\n"
    "over sequential (unit \"x\"; cases without a sequential case are\n"
    "left out)",
    gab_speedup,
};
