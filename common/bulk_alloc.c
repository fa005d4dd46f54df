#include "common/bulk_alloc.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#define BULK_HUGE ((size_t)2 << 20)

/* A mapping of bytes starting on a BULK_HUGE boundary: the kernel only backs whole, aligned
 * 2 MiB ranges with huge pages, so an unaligned 5 MiB array would get one or two of them and
 * 4 KiB pages for the rest. Maps BULK_HUGE more and returns the unused ends. */
static void *map_huge_aligned(size_t bytes)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t len = (bytes + page - 1) / page * page; /* munmap takes page boundaries */
    char *p =
        mmap(NULL, len + BULK_HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *start;
    size_t head;

    if (p == MAP_FAILED)
        return NULL;
    start = (char *)(((uintptr_t)p + BULK_HUGE - 1) / BULK_HUGE * BULK_HUGE);
    head = (size_t)(start - p);
    if (head > 0)
        munmap(p, head);
    munmap(start + len, BULK_HUGE - head);
    madvise(start, len, MADV_HUGEPAGE); /* a hint: without THP the pages stay small */
    return start;
}

void *bulk_alloc(size_t bytes)
{
    void *p;

    if (bytes == 0)
        bytes = 1;
    if (bytes >= BULK_HUGE) {
        p = map_huge_aligned(bytes);
    } else {
        p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        p = p == MAP_FAILED ? NULL : p;
    }
    if (p == NULL)
        return NULL;
    bulk_prefault(p, bytes);
    return p;
}

size_t bulk_round(size_t bytes)
{
    size_t unit = bytes >= BULK_HUGE ? BULK_HUGE : (size_t)sysconf(_SC_PAGESIZE);

    return (bytes + unit - 1) / unit * unit;
}

void bulk_free(void *p, size_t bytes)
{
    if (p != NULL)
        munmap(p, bytes == 0 ? 1 : bytes);
}

void bulk_prefault(void *p, size_t bytes)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *lo = (char *)((uintptr_t)p / page * page), *end = (char *)p + bytes;

#ifdef MADV_POPULATE_WRITE
    madvise(lo, (size_t)(end - lo), MADV_POPULATE_WRITE); /* one call, not a fault per page */
#endif
    /* A write from user space to every page as well: where the kernel runs as a guest with
     * shadow page tables, a populated 4 KiB page still traps to the hypervisor at its first
     * user access (20-40 us each on the machine of docs/design-notes.md's figures). An atomic
     * OR of 0, so that a concurrent writer to a shared page loses nothing. */
    __atomic_fetch_or((char *)p, 0, __ATOMIC_RELAXED);
    for (char *c = lo + page; c < end; c += page)
        __atomic_fetch_or(c, 0, __ATOMIC_RELAXED);
}
