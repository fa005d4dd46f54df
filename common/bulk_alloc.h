#ifndef CONCBENCH_BULK_ALLOC_H
#define CONCBENCH_BULK_ALLOC_H

#include <stddef.h>

/* Zeroed memory for per-task arrays (a million entries) that will be used whole: a mapping of
 * its own, from 2 MiB up aligned to 2 MiB so transparent huge pages (where the kernel allows
 * them) can back all of it, not only the aligned middle, and populated at once: one
 * system call instead of a page fault per 4 KiB (16,000 faults for 64 MB, a third of evloop's
 * time at a million sleepers on this machine, where a fault traps to the hypervisor). Returns
 * NULL with errno set. */
void *bulk_alloc(size_t bytes);
void bulk_free(void *p, size_t bytes);

/* The size at or above bytes that fills what bulk_alloc backs anyway: whole 2 MiB huge pages
 * from 2 MiB up, else whole pages. A caller that packs fixed-size items can fit more in. */
size_t bulk_round(size_t bytes);

/* Faults in every page of [p, p + bytes) for writing now, so the first writes later do not. */
void bulk_prefault(void *p, size_t bytes);

#endif
