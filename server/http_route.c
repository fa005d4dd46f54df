/* Routing: a request's method and path become its response (status, text or body length, and
 * delay). Pure: no I/O, no clock. The paths and their bounds are listed in server.h. */
#include <string.h>

#include "server/server.h"
#include "server/server_internal.h"

/* Parses a decimal number at *p (digits only, at least one). Returns 0 and sets *v (capped just
 * above max, so that a huge number is still "out of range"), or -1. */
static int parse_num(const char **p, const char *end, uint64_t max, uint64_t *v)
{
    const char *s = *p;
    uint64_t x = 0;

    if (s == end || *s < '0' || *s > '9')
        return -1;
    while (s < end && *s >= '0' && *s <= '9') {
        x = x * 10 + (uint64_t)(*s - '0');
        if (x > max)
            x = max + 1;
        s++;
    }
    *p = s;
    *v = x;
    return 0;
}

static int has_prefix(const char **p, const char *end, const char *prefix)
{
    size_t n = strlen(prefix);

    if ((size_t)(end - *p) < n || memcmp(*p, prefix, n) != 0)
        return 0;
    *p += n;
    return 1;
}

void http_route(struct request *r, int method, const char *path, size_t path_len, int path_overflow)
{
    const char *p = path, *end = path + path_len;
    uint64_t a, b;

    if (method != HTTP_GET && method != HTTP_HEAD) {
        request_set_text(r, 405, "method not allowed: only GET and HEAD\n");
        r->allow = 1;
        return;
    }
    if (path_overflow) {
        request_set_text(r, 404, "not found\n");
        return;
    }
    if (path_len == 7 && memcmp(p, "/health", 7) == 0) {
        request_set_text(r, 200, "ok\n");
        return;
    }
    if (has_prefix(&p, end, "/delay/")) {
        if (parse_num(&p, end, SERVER_MAX_DELAY_MS, &a) < 0 || !has_prefix(&p, end, "/bytes/") ||
            parse_num(&p, end, (uint64_t)SERVER_MAX_BYTES, &b) < 0 || p != end) {
            request_set_text(r, 400, "bad request: expected /delay/<ms>/bytes/<n>\n");
            return;
        }
        if (a > SERVER_MAX_DELAY_MS) {
            request_set_text(r, 400, "bad request: delay must be 0..600000 ms\n");
            return;
        }
        if (b > (uint64_t)SERVER_MAX_BYTES) {
            request_set_text(r, 400, "bad request: bytes must be 0..67108864\n");
            return;
        }
        r->kind = REQ_BODY;
        r->status = 200;
        r->nbytes = b;
        r->due_ns += a * 1000000;
        return;
    }
    if (has_prefix(&p, end, "/status/")) {
        if (parse_num(&p, end, 999, &a) < 0 || p != end) {
            request_set_text(r, 400, "bad request: expected /status/<code>\n");
            return;
        }
        if (a < 200 || a > 599) {
            request_set_text(r, 400, "bad request: status must be 200..599\n");
            return;
        }
        request_set_text(r, (int)a, NULL);
        r->no_body = a == 204 || a == 304;
        return;
    }
    request_set_text(r, 404, "not found\n");
}
