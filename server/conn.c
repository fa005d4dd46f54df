/* One connection: every accepted socket is a struct conn with three handles (the TCP stream, an
 * idle timer and a delay timer). Parsed requests go to a per-connection FIFO and are answered
 * strictly in order; a request's delay counts from its arrival, so pipelined delays overlap. Only
 * the request at the head of the FIFO has a response in progress. */
#include <stdlib.h>
#include <unistd.h>

#include "server/server_internal.h"

#define MAX_QUEUED 64   /* parsed requests waiting per connection before reading pauses */
#define LINGER_MS  2000 /* after a closing response: wait this long for the client's EOF */

static void on_idle(uv_timer_t *t);
static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf);
static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);
static void conn_advance(struct conn *c);

/* (Re)arms the idle timer after any activity, except while the connection only waits for the
 * head request's delay. */
void conn_touch(struct conn *c)
{
    if (c->closing || c->lingering)
        return;
    if (c->head != NULL && !c->resp_active && c->inflight == 0)
        uv_timer_stop(&c->idle); /* waiting for our own delay, not for the client */
    else
        uv_timer_start(&c->idle, on_idle, c->srv->idle_ms, 0);
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
    uv_timer_stop(&c->delay);
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
    if (c->eof) { /* half-closed client: it got the response in progress, and that is all */
        conn_close(c);
        return;
    }
    if (!c->reading && !c->no_more && c->nqueued < MAX_QUEUED / 2)
        conn_read_start(c);
    conn_advance(c);
}

static void on_delay(uv_timer_t *t)
{
    conn_advance(t->data);
}

/* Starts the head request's response once its delay is over. */
static void conn_advance(struct conn *c)
{
    if (c->closing || c->lingering)
        return;
    if (c->head != NULL && !c->resp_active) {
        uint64_t now = uv_hrtime();
        struct request *r = c->head;

        if (r->due_ns > now) {
            uint64_t ms = (r->due_ns - now + 999999) / 1000000;

            uv_timer_start(&c->delay, on_delay, ms, 0);
        } else {
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
        if (nread == UV_EOF && !c->lingering && c->resp_active) {
            c->eof = 1; /* finish the response in progress, then close */
            return;
        }
        conn_close(c); /* closed (mid-delay too), reset, or the FIN we waited for */
        return;
    }
    if (c->lingering || c->no_more)
        return; /* discarded */

    request_parse(c, buf->base, (size_t)nread);
    if (c->closing)
        return;
    if (c->no_more || c->nqueued >= MAX_QUEUED)
        conn_read_stop(c);
    conn_advance(c);
}

static void on_idle(uv_timer_t *t)
{
    conn_close(t->data);
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
    srv->nconns--;
    free(c);
}

void conn_close(struct conn *c)
{
    if (c->closing)
        return;
    c->closing = 1;
    c->reading = 0;
    uv_close((uv_handle_t *)&c->tcp, on_conn_handle_closed);
    uv_close((uv_handle_t *)&c->idle, on_conn_handle_closed);
    uv_close((uv_handle_t *)&c->delay, on_conn_handle_closed);
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
    uv_timer_init(&srv->loop, &c->delay);
    c->tcp.data = c->idle.data = c->delay.data = c;
    c->open_handles = 3;
    http_parser_init(&c->parser, HTTP_REQUEST);
    c->parser.data = c;
    c->next = srv->conns;
    if (srv->conns != NULL)
        srv->conns->prev = c;
    srv->conns = c;
    srv->nconns++;
    srv->accepted++;
    if (uv_tcp_open(&c->tcp, fd) < 0) {
        close(fd);
        conn_close(c);
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    uv_timer_start(&c->idle, on_idle, srv->idle_ms, 0);
    conn_read_start(c);
}
