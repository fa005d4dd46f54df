#ifndef CONCBENCH_SERVER_INTERNAL_H
#define CONCBENCH_SERVER_INTERNAL_H

/* The embedded server's private types, shared by its files:
 *   server.c         listening, accepting, stopping on signals (server_run)
 *   conn.c           one connection: reads, timers, answering in order, closing
 *   due_queue.c      when each waiting response is due: a timerfd per thread over due_heap.c
 *   request_parse.c  http-parser callbacks: received bytes become queued requests
 *   http_route.c     a request's path and method become its response (pure)
 *   response.c       the response head, and writing it with its body */
#include <stddef.h>
#include <stdint.h>

#include <http_parser.h>
#include <uv.h>

#include "server/due_heap.h"
#include "server/server.h"

#define MAX_WRITES 2   /* uv_writes in flight per connection */
#define PATH_CAP   128 /* longer paths cannot be one of ours: 404 */
#define HDR_CAP    512 /* response head (plus short text bodies) */
#define READ_BUF   65536

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
    uv_timer_t idle;     /* idle / stalled client; then the linger deadline */
    struct due_item due; /* while the head request waits for its delay: in the due queue */
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
    uint64_t req_deadline_ns; /* uv_hrtime() by which the request being received must be
                                 complete (header timeout); 0 = none in progress */

    /* the message being parsed */
    char path[PATH_CAP];
    size_t path_len;
    unsigned path_overflow : 1;
    unsigned in_query : 1;
    unsigned saw_header : 1;    /* a header field began: the request line is complete */
    unsigned absolute_form : 1; /* the target is "scheme://authority/path" */
    unsigned url_slashes : 2;   /* of an absolute-form target, counted up to the path's '/' */

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

/* The responses a thread's connections wait for, by due time (due_queue.c). */
struct due_queue {
    int fd;               /* timerfd, armed at the heap's earliest due time */
    uv_poll_t poll;       /* data = the struct server */
    struct due_heap heap; /* of struct conn's due */
    uint64_t armed_ns;    /* what fd is armed at; 0 = disarmed */
};

/* One event loop with its own listening socket; server_run starts `threads` of them. */
struct server {
    uv_loop_t loop;
    struct server_group *grp;
    int index;                      /* 0 = the caller's thread, which handles the signals */
    uv_async_t wake;                /* another thread asks this one to stop */
    struct server_thread_stats *st; /* this thread's slot of the record */
    uint64_t read_ns;               /* uv_hrtime() of the read being parsed: arrival */
    uv_poll_t listen_poll;
    int listen_fd;
    uv_timer_t accept_pause;
    struct due_queue due;
    uv_signal_t sigterm, sigint;
    int have_sigint;
    struct conn *conns, *conns_oldest; /* newest first */
    size_t nconns;                     /* struct conn alive, closing ones too */
    size_t nopen;                      /* connections not closing: what the cap counts */
    size_t max_conns;
    uint64_t idle_ms, header_ms;
    int quiet;
    int stopping;
    int fd_limit_logged;
    unsigned long long accepted, requests, accept_pauses, evicted, refused, header_timeouts;
    char rbuf[READ_BUF]; /* shared: every read is parsed before the next one */
};

/* due_queue.c: open makes the timerfd (0, or a negative errno), start watches it on the thread's
 * loop, close ends that and frees the heap. add puts c in (or moves it) at due_ns; remove takes it
 * out if it is there. */
int due_queue_open(struct due_queue *q);
void due_queue_start(struct server *srv);
void due_queue_close(struct server *srv);
void due_queue_add(struct server *srv, struct conn *c, uint64_t due_ns);
void due_queue_remove(struct server *srv, struct conn *c);

/* Makes r a text response (text NULL: "status <code>\n"). */
static inline void request_set_text(struct request *r, int status, const char *text)
{
    r->kind = REQ_TEXT;
    r->status = status;
    r->text = text;
}

/* conn.c */
/* Starts the head request's response if it is due, else puts c in the due queue. */
void conn_advance(struct conn *c);
/* Takes over an accepted, non-blocking socket (closes it on failure). */
void conn_new(struct server *srv, int fd);
void conn_close(struct conn *c);
/* (Re)arms the idle timer after activity. */
void conn_touch(struct conn *c);
/* The head request's response is written: drop it, then go on with the connection. */
void conn_response_done(struct conn *c);
/* At the connection cap: closes the oldest connection that waits for nothing (no request
 * queued or in progress). Returns 1 if one was closed, 0 if none was idle. */
int conn_evict_idle(struct server *srv);
/* At the cap with nothing idle: 503 to the new socket, then closes it. */
void conn_refuse(struct server *srv, int fd);

/* request_parse.c */
/* Feeds received bytes to the parser: complete requests, and an error response for input that
 * cannot be parsed, join c's queue. */
void request_parse(struct conn *c, const char *data, size_t len);

/* http_route.c */
/* Fills r from a request's method and path (path_overflow: longer than PATH_CAP). */
void http_route(struct request *r, int method, const char *path, size_t path_len,
                int path_overflow);

/* response.c */
/* Fills the shared body pattern; once, before the first response. */
void response_pattern_init(void);
/* Builds r's head (and a text body) into c->hdr and sets up its body. */
void response_build(struct conn *c, const struct request *r);
/* Queues writes of the response in progress, at most MAX_WRITES at a time. */
void response_pump(struct conn *c);

#endif
