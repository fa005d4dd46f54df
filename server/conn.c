/* One connection: every accepted socket is a struct conn with two handles (the TCP stream and an
 * idle timer); while its head request waits for its delay it sits in the thread's due queue. Parsed
 * requests go to a per-connection FIFO and are answered strictly in order; a request's delay counts
 * from its arrival, so pipelined delays overlap. Only the request at the head of the FIFO has a
 * response in progress. */
#include <stdlib.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/server_internal.h"

#define MAX_QUEUED 64   /* parsed requests waiting per connection before reading pauses */
#define LINGER_MS  2000 /* after a closing response: wait this long for the client's EOF */

static void on_idle(uv_timer_t *t);
static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf);
static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);

/* (Re)arms the idle timer after any activity, except while the connection only waits for the
 * head request's delay. A request being received also has its deadline, which activity does not
 * move: a client trickling a byte at a time is closed when the deadline passes. */
void conn_touch(struct conn *c)
{
    uint64_t ms = c->srv->idle_ms;
    int arm = !(c->head != NULL && !c->resp_active && c->inflight == 0);

    if (c->closing || c->lingering)
        return;
    if (c->req_deadline_ns != 0 && c->reading) { /* not while we paused reading ourselves */
        uint64_t now = uv_hrtime();
        uint64_t left =
            c->req_deadline_ns > now ? (c->req_deadline_ns - now + 999999) / 1000000 : 0;

        if (!arm || left < ms)
            ms = left;
        arm = 1;
    }
    if (arm)
        uv_timer_start(&c->idle, on_idle, ms, 0);
    else
        uv_timer_stop(&c->idle); /* waiting for our own delay, not for the client */
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
    struct conn *c = req->data;

    if (status < 0 && !c->closing)
        conn_close(c);
}

static void conn_read_start(struct conn *c)
{
    if (c->reading || c->closing || c->eof)
        return;
    if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) < 0) {
        conn_close(c);
        return;
    }
    c->reading = 1;
    if (c->req_deadline_ns != 0) { /* reading was paused by us (queue full): a fresh window */
        uint64_t fresh = uv_hrtime() + c->srv->header_ms * 1000000;

        if (fresh > c->req_deadline_ns)
            c->req_deadline_ns = fresh;
    }
}

static void conn_read_stop(struct conn *c)
{
    if (!c->reading)
        return;
    uv_read_stop((uv_stream_t *)&c->tcp);
    c->reading = 0;
}

/* The last response is out: send FIN, then discard what the client still sends until its EOF (so
 * that unread input does not turn our close into a reset that destroys the response), bounded by
 * LINGER_MS. */
static void conn_finish(struct conn *c)
{
    uint64_t linger = c->srv->idle_ms < LINGER_MS ? c->srv->idle_ms : LINGER_MS;

    if (c->closing || c->lingering)
        return;
    if (c->eof) {
        conn_close(c);
        return;
    }
    c->lingering = 1;
    due_queue_remove(c->srv, c);
    c->shutdown.data = c;
    if (uv_shutdown(&c->shutdown, (uv_stream_t *)&c->tcp, on_shutdown) < 0) {
        conn_close(c);
        return;
    }
    uv_timer_start(&c->idle, on_idle, linger, 0);
    conn_read_start(c);
}

void conn_response_done(struct conn *c)
{
    struct request *r = c->head;
    int keep = r->keep_alive;

    c->head = r->next;
    if (c->head == NULL)
        c->tail = NULL;
    c->nqueued--;
    c->resp_active = 0;
    free(r);
    if (!keep) {
        conn_finish(c);
        return;
    }
    if (c->eof && c->head == NULL) { /* half-closed client: everything it asked is answered */
        conn_close(c);
        return;
    }
    if (!c->reading && !c->no_more && c->nqueued < MAX_QUEUED / 2)
        conn_read_start(c);
    conn_advance(c);
}

/* Starts the head request's response once its delay is over. */
void conn_advance(struct conn *c)
{
    if (c->closing || c->lingering)
        return;
    if (c->head != NULL && !c->resp_active) {
        uint64_t now = uv_hrtime();
        struct request *r = c->head;

        if (r->due_ns > now) {
            due_queue_add(c->srv, c, r->due_ns);
        } else {
            server_late_record(c->srv->st, (now - r->due_ns) / 1000);
            response_build(c, r);
            c->resp_active = 1;
            c->srv->requests++;
            response_pump(c);
            if (c->closing)
                return;
        }
    }
    conn_touch(c);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct conn *c = h->data;

    (void)suggested;
    *buf = uv_buf_init(c->srv->rbuf, sizeof c->srv->rbuf);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    struct conn *c = s->data;

    if (nread == 0 || c->closing)
        return;
    if (nread < 0) {
        c->reading = 0; /* libuv stopped reading on EOF */
        if (nread == UV_EOF && !c->lingering && c->head != NULL) {
            c->eof = 1; /* half-closed: answer what was asked (pipelined too), then close */
            c->req_deadline_ns = 0; /* a partial request can no longer complete */
            conn_touch(c);
            return;
        }
        conn_close(c); /* closed (mid-delay too), reset, or the FIN we waited for */
        return;
    }
    if (c->lingering || c->no_more)
        return; /* discarded */

    c->srv->read_ns = uv_hrtime();
    request_parse(c, buf->base, (size_t)nread);
    if (c->closing)
        return;
    if (c->no_more || c->nqueued >= MAX_QUEUED)
        conn_read_stop(c);
    conn_advance(c);
}

static void on_idle(uv_timer_t *t)
{
    struct conn *c = t->data;

    if (c->req_deadline_ns != 0 && uv_hrtime() >= c->req_deadline_ns)
        c->srv->header_timeouts++;
    conn_close(c);
}

static void on_conn_handle_closed(uv_handle_t *h)
{
    struct conn *c = h->data;
    struct server *srv = c->srv;

    if (--c->open_handles > 0)
        return;
    while (c->head != NULL) {
        struct request *r = c->head;

        c->head = r->next;
        free(r);
    }
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        srv->conns = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    else
        srv->conns_oldest = c->prev;
    srv->nconns--;
    free(c);
}

void conn_close(struct conn *c)
{
    if (c->closing)
        return;
    c->closing = 1;
    c->reading = 0;
    c->srv->nopen--;
    uv_close((uv_handle_t *)&c->tcp, on_conn_handle_closed);
    uv_close((uv_handle_t *)&c->idle, on_conn_handle_closed);
    due_queue_remove(c->srv, c);
}

void conn_new(struct server *srv, int fd)
{
    struct conn *c = calloc(1, sizeof *c);

    if (c == NULL) {
        close(fd);
        return;
    }
    c->srv = srv;
    uv_tcp_init(&srv->loop, &c->tcp);
    uv_timer_init(&srv->loop, &c->idle);
    c->tcp.data = c->idle.data = c;
    c->open_handles = 2;
    http_parser_init(&c->parser, HTTP_REQUEST);
    c->parser.data = c;
    c->next = srv->conns;
    if (srv->conns != NULL)
        srv->conns->prev = c;
    else
        srv->conns_oldest = c;
    srv->conns = c;
    srv->nconns++;
    srv->nopen++;
    c->req_deadline_ns = uv_hrtime() + srv->header_ms * 1000000; /* for the first request */
    srv->accepted++;
    __atomic_store_n(&srv->st->accepted, srv->accepted, __ATOMIC_RELAXED);
    if (uv_tcp_open(&c->tcp, fd) < 0) {
        close(fd);
        conn_close(c);
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    conn_read_start(c);
    conn_touch(c);
}

#define EVICT_SCAN 64 /* connections looked at, from the oldest, for an idle one */

int conn_evict_idle(struct server *srv)
{
    struct conn *c = srv->conns_oldest;

    for (int i = 0; c != NULL && i < EVICT_SCAN; c = c->prev, i++) {
        if (c->closing)
            continue;
        /* between requests (keep-alive), or done and waiting for the client's FIN */
        if (c->head == NULL && (c->lingering || c->req_deadline_ns == 0)) {
            srv->evicted++;
            conn_close(c);
            return 1;
        }
    }
    return 0;
}

void conn_refuse(struct server *srv, int fd)
{
    char body[128], resp[384], drain[4096];
    int blen, n;

    blen = snprintf(body, sizeof body,
                    "busy: %zu connections open, none idle (--max-connections %zu)\n", srv->nopen,
                    srv->max_conns);
    n = snprintf(resp, sizeof resp,
                 "HTTP/1.1 503 Service Unavailable\r\nServer: concbench\r\nConnection: close\r\n"
                 "Retry-After: 1\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s",
                 blen, body);
    srv->refused++;
    if (send(fd, resp, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) > 0)
        shutdown(fd, SHUT_WR);
    /* what the client already sent is read, so that closing does not reset the connection and
     * destroy the 503 before the client reads it */
    while (recv(fd, drain, sizeof drain, MSG_DONTWAIT) > 0)
        ;
    close(fd);
}
