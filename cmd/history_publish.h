#ifndef CONCBENCH_CMD_HISTORY_PUBLISH_H
#define CONCBENCH_CMD_HISTORY_PUBLISH_H

#include "cmd/compare_opts.h"

/* What `history publish` takes besides the database: the folder, a machine and branch to keep
 * (NULL: all), the gate's window and minimum. */
struct history_publish_opts {
    const char *dir, *machine, *branch;
    int window, min_window;
};

/* `concbench history publish -o DIR`: the history as a static site (report/publish.h). The exit
 * status: 0, 1 the database cannot be read or a page written, 2 bad usage. */
int history_publish(const char *db, const struct history_publish_opts *po, const struct cmpo *o);

#endif
