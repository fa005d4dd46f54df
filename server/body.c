#include "server/body.h"

#include <string.h>

/* Two periods, so that a period-long run starting at any phase is contiguous. */
static unsigned char pattern[2 * BODY_PERIOD];

__attribute__((constructor)) static void body_pattern_init(void)
{
    for (size_t i = 0; i < sizeof(pattern); i++)
        pattern[i] = body_byte(i);
}

int body_matches(uint64_t offset, const void *data, size_t len)
{
    const unsigned char *p = data;

    while (len > 0) {
        size_t run = len < BODY_PERIOD ? len : BODY_PERIOD;
        if (memcmp(p, pattern + offset % BODY_PERIOD, run) != 0)
            return 0;
        p += run;
        offset += run;
        len -= run;
    }
    return 1;
}
