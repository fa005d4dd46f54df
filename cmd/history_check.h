#ifndef CONCBENCH_CMD_HISTORY_CHECK_H
#define CONCBENCH_CMD_HISTORY_CHECK_H

#include "cmd/compare_opts.h"

/* What `history check` takes besides the database and the file: the window's size and minimum,
 * a machine and branch (NULL: the file's). */
struct history_check_opts {
    int window, min_window;
    const char *machine, *branch;
};

/* `concbench history check FILE`: each case of FILE against its window of the history
 * (analysis/history_check.h) in the metric of o, rendered in o's format. The exit status of
 * compare: 0, 1 input, 2 usage, 3 a regression. */
int history_check(const char *db, const char *file, const struct history_check_opts *co,
                  const struct cmpo *o);

/* 0 when the history keeps metric m (analysis/history.h: hist_keeps_metric); else says which
 * metrics it keeps, for the subcommand sub, and returns 2. */
int history_metric_usable(const char *sub, enum cmp_metric m);

#endif
