/* The raw client's libuv face. A connection ("link": the TCP handle and its requests) reads for
 * its whole life, so a request on a kept-alive connection is one write and the reads of its
 * response: no epoll_ctl, no poll, no handle created. A link the server closes, or one that
 * failed, is closed and forgotten; the next request opens a new one. See http_raw.h. */

#include "common/container_of.h"
#include "workloads/http_errors.h"
#include "workloads/http_raw.h"
#include "workloads/uv_deadline_list.h"

#include <errno.h>
#include <stddef.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct hraw_link {
    uv_tcp_t tcp;          /* tcp.data = this */
    struct hraw_uv *owner; /* NULL once closing: late callbacks see that and return */
    int connected;
};

/* The rest of a request that the socket could not take at once (a connect still under way, a
 * full send buffer: rare on loopback), held for libuv until written. Allocated only then: a
 * connection's own state stays small, which is a page fault less for every few tasks. */
struct hraw_pending {
    uv_write_t req;
    char bytes[];
};

#define HRAW_REQ_MAX 256 /* a request's line and headers */

/* What the connections of one loop share. */
struct hraw_uv_shared {
    uv_loop_t *loop;
    struct udl_list deadlines; /* of the requests under way */
    int closed;
    char wbuf[HRAW_REQ_MAX]; /* the request being sent: start_request formats it */
    char rbuf[HRAW_UV_RBUF]; /* every read is consumed before the next */
};

struct hraw_uv {
    struct hraw_uv_shared *sh;
    struct deadline_item deadline; /* in sh->deadlines while a request is under way */
    struct hraw_link *link;
    const struct hraw_target *tg;
    const struct hraw_options *opt;
    hraw_uv_done_fn done;
    struct hraw_resp resp;
    struct hraw_result res;
    uint64_t started_ms; /* uv_now when the request began */
    int busy;            /* a request is under way */
    int retried;         /* this request already replaced a connection the server had closed */
    const char *path;    /* of the request under way (the caller's, until done) */
};

static void link_closed(uv_handle_t *h)
{
    free(h->data);
}

static void link_close(struct hraw_uv *c)
{
    struct hraw_link *l = c->link;
    if (l == NULL)
        return;
    c->link = NULL;
    l->owner = NULL;
    uv_close((uv_handle_t *)&l->tcp, link_closed);
}

/* Ends the request under way: done is the last thing that touches c (it may start the next
 * request or free c). */
static void finish(struct hraw_uv *c, int ok)
{
    udl_remove(&c->sh->deadlines, &c->deadline);
    c->busy = 0;
    if (!ok || !c->opt->reuse || !c->resp.keep_alive)
        link_close(c);
    c->done(c->opt->arg, &c->res);
}

static int start_request(struct hraw_uv *c);

/* The connection ended before any byte of the response: on a kept-alive connection the server
 * had closed it meanwhile, so try once more on a new one, as curl does. */
static int retry_fresh(struct hraw_uv *c)
{
    link_close(c);
    if (c->retried)
        return 0;
    c->retried = 1;
    if (start_request(c) != 0)
        finish(c, 0);
    return 1;
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    struct hraw_link *l = h->data;
    *buf = uv_buf_init(l->owner != NULL ? l->owner->sh->rbuf : NULL, l->owner ? HRAW_UV_RBUF : 0);
}

/* A link that never got connected: its first error is the connection's (refused, unreachable),
 * worded as curl words a failed connect, and not worth a retry. */
static void link_never_connected(struct hraw_uv *c, int uv_err)
{
    hraw_fail_connect(&c->res, c->tg, -uv_err);
    finish(c, 0);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    struct hraw_link *l = s->data;
    struct hraw_uv *c = l->owner;
    long n;
    int rc;

    if (c == NULL || nread == 0)
        return;
    if (!c->busy) { /* data or a close while idle: the connection is not fit for reuse */
        link_close(c);
        return;
    }
    if (!l->connected && nread < 0 && nread != UV_EOF) {
        link_never_connected(c, (int)nread);
        return;
    }
    l->connected = 1;
    n = nread == UV_EOF ? 0 : (long)nread; /* libuv's codes are -errno but its end */
    if (hraw_resp_fresh(&c->resp, n) && retry_fresh(c))
        return;
    if ((rc = hraw_resp_read(&c->resp, buf->base, n)) != 0)
        finish(c, rc > 0);
}

static void on_written(uv_write_t *w, int status)
{
    struct hraw_link *l = w->handle->data;
    struct hraw_uv *c = l->owner;
    free(container_of(w, struct hraw_pending, req));
    if (c == NULL)
        return;
    if (status == 0) {
        l->connected = 1;
        return;
    }
    if (!l->connected) {
        link_never_connected(c, status);
        return;
    }
    if (!retry_fresh(c)) {
        hraw_fail(&c->res, -EIO, "Send failure: %s", uv_strerror(status));
        finish(c, 0);
    }
}

/* Sends the request, its len bytes in the loop's wbuf: one write syscall, libuv's queue only
 * when the socket cannot take it at once (still connecting, or full). 0, or a negative uv error. */
static int send_request(struct hraw_uv *c, int len)
{
    char *req = c->sh->wbuf;
    uv_buf_t b = uv_buf_init(req, (unsigned)len);
    uv_stream_t *s = (uv_stream_t *)&c->link->tcp;
    int n = uv_try_write(s, &b, 1);
    if (n > 0)
        c->link->connected = 1; /* the kernel took bytes: the connection is up */
    if (n == len)
        return 0;
    if (n < 0 && n != UV_EAGAIN)
        return n;
    n = n > 0 ? n : 0;
    struct hraw_pending *p = malloc(sizeof *p + (size_t)(len - n));
    if (p == NULL)
        return UV_ENOMEM;
    memcpy(p->bytes, req + n, (size_t)(len - n));
    b = uv_buf_init(p->bytes, (unsigned)(len - n));
    /* The rest waits for the socket: once it goes, it must not wait for an ACK too (Nagle). A
     * request in one write never does, as nothing of ours is unacknowledged then. */
    uv_tcp_nodelay(&c->link->tcp, 1);
    int rc = uv_write(&p->req, s, &b, 1, on_written);
    if (rc != 0)
        free(p);
    return rc;
}

/* Opens a link and sends the request at once: written straight away when the connection is
 * already up (loopback), else queued by libuv until the socket is writable. Not waiting for a
 * connect callback saves the loop a round per connection (an epoll event, a getsockopt, an
 * epoll_ctl), and the first requests leave while later tasks still connect. A connection that
 * fails later shows as the write's or the read's error while not `connected`
 * (link_never_connected). */
static int open_link(struct hraw_uv *c, int len)
{
    struct hraw_link *l = calloc(1, sizeof *l);
    if (l == NULL)
        return hraw_fail(&c->res, -ENOMEM, "out of memory");
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) { /* EMFILE shows here */
        int err = errno;
        free(l);
        c->res.sys_errno = err;
        return hraw_fail(&c->res, -err, "cannot open a socket: %s", strerror(err));
    }
    uv_tcp_init(c->sh->loop, &l->tcp);
    l->tcp.data = l;
    l->owner = c;
    c->link = l;
    uv_unref((uv_handle_t *)&l->tcp);  /* an idle kept-alive link never holds the loop */
    int rc = uv_tcp_open(&l->tcp, fd); /* libuv's uv_tcp_connect would hold the request back */
    if (rc != 0)
        close(fd); /* not the handle's: its close leaves it */
    else if (connect(fd, (const struct sockaddr *)&c->tg->addr, sizeof c->tg->addr) != 0 &&
             errno != EINPROGRESS)
        rc = uv_translate_sys_error(errno);
    if (rc == 0)
        rc = uv_read_start((uv_stream_t *)&l->tcp, on_alloc, on_read);
    if (rc == 0)
        rc = send_request(c, len);
    if (rc != 0) {
        link_close(c);
        return hraw_fail_connect(&c->res, c->tg, -rc);
    }
    return 0;
}

/* Formats the request into the loop's wbuf (again for a retry: another connection may have
 * used it since) and sends it, on the kept-alive connection or a new one. */
static int start_request(struct hraw_uv *c)
{
    hraw_resp_begin(&c->resp, c->opt, &c->res);
    int len = hraw_request(c->sh->wbuf, HRAW_REQ_MAX, c->tg, c->path, c->opt->reuse);
    if (len < 0)
        return hraw_fail(&c->res, -EINVAL, "URL too long for the raw client");
    if (c->link == NULL)
        return open_link(c, len);
    int rc = send_request(c, len);
    if (rc == 0)
        return 0;
    link_close(c); /* closed by the server while idle: a new connection */
    return open_link(c, len);
}

static void on_timeout(struct deadline_item *it)
{
    struct hraw_uv *c = container_of(it, struct hraw_uv, deadline);
    if (c->link != NULL && !c->link->connected)
        hraw_fail_connect(&c->res, c->tg, ETIMEDOUT);
    else
        hraw_fail_timeout(&c->res, &c->resp, c->opt->timeout_ms);
    finish(c, 0);
}

struct hraw_uv_shared *hraw_uv_shared_new(uv_loop_t *loop)
{
    struct hraw_uv_shared *sh = malloc(sizeof *sh);
    if (sh == NULL)
        return NULL;
    sh->loop = loop;
    sh->closed = 0;
    udl_init(&sh->deadlines, loop, on_timeout);
    return sh;
}

static void shared_closed(uv_handle_t *h)
{
    container_of(h->data, struct hraw_uv_shared, deadlines)->closed = 1;
}

void hraw_uv_shared_free(struct hraw_uv_shared *sh)
{
    if (sh == NULL)
        return;
    udl_close(&sh->deadlines, shared_closed);
    while (!sh->closed) /* a closing handle's callback runs at the end of a loop iteration */
        uv_run(sh->loop, UV_RUN_NOWAIT);
    free(sh);
}

struct hraw_uv *hraw_uv_new(struct hraw_uv_shared *sh, const struct hraw_target *tg,
                            const struct hraw_options *opt, hraw_uv_done_fn done)
{
    struct hraw_uv *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->sh = sh;
    c->tg = tg;
    c->opt = opt;
    c->done = done;
    return c;
}

int hraw_uv_get(struct hraw_uv *c, const char *path, struct hraw_result *res)
{
    memset(res, 0, sizeof *res);
    c->path = path;
    c->retried = 0;
    c->started_ms = uv_now(c->sh->loop);
    int rc = start_request(c);
    if (rc != 0) {
        *res = c->res;
        return rc;
    }
    c->busy = 1;
    udl_add(&c->sh->deadlines, &c->deadline, (uint64_t)c->opt->timeout_ms);
    return 0;
}

void hraw_uv_free(struct hraw_uv *c)
{
    uv_os_fd_t fd;
    if (c == NULL)
        return;
    if (c->link != NULL && c->link->connected && !c->busy &&
        uv_fileno((uv_handle_t *)&c->link->tcp, &fd) == 0)
        hraw_close_with_reset(fd); /* the task is over: no TIME_WAIT left behind */
    link_close(c);
    udl_remove(&c->sh->deadlines, &c->deadline);
    free(c);
}
