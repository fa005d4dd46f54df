#include "common/bulk_alloc.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#define BULK_HUGE ((size_t)2 << 20)

void *bulk_alloc(size_t bytes)
{
    void *p;

    if (bytes == 0)
        bytes = 1;
    p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    if (bytes >= BULK_HUGE)
        madvise(p, bytes, MADV_HUGEPAGE); /* a hint: without THP the pages stay small */
    bulk_prefault(p, bytes);
    return p;
}

void bulk_free(void *p, size_t bytes)
{
    if (p != NULL)
        munmap(p, bytes == 0 ? 1 : bytes);
}

void bulk_prefault(void *p, size_t bytes)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = (uintptr_t)p / page * page;

#ifdef MADV_POPULATE_WRITE
    if (madvise((void *)lo, (uintptr_t)p + bytes - lo, MADV_POPULATE_WRITE) == 0)
        return;
#endif
    /* Older kernels: touch one byte per page without changing it. */
    for (volatile char *c = (volatile char *)p; c < (volatile char *)p + bytes; c += page)
        *c = *c;
}
