#ifndef CONCBENCH_HTTP_ERRORS_H
#define CONCBENCH_HTTP_ERRORS_H

#include <stddef.h>
#include <stdint.h>

/* concbench's own words for the failures both io_bound clients (curl and raw) can meet, so a
 * message says the same thing whichever client ran and whichever curl version is installed:
 * a reader (or a script) matches the kind and the byte counts, never one library's phrasing.
 * Each writes into buf, cut to len. `expected` < 0 means the length was not announced. */

/* "connection closed mid-body: 1000 of 3000 body bytes received, 2000 missing" */
void http_err_closed(char *buf, size_t len, uint64_t got, long long expected);
/* "timed out after 300 ms: 1000 of 1100 body bytes received" */
void http_err_timeout(char *buf, size_t len, long ms, uint64_t got, long long expected);
/* "cannot connect to 127.0.0.1 port 1: Connection refused" */
void http_err_connect(char *buf, size_t len, const char *host, long port, int err);

#define HTTP_ERR_EMPTY "empty reply from server"

#endif
