#include "workloads/http_errors.h"

#include <stdio.h>
#include <string.h>

void http_err_closed(char *buf, size_t len, uint64_t got, long long expected)
{
    if (expected >= 0 && (uint64_t)expected > got)
        snprintf(buf, len,
                 "connection closed mid-body: %llu of %lld body bytes received, %llu missing",
                 (unsigned long long)got, expected, (unsigned long long)((uint64_t)expected - got));
    else
        snprintf(buf, len, "connection closed mid-body: %llu body bytes received",
                 (unsigned long long)got);
}

void http_err_timeout(char *buf, size_t len, long ms, uint64_t got, long long expected)
{
    if (expected >= 0)
        snprintf(buf, len, "timed out after %ld ms: %llu of %lld body bytes received", ms,
                 (unsigned long long)got, expected);
    else
        snprintf(buf, len, "timed out after %ld ms: %llu body bytes received", ms,
                 (unsigned long long)got);
}

void http_err_connect(char *buf, size_t len, const char *host, long port, int err)
{
    snprintf(buf, len, "cannot connect to %s port %ld: %s", host, port,
             err != 0 ? strerror(err) : "no reason given");
}
