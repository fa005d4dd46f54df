/* The embedded latency HTTP server: one libuv loop on one thread, requests parsed with
 * http-parser.
 *
 * Connections: every accepted socket is a struct conn with three handles (the TCP stream, an idle
 * timer and a delay timer). Parsed requests go to a per-connection FIFO and are answered strictly
 * in order; a request's delay counts from its arrival, so pipelined delays overlap. Only the
 * request at the head of the FIFO has a response in progress.
 *
 * Bodies are never allocated per request: body_byte() has period 676 (see body_pattern below), so
 * every chunk of every body is a slice of one shared read-only buffer.
 *
 * Accepting: the listening socket is ours (socket/bind/listen) and watched with a uv_poll_t, so
 * that when accept() fails with EMFILE/ENFILE we can stop watching it for a moment and leave the
 * waiting clients in the kernel's backlog, instead of spinning or dropping them. */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <signal.h>
#include <unistd.h>

#include <http_parser.h>
#include <uv.h>

#include "server/body.h"
#include "server/server.h"

/* body_byte(o) = 'a' + (o % 26 + (o / 26) % 26) % 26 depends only on o % 26 and (o / 26) % 26;
 * adding 26 * 26 to o changes neither, so the body repeats every 676 bytes. */
#define WRITE_CHUNK     (128 * 1024) /* bytes per uv_write of a body */
#define MAX_WRITES      2            /* uv_writes in flight per connection */
#define MAX_QUEUED      64   /* parsed requests waiting per connection before reading pauses */
#define PATH_CAP        128  /* longer paths cannot be one of ours: 404 */
#define HDR_CAP         512  /* response head (plus short text bodies) */
#define LINGER_MS       2000 /* after a closing response: wait this long for the client's EOF */
#define ACCEPT_PAUSE_MS 100  /* accept() out of descriptors: retry after this */
#define ACCEPT_BATCH    256  /* accepts per readiness event */
#define READ_BUF        65536

static unsigned char body_pattern[WRITE_CHUNK + BODY_PERIOD];

enum req_kind { REQ_BODY, REQ_TEXT };

/* A parsed request waiting for (or getting) its response. */
struct request {
    struct request *next;
    uint64_t due_ns;   /* uv_hrtime() from which the response may start */
    uint64_t nbytes;   /* REQ_BODY: body length */
    int kind;          /* enum req_kind */
    int status;        /* HTTP status */
    int head_only;     /* HEAD: the head, no body */
    int keep_alive;    /* 0: close the connection after this response */
    int say_keepalive; /* HTTP/1.0 keep-alive: say so in the response */
    int allow;         /* 405: add an Allow header */
    int no_body;       /* 204/304: neither body nor Content-Length */
    const char *text;  /* REQ_TEXT body (NULL: "status <code>\n") */
};

struct server;

struct conn {
    uv_tcp_t tcp;
    uv_timer_t idle;  /* idle / stalled client; then the linger deadline */
    uv_timer_t delay; /* the head request's delay */
    uv_shutdown_t shutdown;
    http_parser parser;
    struct server *srv;
    struct conn *prev, *next;
    int open_handles;
    unsigned closing : 1;   /* handles are being closed */
    unsigned lingering : 1; /* last response sent, FIN sent, discarding input until EOF */
    unsigned reading : 1;   /* uv_read_start in effect */
    unsigned no_more : 1;   /* no more requests are read (close requested, parse error) */
    unsigned eof : 1;       /* the client sent EOF */
    unsigned resp_active : 1;

    /* the message being parsed */
    char path[PATH_CAP];
    size_t path_len;
    unsigned path_overflow : 1;
    unsigned in_query : 1;
    unsigned saw_header : 1; /* a header field began: the request line is complete */

    /* requests in arrival order; head = the one being answered */
    struct request *head, *tail;
    int nqueued;

    /* the response in progress */
    char hdr[HDR_CAP];
    size_t hdr_len;
    unsigned hdr_pending : 1;
    uint64_t body_off, body_end;
    int inflight;
    uv_write_t wr[MAX_WRITES];
    unsigned char wr_busy[MAX_WRITES];
};

struct server {
    uv_loop_t loop;
    uv_poll_t listen_poll;
    int listen_fd;
    uv_timer_t accept_pause;
    uv_signal_t sigterm, sigint;
    int have_sigint;
    struct conn *conns;
    size_t nconns;
    uint64_t idle_ms;
    int quiet;
    int stopping;
    int fd_limit_logged;
    unsigned long long accepted, requests, accept_pauses;
    char rbuf[READ_BUF]; /* shared: every read is parsed before the next one */
};

static void conn_close(struct conn *c);
static void conn_advance(struct conn *c);
static void conn_pump(struct conn *c);

void server_options_init(struct server_options *o)
{
    memset(o, 0, sizeof *o);
    o->host = SERVER_DEFAULT_HOST;
    o->port = 0;
    o->idle_timeout_ms = SERVER_DEFAULT_IDLE_TIMEOUT_MS;
    o->quiet = 0;
}

/* ---- responses ---------------------------------------------------------------------------- */

static const char *reason_phrase(int status)
{
    const char *s = http_status_str((enum http_status)status);

    if (s == NULL || s[0] == '<') /* "<unknown>" */
        return status < 300 ? "OK" : status < 400 ? "Redirect" : "Error";
    return s;
}

/* Builds the head (and a text body) of the head request's response into c->hdr. */
static void build_response(struct conn *c, const struct request *r)
{
    char textbuf[64];
    const char *text = NULL;
    uint64_t length = 0;
    int n;

    if (r->kind == REQ_BODY) {
        length = r->nbytes;
    } else if (!r->no_body) {
        if (r->text != NULL) {
            text = r->text;
        } else {
            snprintf(textbuf, sizeof textbuf, "status %d\n", r->status);
            text = textbuf;
        }
        length = strlen(text);
    }

    n = snprintf(c->hdr, sizeof c->hdr, "HTTP/1.1 %d %s\r\nServer: concbench\r\n%s%s", r->status,
                 reason_phrase(r->status), r->allow ? "Allow: GET, HEAD\r\n" : "",
                 !r->keep_alive     ? "Connection: close\r\n"
                 : r->say_keepalive ? "Connection: keep-alive\r\n"
                                    : "");
    if (!r->no_body)
        n += snprintf(c->hdr + n, sizeof c->hdr - n, "Content-Type: %s\r\nContent-Length: %llu\r\n",
                      r->kind == REQ_BODY ? "application/octet-stream" : "text/plain",
                      (unsigned long long)length);
    n += snprintf(c->hdr + n, sizeof c->hdr - n, "\r\n");
    if (text != NULL && !r->head_only)
        n += snprintf(c->hdr + n, sizeof c->hdr - n, "%s", text);
    c->hdr_len = (size_t)n < sizeof c->hdr ? (size_t)n : sizeof c->hdr - 1;
    c->hdr_pending = 1;
    c->body_off = 0;
    c->body_end = (r->kind == REQ_BODY && !r->head_only) ? r->nbytes : 0;
}

static void on_idle(uv_timer_t *t);

/* (Re)arms the idle timer after any activity, except while the connection only waits for the
 * head request's delay. */
static void conn_touch(struct conn *c)
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

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);
static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf);

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

static void response_done(struct conn *c)
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

static void on_write(uv_write_t *req, int status)
{
    struct conn *c = req->data;

    c->wr_busy[req - c->wr] = 0;
    c->inflight--;
    if (c->closing)
        return;
    if (status < 0) {
        conn_close(c);
        return;
    }
    conn_touch(c);
    conn_pump(c);
}

/* Queues writes of the response in progress, at most MAX_WRITES at a time. */
static void conn_pump(struct conn *c)
{
    while (!c->closing && c->inflight < MAX_WRITES &&
           (c->hdr_pending || c->body_off < c->body_end)) {
        uv_buf_t bufs[2];
        unsigned nbufs = 0;
        int slot = c->wr_busy[0] ? 1 : 0;

        if (c->hdr_pending) {
            bufs[nbufs++] = uv_buf_init(c->hdr, (unsigned)c->hdr_len);
            c->hdr_pending = 0;
        }
        if (c->body_off < c->body_end) {
            uint64_t left = c->body_end - c->body_off;
            unsigned len = left < WRITE_CHUNK ? (unsigned)left : WRITE_CHUNK;

            bufs[nbufs++] = uv_buf_init((char *)body_pattern + c->body_off % BODY_PERIOD, len);
            c->body_off += len;
        }
        c->wr[slot].data = c;
        if (uv_write(&c->wr[slot], (uv_stream_t *)&c->tcp, bufs, nbufs, on_write) < 0) {
            conn_close(c);
            return;
        }
        c->wr_busy[slot] = 1;
        c->inflight++;
    }
    if (!c->closing && c->resp_active && !c->hdr_pending && c->body_off >= c->body_end &&
        c->inflight == 0)
        response_done(c);
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
            build_response(c, r);
            c->resp_active = 1;
            c->srv->requests++;
            conn_pump(c);
            if (c->closing)
                return;
        }
    }
    conn_touch(c);
}

/* ---- requests ----------------------------------------------------------------------------- */

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

static void set_text(struct request *r, int status, const char *text)
{
    r->kind = REQ_TEXT;
    r->status = status;
    r->text = text;
}

/* Fills r from the path and method of the message just parsed. */
static void route(struct conn *c, struct request *r, int method)
{
    const char *p = c->path, *end = c->path + c->path_len;
    uint64_t a, b;

    if (method != HTTP_GET && method != HTTP_HEAD) {
        set_text(r, 405, "method not allowed: only GET and HEAD\n");
        r->allow = 1;
        return;
    }
    if (c->path_overflow) {
        set_text(r, 404, "not found\n");
        return;
    }
    if (c->path_len == 7 && memcmp(p, "/health", 7) == 0) {
        set_text(r, 200, "ok\n");
        return;
    }
    if (has_prefix(&p, end, "/delay/")) {
        if (parse_num(&p, end, SERVER_MAX_DELAY_MS, &a) < 0 || !has_prefix(&p, end, "/bytes/") ||
            parse_num(&p, end, (uint64_t)SERVER_MAX_BYTES, &b) < 0 || p != end) {
            set_text(r, 400, "bad request: expected /delay/<ms>/bytes/<n>\n");
            return;
        }
        if (a > SERVER_MAX_DELAY_MS) {
            set_text(r, 400, "bad request: delay must be 0..600000 ms\n");
            return;
        }
        if (b > (uint64_t)SERVER_MAX_BYTES) {
            set_text(r, 400, "bad request: bytes must be 0..67108864\n");
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
            set_text(r, 400, "bad request: expected /status/<code>\n");
            return;
        }
        if (a < 200 || a > 599) {
            set_text(r, 400, "bad request: status must be 200..599\n");
            return;
        }
        set_text(r, (int)a, NULL);
        r->no_body = a == 204 || a == 304;
        return;
    }
    set_text(r, 404, "not found\n");
}

static struct request *queue_request(struct conn *c)
{
    struct request *r = calloc(1, sizeof *r);

    if (r == NULL)
        return NULL;
    r->due_ns = uv_hrtime();
    r->keep_alive = 1;
    if (c->tail != NULL)
        c->tail->next = r;
    else
        c->head = r;
    c->tail = r;
    c->nqueued++;
    return r;
}

/* A request that could not be parsed: answered (in order) with status, then the connection
 * closes. */
static void queue_error(struct conn *c, int status, const char *text)
{
    struct request *r = queue_request(c);

    c->no_more = 1;
    if (r == NULL) {
        conn_close(c);
        return;
    }
    set_text(r, status, text);
    r->keep_alive = 0;
}

static int on_message_begin(http_parser *p)
{
    struct conn *c = p->data;

    c->path_len = 0;
    c->saw_header = 0;
    c->path_overflow = 0;
    c->in_query = 0;
    return 0;
}

static int on_url(http_parser *p, const char *at, size_t len)
{
    struct conn *c = p->data;

    for (size_t i = 0; i < len && !c->in_query; i++) {
        if (at[i] == '?' || at[i] == '#') {
            c->in_query = 1;
        } else if (c->path_len < PATH_CAP) {
            c->path[c->path_len++] = at[i];
        } else {
            c->path_overflow = 1;
        }
    }
    return 0;
}

static int on_header_field(http_parser *p, const char *at, size_t len)
{
    struct conn *c = p->data;

    (void)at;
    (void)len;
    c->saw_header = 1;
    return 0;
}

static int on_message_complete(http_parser *p)
{
    struct conn *c = p->data;
    struct request *r;

    if (p->http_major != 1) {
        queue_error(c, 505, "HTTP version not supported: use HTTP/1.x\n");
        http_parser_pause(p, 1);
        return 0;
    }
    r = queue_request(c);
    if (r == NULL) {
        c->no_more = 1;
        http_parser_pause(p, 1);
        return 0;
    }
    r->head_only = p->method == HTTP_HEAD;
    r->keep_alive = http_should_keep_alive(p) && !p->upgrade;
    r->say_keepalive = r->keep_alive && p->http_minor == 0;
    route(c, r, p->method);
    if (!r->keep_alive) {
        c->no_more = 1;
        http_parser_pause(p, 1); /* anything after this request is not read */
    }
    return 0;
}

static const http_parser_settings parser_settings = {
    .on_message_begin = on_message_begin,
    .on_url = on_url,
    .on_header_field = on_header_field,
    .on_message_complete = on_message_complete,
};

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct conn *c = h->data;

    (void)suggested;
    *buf = uv_buf_init(c->srv->rbuf, sizeof c->srv->rbuf);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    struct conn *c = s->data;
    enum http_errno e;

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

    http_parser_execute(&c->parser, &parser_settings, buf->base, (size_t)nread);
    e = HTTP_PARSER_ERRNO(&c->parser);
    if (c->closing)
        return;
    if (e == HPE_HEADER_OVERFLOW) {
        if (!c->saw_header) /* the request line alone is over the limit */
            queue_error(c, 414, "URI too long: limit is 8192 bytes\n");
        else
            queue_error(c, 431, "request header fields too large: limit is 8192 bytes\n");
    } else if (e != HPE_OK && e != HPE_PAUSED) {
        queue_error(c, 400, "bad request\n");
    }
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

static void conn_close(struct conn *c)
{
    if (c->closing)
        return;
    c->closing = 1;
    c->reading = 0;
    uv_close((uv_handle_t *)&c->tcp, on_conn_handle_closed);
    uv_close((uv_handle_t *)&c->idle, on_conn_handle_closed);
    uv_close((uv_handle_t *)&c->delay, on_conn_handle_closed);
}

static void conn_new(struct server *srv, int fd)
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

/* ---- accepting ---------------------------------------------------------------------------- */

static void on_listen_readable(uv_poll_t *h, int status, int events);

static void on_accept_resume(uv_timer_t *t)
{
    struct server *srv = t->data;

    if (!srv->stopping)
        uv_poll_start(&srv->listen_poll, UV_READABLE, on_listen_readable);
}

static void log_fd_limit(struct server *srv, int err)
{
    struct rlimit rl;

    if (srv->fd_limit_logged)
        return;
    srv->fd_limit_logged = 1;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (err == EMFILE)
        fprintf(stderr,
                "concbench serve: warning: accept failed: too many open files (RLIMIT_NOFILE "
                "soft limit %llu, hard limit %llu, %zu connections open); new clients wait in "
                "the listen backlog, accepting is retried every %d ms (logged once)\n",
                (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max, srv->nconns,
                ACCEPT_PAUSE_MS);
    else
        fprintf(stderr,
                "concbench serve: warning: accept failed: %s (system-wide file table full: "
                "see fs.file-max; %zu connections open); accepting is retried every %d ms "
                "(logged once)\n",
                strerror(err), srv->nconns, ACCEPT_PAUSE_MS);
}

static void on_listen_readable(uv_poll_t *h, int status, int events)
{
    struct server *srv = h->data;

    (void)events;
    if (status < 0 || srv->stopping)
        return;
    for (int i = 0; i < ACCEPT_BATCH; i++) {
        int fd = accept4(srv->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

        if (fd >= 0) {
            conn_new(srv, fd);
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
        if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
            continue;
        if (errno == EMFILE || errno == ENFILE)
            log_fd_limit(srv, errno);
        else if (!srv->quiet)
            fprintf(stderr, "concbench serve: accept failed: %s; retrying in %d ms\n",
                    strerror(errno), ACCEPT_PAUSE_MS);
        /* out of descriptors or memory: stop watching the socket for a moment */
        srv->accept_pauses++;
        uv_poll_stop(&srv->listen_poll);
        uv_timer_start(&srv->accept_pause, on_accept_resume, ACCEPT_PAUSE_MS, 0);
        return;
    }
}

/* ---- start and stop ----------------------------------------------------------------------- */

static void on_listen_closed(uv_handle_t *h)
{
    struct server *srv = h->data;

    close(srv->listen_fd);
    srv->listen_fd = -1;
}

static void server_stop_loop(struct server *srv)
{
    if (srv->stopping)
        return;
    srv->stopping = 1;
    uv_close((uv_handle_t *)&srv->sigterm, NULL);
    if (srv->have_sigint)
        uv_close((uv_handle_t *)&srv->sigint, NULL);
    uv_close((uv_handle_t *)&srv->accept_pause, NULL);
    uv_close((uv_handle_t *)&srv->listen_poll, on_listen_closed);
    for (struct conn *c = srv->conns; c != NULL; c = c->next)
        conn_close(c);
}

static void on_signal(uv_signal_t *h, int signum)
{
    struct server *srv = h->data;

    if (!srv->quiet)
        fprintf(stderr, "concbench serve: %s, stopping (%zu connections open)\n", strsignal(signum),
                srv->nconns);
    server_stop_loop(srv);
}

static const char *errtext(int err)
{
    return uv_strerror(uv_translate_sys_error(err));
}

/* Binds and listens; returns the socket, or -1 with a message in err. */
static int listen_on(const char *host, int port, char *addr, size_t addrlen, int *bound_port,
                     char *err, size_t errlen)
{
    struct addrinfo hints, *res, *ai;
    char portstr[16];
    int fd = -1, rc, last_errno = 0;
    const char *what = "bind";

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(portstr, sizeof portstr, "%d", port);
    rc = getaddrinfo(host, portstr, &hints, &res);
    if (rc != 0) {
        snprintf(err, errlen, "cannot resolve host '%s': %s", host,
                 rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        int one = 1;

        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            last_errno = errno;
            what = "create a socket for";
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            if (listen(fd, 65535) == 0)
                break;
            what = "listen on";
        } else {
            what = "bind";
        }
        last_errno = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        if (strchr(host, ':') != NULL)
            snprintf(err, errlen, "cannot %s [%s]:%d: %s", what, host, port, errtext(last_errno));
        else
            snprintf(err, errlen, "cannot %s %s:%d: %s", what, host, port, errtext(last_errno));
        return -1;
    }

    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char num[INET6_ADDRSTRLEN];

    if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0) {
        snprintf(err, errlen, "getsockname: %s", errtext(errno));
        close(fd);
        return -1;
    }
    if (ss.ss_family == AF_INET6) {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;

        inet_ntop(AF_INET6, &a6->sin6_addr, num, sizeof num);
        snprintf(addr, addrlen, "[%s]", num);
        *bound_port = ntohs(a6->sin6_port);
    } else {
        struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;

        inet_ntop(AF_INET, &a4->sin_addr, num, sizeof num);
        snprintf(addr, addrlen, "%s", num);
        *bound_port = ntohs(a4->sin_port);
    }
    return fd;
}

static void raise_fd_limit(int quiet)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= rl.rlim_max)
        return;
    rlim_t old = rl.rlim_cur;

    /* an unlimited hard limit cannot be the soft one (it is capped by fs.nr_open) */
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ? 1048576 : rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
        fprintf(stderr,
                "concbench serve: warning: cannot raise RLIMIT_NOFILE from %llu to %llu: %s\n",
                (unsigned long long)old, (unsigned long long)rl.rlim_max, strerror(errno));
        return;
    }
    if (!quiet)
        fprintf(stderr, "concbench serve: RLIMIT_NOFILE soft limit raised from %llu to %llu\n",
                (unsigned long long)old, (unsigned long long)rl.rlim_cur);
}

static void report(int ready_fd, const char *line)
{
    size_t len = strlen(line), off = 0;

    while (off < len) {
        ssize_t w = write(ready_fd, line + off, len - off);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(ready_fd);
}

static void walk_report(uv_handle_t *h, void *arg)
{
    (void)arg;
    fprintf(stderr, "concbench serve: handle still open at exit: %s\n",
            uv_handle_type_name(uv_handle_get_type(h)));
}

int server_run(const struct server_options *o, int ready_fd, int stop_on_sigint)
{
    struct server_options def;
    struct server *srv;
    char err[256], addr[INET6_ADDRSTRLEN + 2], line[320];
    const char *host;
    int port = 0, rc;

    if (o == NULL) {
        server_options_init(&def);
        o = &def;
    }
    host = o->host != NULL ? o->host : SERVER_DEFAULT_HOST;
    for (size_t i = 0; i < sizeof body_pattern; i++)
        body_pattern[i] = body_byte(i);

    signal(SIGPIPE, SIG_IGN);
    raise_fd_limit(o->quiet);
    http_parser_set_max_header_size(SERVER_MAX_HEADER_BYTES);

    srv = calloc(1, sizeof *srv);
    if (srv == NULL) {
        snprintf(err, sizeof err, "out of memory");
        goto fail;
    }
    srv->idle_ms =
        o->idle_timeout_ms > 0 ? (uint64_t)o->idle_timeout_ms : SERVER_DEFAULT_IDLE_TIMEOUT_MS;
    srv->quiet = o->quiet;
    srv->listen_fd = listen_on(host, o->port, addr, sizeof addr, &port, err, sizeof err);
    if (srv->listen_fd < 0)
        goto fail;
    rc = uv_loop_init(&srv->loop);
    if (rc < 0) {
        snprintf(err, sizeof err, "uv_loop_init: %s", uv_strerror(rc));
        close(srv->listen_fd);
        goto fail;
    }
    uv_poll_init_socket(&srv->loop, &srv->listen_poll, srv->listen_fd);
    uv_timer_init(&srv->loop, &srv->accept_pause);
    uv_signal_init(&srv->loop, &srv->sigterm);
    srv->listen_poll.data = srv->accept_pause.data = srv->sigterm.data = srv;
    uv_signal_start(&srv->sigterm, on_signal, SIGTERM);
    if (stop_on_sigint) {
        uv_signal_init(&srv->loop, &srv->sigint);
        srv->sigint.data = srv;
        uv_signal_start(&srv->sigint, on_signal, SIGINT);
        srv->have_sigint = 1;
    }
    uv_poll_start(&srv->listen_poll, UV_READABLE, on_listen_readable);

    if (ready_fd >= 0) {
        snprintf(line, sizeof line, "OK %d\n", port);
        report(ready_fd, line);
    } else {
        printf("listening on http://%s:%d\n", addr, port);
        fflush(stdout);
    }

    uv_run(&srv->loop, UV_RUN_DEFAULT);
    rc = uv_loop_close(&srv->loop);
    if (rc < 0) {
        fprintf(stderr, "concbench serve: uv_loop_close: %s\n", uv_strerror(rc));
        uv_walk(&srv->loop, walk_report, NULL);
    }
    if (!o->quiet)
        fprintf(stderr, "concbench serve: stopped after %llu connections, %llu responses%s\n",
                srv->accepted, srv->requests,
                srv->accept_pauses ? " (accepting paused at the descriptor limit)" : "");
    free(srv);
    return rc < 0 ? 1 : 0;

fail:
    free(srv);
    if (ready_fd >= 0) {
        snprintf(line, sizeof line, "ERR %s\n", err);
        report(ready_fd, line);
    } else {
        fprintf(stderr, "concbench serve: %s\n", err);
    }
    return 1;
}
