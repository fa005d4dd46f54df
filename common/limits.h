#ifndef CONCBENCH_LIMITS_H
#define CONCBENCH_LIMITS_H

/* Resource limits: raising the open-files limit, and naming the limit (with its value) that most
 * likely made a thread, process, socket or mapping fail, so that a reader knows what to raise. */

#include <stddef.h>

/* Raises the RLIMIT_NOFILE soft limit to the hard limit (to fs.nr_open when the hard limit is
 * unlimited). Fills *before and *after (may be NULL). Returns 0 (also when nothing was to be
 * raised) or a negative errno. */
int limits_raise_nofile(unsigned long long *before, unsigned long long *after);

/* The limit behind err from creating a resource, e.g. "open files limit: RLIMIT_NOFILE=64" for
 * EMFILE, "address space: RLIMIT_AS=512 MiB (500 MiB in use)" for ENOMEM under ulimit -v; "" when
 * err is not a limit. */
void limits_hint(int err, char *buf, size_t len);

/* text, then that limit in parentheses when there is one: "too many open files (open files limit:
 * RLIMIT_NOFILE=64, ulimit -n)". Returns buf. */
const char *limits_explain(int err, const char *text, char *buf, size_t len);

/* pthread_create's EAGAIN means either no memory for the new thread's stack (RLIMIT_AS, or the
 * memory maps) or too many threads (RLIMIT_NPROC, kernel.threads-max, kernel.pid_max). Tells
 * them apart by mapping stack_bytes as the thread library would, and names the one in force. */
void limits_thread_hint(size_t stack_bytes, char *buf, size_t len);

/* How many more threads and processes the machine can hold before kernel.pid_max (or
 * kernel.threads-max, the smaller) runs out, less the ones that exist now (/proc/loadavg) and a
 * margin kept for everyone else; why names the limit, its value and the count. -1 when unknown.
 * A caller can then leave out what would take every pid of a shared machine. */
long long limits_task_headroom(long long margin, char *why, size_t len);

/* MemAvailable of /proc/meminfo in KiB, or -1. */
double limits_mem_available_kib(void);

#endif
