/* http-parser callbacks: the bytes a connection receives become requests in its FIFO, routed as
 * they complete. Input that cannot be parsed gets an error response, queued in order, after which
 * the connection reads no more. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "server/server_internal.h"

static struct request *queue_request(struct conn *c)
{
    struct request *r = calloc(1, sizeof *r);

    if (r == NULL)
        return NULL;
    r->due_ns = c->srv->read_ns; /* arrival: when the server read it */
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
    request_set_text(r, status, text);
    r->keep_alive = 0;
}

static int on_message_begin(http_parser *p)
{
    struct conn *c = p->data;

    c->path_len = 0;
    c->saw_header = 0;
    c->path_overflow = 0;
    c->in_query = 0;
    c->url_slashes = 0;
    c->absolute_form = 0;
    if (c->req_deadline_ns == 0) /* counts from the request's first byte */
        c->req_deadline_ns = uv_hrtime() + c->srv->header_ms * 1000000;
    return 0;
}

/* The path of the request target. An absolute-form target (RFC 9112 3.2.2:
 * "http://host:port/delay/10/bytes/5") is routed by its path: scheme and authority end at the
 * third '/'. The URL may come in pieces, so this is a state machine over characters. */
static int on_url(http_parser *p, const char *at, size_t len)
{
    struct conn *c = p->data;

    for (size_t i = 0; i < len && !c->in_query; i++) {
        if (c->path_len == 0 && !c->absolute_form && at[i] != '/')
            c->absolute_form = 1;
        if (c->absolute_form && c->url_slashes < 3) {
            c->url_slashes += at[i] == '/';
            if (c->url_slashes < 3)
                continue; /* scheme, "//" and host:port */
        }
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

    c->req_deadline_ns = 0;
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
    http_route(r, p->method, c->path, c->path_len, c->path_overflow);
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

/* After http-parser refused a method at data[at]: does the rest read "TOKEN SP target", a
 * request line with a method we do not know (405), rather than garbage (400)? */
static int looks_like_request_line(const char *data, size_t len, size_t at)
{
    size_t i = at;

    while (i < len && (isalnum((unsigned char)data[i]) ||
                       (data[i] != '\0' && strchr("!#$%&'*+-.^_`|~", data[i]))))
        i++;
    return i > at && i + 1 < len && data[i] == ' ' && data[i + 1] != ' ' && data[i + 1] != '\r' &&
           data[i + 1] != '\n';
}

void request_parse(struct conn *c, const char *data, size_t len)
{
    enum http_errno e;
    size_t parsed;

    parsed = http_parser_execute(&c->parser, &parser_settings, data, len);
    e = HTTP_PARSER_ERRNO(&c->parser);
    if (c->closing)
        return;
    if (e == HPE_HEADER_OVERFLOW) {
        if (!c->saw_header) /* the request line alone is over the limit */
            queue_error(c, 414, "URI too long: limit is 8192 bytes\n");
        else
            queue_error(c, 431, "request header fields too large: limit is 8192 bytes\n");
    } else if (e == HPE_INVALID_METHOD && looks_like_request_line(data, len, parsed)) {
        /* a method http-parser does not know: FOO / */
        queue_error(c, 405, "method not allowed: only GET and HEAD\n");
        if (c->tail != NULL)
            c->tail->allow = 1;
    } else if (e != HPE_OK && e != HPE_PAUSED) {
        queue_error(c, 400, "bad request\n");
    }
}
