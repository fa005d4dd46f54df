/* io_bound with client=raw: the lean keep-alive client of http_raw.h, on blocking sockets or on
 * the loop's libuv streams, its results judged as curl's are. */

#include <errno.h>

#include "workloads/io_internal.h"
#ifdef CONCBENCH_HAVE_URING
#include "workloads/http_raw_uring.h"
#endif

/* The raw client's request that just ended. */
static int finish_raw(struct io_task *s, struct task_ctx *t, const struct hraw_result *res)
{
    if (res->status != 0 && res->sys_errno != 0)
        return ioi_fail_socket(s, t, res->sys_errno);
    if (res->status != 0)
        return ioi_fail_request(t, s->url, res->status, "%s", res->text);
    return ioi_judge_response(s, t, res->http_code);
}

/* The request's path, from the origin on, for the raw client. */
static const char *raw_path(const struct io_task *s)
{
    return s->url + s->in->target.origin_len;
}

int ioi_raw_step_block(struct io_task *s, struct task_ctx *t)
{
    struct hraw_result res;
    hraw_get_block(&s->sock, &s->in->target, raw_path(s), &s->ropt, &res);
    return finish_raw(s, t, &res);
}

static void raw_done(void *arg, const struct hraw_result *res)
{
    struct io_task *s = arg;
    struct task_ctx *t = s->t;
    t->env->done(t, finish_raw(s, t, res));
}

int ioi_raw_step_start(struct io_task *s, struct task_ctx *t, struct io_loop *l)
{
    struct hraw_result res;
    if (s->conn == NULL &&
        (s->conn = hraw_uv_new(l->raw, &s->in->target, &s->ropt, raw_done)) == NULL)
        return ioi_fail_request(t, s->url, -ENOMEM, "out of memory");
    if (hraw_uv_get(s->conn, raw_path(s), &res) != 0)
        return finish_raw(s, t, &res);
    return 0;
}

#ifdef CONCBENCH_HAVE_URING
int ioi_raw_step_uring(struct io_task *s, struct task_ctx *t, struct hraw_ur_ring *r)
{
    struct hraw_result res;
    if (s->uconn == NULL && (s->uconn = hraw_ur_new(r, &s->in->target, &s->ropt, raw_done)) == NULL)
        return ioi_fail_request(t, s->url, -ENOMEM, "out of memory");
    if (hraw_ur_get(s->uconn, raw_path(s), &res) != 0)
        return finish_raw(s, t, &res);
    return 0;
}

void ioi_raw_uring_fini(struct io_task *s)
{
    hraw_ur_free(s->uconn);
    s->uconn = NULL;
}
#endif
