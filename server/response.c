/* Responses: the status line and headers (with a short text body) into the connection's head
 * buffer, then the head and the body written at once while the socket takes them, the rest at
 * most MAX_WRITES uv_writes at a time.
 *
 * Bodies are never allocated per request: body_byte() has period BODY_PERIOD (server/body.h), so
 * every chunk of every body is a slice of one shared read-only buffer. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "server/body.h"
#include "server/server_internal.h"

#define WRITE_CHUNK (128 * 1024) /* bytes per uv_write of a body */

static unsigned char body_pattern[WRITE_CHUNK + BODY_PERIOD];

void response_pattern_init(void)
{
    for (size_t i = 0; i < sizeof body_pattern; i++)
        body_pattern[i] = body_byte(i);
}

static const char *reason_phrase(int status)
{
    const char *s = http_status_str((enum http_status)status);

    if (s == NULL || s[0] == '<') /* "<unknown>" */
        return status < 300 ? "OK" : status < 400 ? "Redirect" : "Error";
    return s;
}

/* Appends s (len bytes) at *n in a buffer of cap bytes, cut at the end. */
static void put(char *buf, size_t cap, size_t *n, const char *s, size_t len)
{
    if (*n + len >= cap)
        len = *n < cap - 1 ? cap - 1 - *n : 0;
    memcpy(buf + *n, s, len);
    *n += len;
}

#define PUT_LIT(buf, cap, n, lit) put(buf, cap, n, lit, sizeof(lit) - 1)

/* The decimal digits of v. */
static void put_u64(char *buf, size_t cap, size_t *n, uint64_t v)
{
    char d[24];
    int i = (int)sizeof d;

    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    put(buf, cap, n, d + i, sizeof d - (size_t)i);
}

/* The head is put together with memcpy rather than snprintf, which was a quarter of the server's
 * user-space instructions per kept-alive request (callgrind, wrk -c100, 16 KiB bodies). */
void response_build(struct conn *c, const struct request *r)
{
    char textbuf[64];
    const char *text = NULL, *reason;
    uint64_t length = 0;
    size_t n = 0, cap = sizeof c->hdr;
    char *h = c->hdr;

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

    if (r->status == 200) {
        PUT_LIT(h, cap, &n, "HTTP/1.1 200 OK\r\nServer: concbench\r\n");
    } else {
        PUT_LIT(h, cap, &n, "HTTP/1.1 ");
        put_u64(h, cap, &n, (uint64_t)r->status);
        PUT_LIT(h, cap, &n, " ");
        reason = reason_phrase(r->status);
        put(h, cap, &n, reason, strlen(reason));
        PUT_LIT(h, cap, &n, "\r\nServer: concbench\r\n");
    }
    if (r->allow)
        PUT_LIT(h, cap, &n, "Allow: GET, HEAD\r\n");
    if (!r->keep_alive)
        PUT_LIT(h, cap, &n, "Connection: close\r\n");
    else if (r->say_keepalive)
        PUT_LIT(h, cap, &n, "Connection: keep-alive\r\n");
    if (!r->no_body) {
        if (r->kind == REQ_BODY)
            PUT_LIT(h, cap, &n, "Content-Type: application/octet-stream\r\nContent-Length: ");
        else
            PUT_LIT(h, cap, &n, "Content-Type: text/plain\r\nContent-Length: ");
        put_u64(h, cap, &n, length);
        PUT_LIT(h, cap, &n, "\r\n");
    }
    PUT_LIT(h, cap, &n, "\r\n");
    if (text != NULL && !r->head_only)
        put(h, cap, &n, text, strlen(text));
    h[n] = '\0';
    c->hdr_len = n;
    c->hdr_pending = 1;
    c->body_off = 0;
    c->body_end = (r->kind == REQ_BODY && !r->head_only) ? r->nbytes : 0;
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
    response_pump(c);
}

/* Drops the first n bytes of bufs (written already); returns how many buffers are left. */
static unsigned skip_written(uv_buf_t *bufs, unsigned nbufs, size_t n)
{
    unsigned i = 0;

    while (i < nbufs && n >= bufs[i].len)
        n -= bufs[i++].len;
    if (i < nbufs) {
        bufs[i].base += n;
        bufs[i].len -= n;
    }
    memmove(bufs, bufs + i, (nbufs - i) * sizeof *bufs);
    return nbufs - i;
}

void response_pump(struct conn *c)
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
        /* With nothing queued, write at once: one writev and no write request, whose
         * completion would cost a callback and an epoll_ctl per response; libuv queues only what
         * the socket did not take. */
        if (c->inflight == 0) {
            int n = uv_try_write((uv_stream_t *)&c->tcp, bufs, nbufs);

            if (n < 0 && n != UV_EAGAIN) {
                conn_close(c);
                return;
            }
            if (n > 0 && (nbufs = skip_written(bufs, nbufs, (size_t)n)) == 0)
                continue;
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
        conn_response_done(c);
}
