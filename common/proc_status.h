#ifndef CONCBENCH_PROC_STATUS_H
#define CONCBENCH_PROC_STATUS_H

#include <stddef.h>

/* How a child process ended, from a wait status, in the one wording every message uses:
 * "exited with status 3", "killed by signal 9 (Killed)", "stopped". */
void proc_status_text(int status, char *buf, size_t len);

#endif
