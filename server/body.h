#ifndef CONCBENCH_BODY_H
#define CONCBENCH_BODY_H

#include <stddef.h>
#include <stdint.h>

#include "common/hash.h"

/* The embedded server's response body is a pure function of the byte offset, so a client can
 * check every byte it receives without the server sending a checksum. */

static inline unsigned char body_byte(uint64_t offset)
{
    /* Lowercase letters whose phase shifts every 26 bytes: a dropped, repeated or shifted block
     * changes the digest. */
    return (unsigned char)('a' + (offset + offset / 26) % 26);
}

/* body_byte depends only on offset % 26 and (offset / 26) % 26: the body repeats every 676 bytes.
 */
#define BODY_PERIOD 676

/* 1 when data equals the body's bytes from offset on. Compares whole runs with memcmp against
 * the repeating pattern, so a client checks every byte at memory speed (server/body.c). */
int body_matches(uint64_t offset, const void *data, size_t len);

/* Digest of the first n bytes of the deterministic body. */
static inline uint64_t body_digest_expected(uint64_t n)
{
    uint64_t h = HASH_FNV1A_INIT;
    for (uint64_t i = 0; i < n; i++) {
        unsigned char c = body_byte(i);
        h = hash_fnv1a(h, &c, 1);
    }
    return h;
}

#endif
