#ifndef CONCBENCH_HISTORY_CHECK_RENDER_H
#define CONCBENCH_HISTORY_CHECK_RENDER_H

/* The renderers of `history check` (analysis/history_check.h): a text table, GitHub-flavoured
 * markdown for $GITHUB_STEP_SUMMARY, and JSON for tools; the same rows in each. */

#include <stdio.h>

#include "analysis/history_check.h"

struct hchkr_input {
    const struct hchk_row *rows;
    int nrows;
    const struct hchk_opts *o;
    const char *metric, *unit;                              /* "wall", "s" */
    const char *head_name, *head_commit, *machine, *branch; /* branch "" when none */
    const char *note; /* what the windows left out and why; NULL when nothing */
};

void hchkr_text(const struct hchkr_input *in, FILE *out);
void hchkr_markdown(const struct hchkr_input *in, FILE *out);
void hchkr_json(const struct hchkr_input *in, FILE *out);

/* The number of rows whose verdict fails the gate. */
int hchkr_regressions(const struct hchkr_input *in);

#endif
