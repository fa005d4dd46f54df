#ifndef CONCBENCH_HISTORY_INTERNAL_H
#define CONCBENCH_HISTORY_INTERNAL_H

/* What the history files share. */

#include "analysis/history.h"

/* "PATH: what: sqlite's message" into err; returns -1. */
int histi_fail(struct hist *h, char *err, size_t errlen, const char *what);
/* Runs SQL without results; 0 or -1 with a message. */
int histi_exec(struct hist *h, const char *sql, char *err, size_t errlen);

#endif
