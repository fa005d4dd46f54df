/* The raw client's blocking face: a non-blocking socket driven by poll, so that one deadline
 * covers connect, send and the whole response. See http_raw.h. */

#include "workloads/http_errors.h"
#include "workloads/http_raw.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/clock.h"

void hraw_sock_init(struct hraw_sock *s)
{
    s->fd = -1;
    s->buf = NULL;
}

void hraw_sock_close(struct hraw_sock *s)
{
    if (s->fd >= 0) {
        hraw_close_with_reset(s->fd); /* between requests, at the task's end: no TIME_WAIT */
        close(s->fd);
    }
    s->fd = -1;
    free(s->buf);
    s->buf = NULL;
}

static void drop_connection(struct hraw_sock *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

/* 1 when fd is ready for events, 0 at the deadline, or -errno. */
static int wait_fd(int fd, short events, double deadline)
{
    for (;;) {
        double left = deadline - clock_now_s();
        if (left <= 0)
            return 0;
        struct pollfd p = {.fd = fd, .events = events};
        int n = poll(&p, 1, (int)(left * 1000.0) + 1);
        if (n > 0)
            return 1;
        if (n < 0 && errno != EINTR)
            return -errno;
    }
}

static int connect_block(struct hraw_sock *s, const struct hraw_target *tg, double deadline,
                         struct hraw_result *res)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        res->sys_errno = errno;
        return hraw_fail(res, -errno, "cannot open a socket: %s", strerror(errno));
    }
    int one = 1; /* as curl: a request is one small write, never held back by Nagle */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    s->fd = fd;
    if (connect(fd, (const struct sockaddr *)&tg->addr, sizeof tg->addr) == 0)
        return 0;
    if (errno != EINPROGRESS)
        return hraw_fail_connect(res, tg, errno);
    int ready = wait_fd(fd, POLLOUT, deadline), err = 0;
    socklen_t len = sizeof err;
    if (ready == 0)
        return hraw_fail_connect(res, tg, ETIMEDOUT);
    if (ready < 0)
        return hraw_fail_connect(res, tg, -ready);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
        err = errno;
    return err != 0 ? hraw_fail_connect(res, tg, err) : 0;
}

static int send_all(int fd, const char *req, size_t n, double deadline, struct hraw_result *res)
{
    while (n > 0) {
        ssize_t w = send(fd, req, n, MSG_NOSIGNAL);
        if (w > 0) {
            req += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EPIPE || errno == ECONNRESET)) { /* closed by the server */
            hraw_fail(res, -EIO, "Send failure: %s", strerror(errno));
            return -ECONNRESET;
        }
        if (w < 0 && errno != EAGAIN)
            return hraw_fail(res, -EIO, "Send failure: %s", strerror(errno));
        int ready = wait_fd(fd, POLLOUT, deadline);
        if (ready <= 0)
            return ready == 0 ? -ETIMEDOUT
                              : hraw_fail(res, -EIO, "Send failure: %s", strerror(-ready));
    }
    return 0;
}

/* Reads until the response is complete. -ECONNRESET (res untouched) when the connection ended
 * before any byte of it: a kept-alive connection the server had closed (send_all says the same
 * when the server's close arrived before the request left). */
static int read_response(struct hraw_sock *s, struct hraw_resp *r, double deadline)
{
    for (;;) {
        ssize_t n = recv(s->fd, s->buf, HRAW_BLOCK_BUF, 0);
        if (n > 0) {
            int rc = hraw_resp_feed(r, s->buf, (size_t)n);
            if (rc != 0)
                return rc < 0 ? r->res->status : 0;
            continue;
        }
        if (n == 0 || (errno == ECONNRESET && r->seen == 0)) {
            if (r->seen == 0)
                return -ECONNRESET;
            return hraw_resp_eof(r) == 1 ? 0 : r->res->status;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN)
            return hraw_fail(r->res, -EIO, "Recv failure: %s", strerror(errno));
        int ready = wait_fd(s->fd, POLLIN, deadline);
        if (ready == 0)
            return -ETIMEDOUT;
        if (ready < 0)
            return hraw_fail(r->res, -EIO, "Recv failure: %s", strerror(-ready));
    }
}

/* One attempt over s's connection (opened first when there is none). */
static int attempt(struct hraw_sock *s, const struct hraw_target *tg, const char *req, size_t n,
                   struct hraw_resp *r, double deadline)
{
    int rc = 0;
    if (s->fd < 0 && (rc = connect_block(s, tg, deadline, r->res)) != 0)
        return rc;
    rc = send_all(s->fd, req, n, deadline, r->res);
    if (rc == 0)
        rc = read_response(s, r, deadline);
    return rc;
}

int hraw_get_block(struct hraw_sock *s, const struct hraw_target *tg, const char *path,
                   const struct hraw_options *opt, struct hraw_result *res)
{
    char req[512];
    struct hraw_resp r;
    double t0 = clock_now_s(), deadline = t0 + (double)opt->timeout_ms / 1000.0;
    int n = hraw_request(req, sizeof req, tg, path, opt->reuse);

    hraw_resp_begin(&r, opt, res);
    if (n < 0)
        return hraw_fail(res, -EINVAL, "URL too long for the raw client");
    if (s->buf == NULL && (s->buf = malloc(HRAW_BLOCK_BUF)) == NULL)
        return hraw_fail(res, -ENOMEM, "out of memory");
    int reused = s->fd >= 0;
    int rc = attempt(s, tg, req, (size_t)n, &r, deadline);
    if (rc == -ECONNRESET && reused) { /* the server closed it while idle: once more, afresh */
        drop_connection(s);
        hraw_resp_begin(&r, opt, res);
        rc = attempt(s, tg, req, (size_t)n, &r, deadline);
    }
    if (rc == -ECONNRESET)
        rc = res->status != 0 ? res->status : hraw_fail(res, -EIO, HTTP_ERR_EMPTY);
    else if (rc == -ETIMEDOUT && res->status == 0)
        rc = hraw_fail_timeout(res, &r, opt->timeout_ms);
    if (rc != 0 || !opt->reuse || !r.keep_alive)
        drop_connection(s);
    return rc;
}
