#ifndef CONCBENCH_CPULIST_H
#define CONCBENCH_CPULIST_H

/* CPU lists as the kernel writes them ("0", "0-3", "0,2-3"): parsing, and pinning this process
 * to one (its threads and the children it forks after that inherit the mask). */

#include <stddef.h>

/* How many CPUs text names, each checked to be one this process may use now; -1 with a message
 * that says which CPUs are valid. */
int cpulist_count(const char *text, char *err, size_t errlen);

/* Pins the calling process to the CPUs of text (sched_setaffinity); 0 or -1 with a message. */
int cpulist_pin(const char *text, char *err, size_t errlen);

#endif
