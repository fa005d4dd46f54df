/* The options, output and exit status that `compare` and `history compare` share. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/compare_opts.h"
#include "common/params.h"
#include "report/compare_render.h"

const char cmpo_help[] =
    "      --metric M      what to compare (default wall):\n"
    "                        wall     median wall seconds (smaller is better)\n"
    "                        speedup  per-round sequential/model ratios: the\n"
    "                                 sequential case's sample of a round divided by\n"
    "                                 the model's of the same round, so a slow\n"
    "                                 machine moment cancels (bigger is better); the\n"
    "                                 metric for shared CI runners\n"
    "                        normalized  wall time / a reference kernel (a fixed\n"
    "                                 single-thread CPU loop) timed in the same\n"
    "                                 round, in kernels (k): cancels a runner's\n"
    "                                 speed drift but, unlike speedup, still sees\n"
    "                                 a slowdown of every model; needs files from\n"
    "                                 this version's `run`\n"
    "                        instructions  the timed region's instruction count of\n"
    "                                 single-thread cases (run --count\n"
    "                                 instructions): deterministic, no p-value, a\n"
    "                                 change beyond the threshold is a verdict\n"
    "                        user     CPU user seconds\n"
    "                        rss      peak resident set size\n"
    "      --alpha P       level of significance (Mann-Whitney U test; default 0.05)\n"
    "      --threshold PCT smallest change of the median that counts (default 5)\n"
    "      --format F      text (default), markdown (GitHub table, for\n"
    "                      $GITHUB_STEP_SUMMARY or a PR comment) or json\n"
    "      --fail-on W     regression (default): exit 3 on a significant regression;\n"
    "                      none: report only\n"
    "\n"
    "Verdicts, per pair of cases (same workload, label, tasks, workers, params):\n"
    "  slower / faster  p < alpha and the median moved beyond the threshold\n"
    "  ~                moved beyond the threshold, but p >= alpha: could be noise\n"
    "  same             within the threshold\n"
    "  insufficient     too few repetitions for any p below alpha (3+3 samples can\n"
    "                   never reach 0.05: the smallest p is 2/C(6,3) = 0.1); it says\n"
    "                   how many -r need\n"
    "  regression (invalid)  valid in base, a wrong result or an error in head\n"
    "  noisy            beyond the threshold, but a side's spread cannot support it\n"
    "change: + is worse and - better for every metric (for speedup, base/head - 1).\n"
    "Cases in only one file are listed, not failed. A geometric mean of the ratios\n"
    "closes each workload. Different host, CPU, build type or library versions are\n"
    "shown as warnings.\n"
    "\n"
    "Exit status: 0 no significant regression; 1 bad input (unreadable file, not a\n"
    "results file, another schema version, nothing to pair); 2 bad usage; 3 a\n"
    "significant regression (slower, or valid -> invalid) unless --fail-on none.\n";

void cmpo_defaults(struct cmpo *o)
{
    memset(o, 0, sizeof(*o));
    o->cmp.metric = CMP_WALL;
    o->cmp.alpha = 0.05;
    o->cmp.threshold_pct = 5.0;
    o->format = CMPO_TEXT;
    o->fail_on_regression = 1;
}

static int cmpo_format(struct cmpo *o, const char *cmd, const char *value)
{
    static const char *const names[] = {"text", "markdown", "json"};

    for (int i = 0; i < 3; i++)
        if (strcmp(value, names[i]) == 0) {
            o->format = (enum cmpo_format)i;
            return 1;
        }
    fprintf(stderr, "concbench %s: --format '%s': expected one of text|markdown|json\n", cmd,
            value);
    return -1;
}

int cmpo_option(struct cmpo *o, const char *cmd, int opt, const char *value)
{
    if (opt == CMPO_OPT_FORMAT)
        return cmpo_format(o, cmd, value);
    if (opt == CMPO_OPT_METRIC) {
        int m = cmp_metric_parse(value);
        if (m < 0) {
            fprintf(stderr,
                    "concbench %s: --metric '%s': expected one of "
                    "wall|speedup|user|rss|normalized|instructions\n",
                    cmd, value);
            return -1;
        }
        o->cmp.metric = (enum cmp_metric)m;
        return 1;
    }
    if (opt == CMPO_OPT_ALPHA) {
        if (parse_double(value, 1e-9, 0.5, &o->cmp.alpha) == 0)
            return 1;
        fprintf(stderr, "concbench %s: --alpha '%s': expected a number above 0 and at most 0.5\n",
                cmd, value);
        return -1;
    }
    if (opt == CMPO_OPT_THRESHOLD) {
        if (parse_double(value, 0.0, 1000.0, &o->cmp.threshold_pct) == 0) {
            o->cmp.threshold_pct += 0.0; /* -0 is 0, not "-0%" */
            return 1;
        }
        fprintf(stderr, "concbench %s: --threshold '%s': expected a percentage from 0 to 1000\n",
                cmd, value);
        return -1;
    }
    if (opt == CMPO_OPT_FAIL_ON) {
        if (strcmp(value, "regression") == 0 || strcmp(value, "none") == 0) {
            o->fail_on_regression = strcmp(value, "regression") == 0;
            return 1;
        }
        fprintf(stderr, "concbench %s: --fail-on '%s': expected regression or none\n", cmd, value);
        return -1;
    }
    return 0;
}

int cmpo_compare(const struct cmpo *o, const char *cmd, const struct rm_file *base,
                 const char *base_name, const struct rm_file *head, const char *head_name)
{
    struct cmp_result r;
    struct cmpr_input in = {&r, &o->cmp, base, head, base_name, head_name};
    int rc;
    const char *missing_b = cmp_metric_missing(base, o->cmp.metric);
    const char *missing_h = cmp_metric_missing(head, o->cmp.metric);

    if (missing_b != NULL || missing_h != NULL) {
        fprintf(stderr, "concbench %s: --metric %s: %s %s\n", cmd, cmp_metric_name(o->cmp.metric),
                missing_b ? base_name : head_name, missing_b ? missing_b : missing_h);
        return CMPO_EXIT_INPUT;
    }
    if (cmp_run(base, head, &o->cmp, &r) != 0) {
        fprintf(stderr,
                "concbench %s: no case of %s pairs with one of %s (same workload, label, tasks, "
                "workers and params): nothing to compare\n",
                cmd, head_name, base_name);
        cmp_free(&r);
        return CMPO_EXIT_INPUT;
    }
    if (o->format == CMPO_MARKDOWN)
        cmpr_markdown(&in, NULL, stdout);
    else if (o->format == CMPO_JSON)
        cmpr_json(&in, NULL, stdout);
    else
        cmpr_text(&in, NULL, stdout);
    rc = r.nregressions > 0 && o->fail_on_regression ? CMPO_EXIT_REGRESSION : CMPO_EXIT_OK;
    cmp_free(&r);
    return rc;
}
