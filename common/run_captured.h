#ifndef CONCBENCH_RUN_CAPTURED_H
#define CONCBENCH_RUN_CAPTURED_H

/* Running another program, the Python interpreter of the reference variants, with its output
 * captured, so that it can neither print into concbench's output nor outlive a timeout or a
 * Ctrl-C. */

#include <stddef.h>

/* Runs argv (argv[0] = the interpreter) with stdout and stderr captured, in its own process
 * group, killed after timeout_s or on SIGINT/SIGTERM while stop_signals_catch is in force.
 * Returns the exit status, 128+signal, -1 on timeout, -2 when interrupted, 127 when it could not
 * be started. *out and *errout (the end of stderr) are the caller's to free. */
int run_captured(char *const argv[], int timeout_s, char **out, char **errout);

/* The last line of a text (a traceback's verdict), trimmed. */
void last_line(const char *text, char *out, size_t len);

#endif
