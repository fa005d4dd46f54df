/* io_bound's checks of each response, from either client: the body as it arrives (every byte
 * against server/body.h's pattern, or hashed for the user's URLs), the whole response judged, and
 * the words of a failed request. io_bound.c's io_check validates the task as a whole. */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/limits.h"
#include "server/body.h"
#include "workloads/io_internal.h"

uint64_t ioi_fold_digest(uint64_t acc, uint64_t req)
{
    return (acc << 7 | acc >> 57) ^ req;
}

void ioi_take_body(void *arg, const char *data, size_t len)
{
    struct io_task *s = arg;
    /* Our own server's body is known: compare every byte with the pattern (memcmp speed)
     * rather than hash it, which cost a quarter of the client's CPU at 5,000 tasks. */
    if (s->in->embedded)
        s->intact = s->intact && body_matches(s->got, data, len);
    else
        s->digest = hash_fnv1a(s->digest, data, len);
    s->got += len;
}

int ioi_fail_request(struct task_ctx *t, const char *url, int status, const char *fmt, ...)
{
    char cause[TASK_ERROR_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cause, sizeof cause, fmt, ap);
    va_end(ap);
    int room = TASK_ERROR_LEN - 1 - (int)strlen("GET : ") - (int)strlen(cause);
    if ((int)strlen(url) <= room)
        return task_fail(t->env->table, t->rec, status, "GET %s: %s", url, cause);
    if (room >= 16 + 3)
        return task_fail(t->env->table, t->rec, status, "GET %.*s...: %s", room - 3, url, cause);
    return task_fail(t->env->table, t->rec, status, "%s (GET %s)", cause, url);
}

int ioi_fail_socket(struct io_task *s, struct task_ctx *t, int err)
{
    char why[256];
    return ioi_fail_request(t, s->url, -err, "cannot open a socket: %s",
                            limits_explain(err, strerror(err), why, sizeof why));
}

int ioi_judge_response(struct io_task *s, struct task_ctx *t, long code)
{
    const struct io_instance *in = s->in;
    if (code != 200)
        return ioi_fail_request(t, s->url, -EPROTO, "HTTP %ld", code);
    if (in->embedded && s->got != (uint64_t)in->bytes)
        return ioi_fail_request(t, s->url, -EBADMSG, "%" PRIu64 " body bytes, expected %lld",
                                s->got, in->bytes);
    if (in->embedded && !s->intact)
        return ioi_fail_request(t, s->url, -EBADMSG, "body differs from the expected bytes");
    /* Every byte matched, so the body's digest is the expected one by construction. */
    if (in->embedded)
        s->digest = in->req_digest;
    t->rec->digest = ioi_fold_digest(t->rec->digest, s->digest);
    return 0;
}
