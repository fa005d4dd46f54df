#ifndef CONCBENCH_HTTP_RAW_H
#define CONCBENCH_HTTP_RAW_H

/* A lean HTTP/1.1 keep-alive client for the embedded server and servers that answer like it
 * (io_bound's client=raw): GET only, one request at a time per connection, responses parsed with
 * http-parser, bodies handed to the caller as they arrive. Two faces: blocking sockets with a
 * poll deadline (http_raw_block.c), and libuv streams that keep reading for the connection's
 * whole life, so a kept-alive connection costs no epoll_ctl per request (http_raw_uv.c).
 * Error texts follow libcurl's, so a failed case reads the same whichever client ran it. */

#include <http_parser.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#define HRAW_ERROR_LEN 112
#define HRAW_HOST_LEN  64

/* Where requests go: an http:// origin with a numeric or resolvable IPv4 host. */
struct hraw_target {
    struct sockaddr_in addr;
    char host[HRAW_HOST_LEN];
    int port;
    size_t origin_len; /* of "http://host:port" in the base URL: a URL's path starts there */
};

/* Parses "http://host[:port][/prefix]". Returns 0, or -1 with a message in err. */
int hraw_target_parse(struct hraw_target *tg, const char *base_url, char *err, size_t errlen);

/* How a request ended. status follows io_bound's codes for curl's errors (-ECONNREFUSED,
 * -ETIMEDOUT, -EIO...); sys_errno is socket()'s errno when opening the socket failed (so a caller
 * can name RLIMIT_NOFILE). */
struct hraw_result {
    int status; /* 0 = a whole response arrived (any HTTP code) */
    int sys_errno;
    int http_code;
    uint64_t got; /* body bytes */
    char text[HRAW_ERROR_LEN];
};

typedef void (*hraw_body_fn)(void *arg, const char *data, size_t len);

struct hraw_options {
    int reuse; /* 1 = keep the connection for the next request */
    long timeout_ms;
    hraw_body_fn on_body;
    void *arg;
};

/* One response being parsed. */
struct hraw_resp {
    http_parser parser;
    const struct hraw_options *opt;
    struct hraw_result *res;
    uint64_t seen;  /* response bytes so far, headers included */
    int complete;   /* the whole message arrived */
    int keep_alive; /* the connection may carry the next request */
};

void hraw_resp_begin(struct hraw_resp *r, const struct hraw_options *opt, struct hraw_result *res);
/* Feeds received bytes: 0 = more needed, 1 = complete, -1 = error (in res). Bytes beyond the
 * response make the connection unfit for another request (keep_alive = 0), as curl's "excess". */
int hraw_resp_feed(struct hraw_resp *r, const char *data, size_t len);
/* The peer closed the connection: 1 when that ends the response, else -1 (http_errors.h). */
int hraw_resp_eof(struct hraw_resp *r);

/* What one read of the connection brought (n > 0 bytes at data, 0 the peer's close, or a
 * negative errno), for the faces that are told of reads (libuv, io_uring): 0 = more needed,
 * 1 = complete, -1 = failed (in res: "Recv failure: ..." for an error, else as hraw_resp_eof).
 * Ask hraw_resp_fresh first. */
int hraw_resp_read(struct hraw_resp *r, const char *data, long n);
/* A close or reset (n as above) before any byte of the response: on a kept-alive connection the
 * server had closed it meanwhile, worth one more try on a new connection, as curl does. */
int hraw_resp_fresh(const struct hraw_resp *r, long n);

/* Formats the request line and headers; returns the length, or -1 when buf is too small. */
int hraw_request(char *buf, size_t len, const struct hraw_target *tg, const char *path, int reuse);

/* Makes the coming close(2) of fd send a reset rather than a FIN: for a connection with nothing
 * left to deliver (a task's, at its end; the curl client's, whenever curl closes one). The side
 * that sends the FIN keeps the connection's ports in TIME_WAIT for 60 s: 10,000 tasks a repetition
 * used up the 28,232 ephemeral ports of Linux's default range within three repetitions, and later
 * repetitions' connects had to search for a free one (evloop, N=10,000: 1.25 s the first
 * repetition, 1.64-1.86 s the next three). */
void hraw_close_with_reset(int fd);

/* Fills res with status and a printf-formatted text; returns status. */
int hraw_fail(struct hraw_result *res, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A request over its time limit, or a connection that could not be made, in the words of
 * workloads/http_errors.h (the same as the curl client's). */
int hraw_fail_timeout(struct hraw_result *res, const struct hraw_resp *r, long ms);
int hraw_fail_connect(struct hraw_result *res, const struct hraw_target *tg, int err);

/* Blocking face: a socket kept across requests. */
struct hraw_sock {
    int fd;    /* -1 = not connected */
    char *buf; /* receive buffer, HRAW_BLOCK_BUF bytes, taken at the first request */
};

#define HRAW_BLOCK_BUF 16384 /* as curl's default receive buffer */

void hraw_sock_init(struct hraw_sock *s);
void hraw_sock_close(struct hraw_sock *s);
/* GETs path (from the origin on, e.g. "/delay/100/bytes/16384") over s, connecting when needed;
 * a kept-alive connection the server closed meanwhile is replaced once, as curl does. Returns 0
 * when a response arrived (res->http_code), else res->status. */
int hraw_get_block(struct hraw_sock *s, const struct hraw_target *tg, const char *path,
                   const struct hraw_options *opt, struct hraw_result *res);

/* libuv face: one connection on a loop, used from the loop's thread. */
struct hraw_uv;
typedef void (*hraw_uv_done_fn)(void *arg, const struct hraw_result *res);

/* What every connection on one loop shares: the buffer libuv reads to (HRAW_UV_RBUF bytes: a
 * read callback consumes it before the next read) and one timer for every request's deadline.
 * NULL when out of memory. Free it outside uv_run, after every connection on it: it runs the loop
 * until its timer is closed. */
#define HRAW_UV_RBUF 65536
struct hraw_uv_shared;
struct hraw_uv_shared *hraw_uv_shared_new(uv_loop_t *loop);
void hraw_uv_shared_free(struct hraw_uv_shared *sh);

/* NULL when out of memory. No socket is opened before the first request. */
struct hraw_uv *hraw_uv_new(struct hraw_uv_shared *sh, const struct hraw_target *tg,
                            const struct hraw_options *opt, hraw_uv_done_fn done);
/* Starts GET path; done(opt->arg, res) is called once, from a loop callback. A negative return
 * (res filled) means it did not start and done will not be called. path is the caller's and must
 * stay as it is until then (a retry on a new connection sends it again). */
int hraw_uv_get(struct hraw_uv *c, const char *path, struct hraw_result *res);
/* Closes the connection and abandons a request under way (no done call); the socket's handle is
 * closed once the loop runs again. */
void hraw_uv_free(struct hraw_uv *c);

#endif
