#ifndef CONCBENCH_COMPARE_RENDER_H
#define CONCBENCH_COMPARE_RENDER_H

/* The renderers of a comparison (analysis/compare.h): a text table for terminals, a
 * GitHub-flavoured markdown table for $GITHUB_STEP_SUMMARY or a PR comment, and JSON for tools.
 * Each gets the same rows and the two files they came from. */

#include <stdio.h>

#include "analysis/compare.h"
#include "report/render.h"

struct cmpr_input {
    const struct cmp_result *r;
    const struct cmp_opts *o;
    const struct rm_file *base, *head;
    const char *base_name, *head_name; /* file names, or what history calls the runs */
};

void cmpr_text(const struct cmpr_input *in, const struct render_opts *ro, FILE *out);
void cmpr_markdown(const struct cmpr_input *in, const struct render_opts *ro, FILE *out);
void cmpr_json(const struct cmpr_input *in, const struct render_opts *ro, FILE *out);

/* Shared by the renderers. */
/* "abc1234 on host (CPU, 2026-12-01T14:00:00Z)" */
void cmpr_side(const struct rm_file *f, char *buf, size_t len);
/* A median in the metric's unit: "0.1234 s", "1.85x", "5120 KiB"; "-" for NAN. */
void cmpr_value(enum cmp_metric m, double v, char *buf, size_t len);
/* A cmp_change_pct: "+12.0% (worse)", "-8.0% (better)", "+0.0%", "-" for NAN. */
void cmpr_change(double pct, char *buf, size_t len);
/* The line under a table that says what the change means. */
#define CMPR_CHANGE_NOTE                                                                           \
    "change: head against base in cost, the same direction for every metric (+ is worse; for "     \
    "speed-up, base / head - 1)"
/* "0.003", "<0.001", "-" */
void cmpr_p(double p, char *buf, size_t len);
/* The verdict, with the repetitions needed for insufficient. */
void cmpr_verdict(const struct cmp_row *row, char *buf, size_t len);
/* "5 pairs: 3 same, 1 slower, 1 ~; 1 regression" */
void cmpr_summary(const struct cmp_result *r, char *buf, size_t len);

#endif
