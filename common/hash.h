#ifndef CONCBENCH_HASH_H
#define CONCBENCH_HASH_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a, 64 bits: the digest of task results (cpu_bound's power, io_bound's bodies) and of a
 * repetition's task digests. Not cryptographic: it only has to catch a wrong result. */

#define HASH_FNV1A_INIT 1469598103934665603ULL /* FNV-1a 64 offset basis */

/* FNV-1a 64 over data, continuing from h. */
static inline uint64_t hash_fnv1a(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL; /* FNV 64 prime */
    }
    return h;
}

#endif
