/* The raw client's parts both faces share: the target, the request text, the response parser and
 * curl's wording of what went wrong. See http_raw.h. */

#include "workloads/http_raw.h"
#include "workloads/http_errors.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

int hraw_target_parse(struct hraw_target *tg, const char *base_url, char *err, size_t errlen)
{
    const char *host = base_url + strlen("http://");
    memset(tg, 0, sizeof *tg);
    if (strncasecmp(base_url, "http://", strlen("http://")) != 0) {
        snprintf(err, errlen, "'%.60s': the raw client speaks plain http:// only", base_url);
        return -1;
    }
    size_t hlen = strcspn(host, ":/");
    if (hlen == 0 || hlen >= sizeof tg->host) {
        snprintf(err, errlen, "'%.60s': no host, or a host longer than %d characters", base_url,
                 HRAW_HOST_LEN - 1);
        return -1;
    }
    memcpy(tg->host, host, hlen);
    const char *rest = host + hlen;
    tg->port = 80;
    if (*rest == ':') {
        char *end;
        long port = strtol(rest + 1, &end, 10);
        if (end == rest + 1 || port < 1 || port > 65535 || (*end != '\0' && *end != '/')) {
            snprintf(err, errlen, "'%.60s': the port must be 1..65535", base_url);
            return -1;
        }
        tg->port = (int)port;
        rest = end;
    }
    tg->origin_len = (size_t)(rest - base_url);

    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *ai = NULL;
    int rc = getaddrinfo(tg->host, NULL, &hints, &ai);
    if (rc != 0 || ai == NULL) {
        snprintf(err, errlen, "'%s': cannot resolve an IPv4 address: %s", tg->host,
                 rc != 0 ? gai_strerror(rc) : "none");
        return -1;
    }
    memcpy(&tg->addr, ai->ai_addr, sizeof tg->addr);
    tg->addr.sin_port = htons((uint16_t)tg->port);
    freeaddrinfo(ai);
    return 0;
}

int hraw_request(char *buf, size_t len, const struct hraw_target *tg, const char *path, int reuse)
{
    int n = snprintf(buf, len, "GET %s HTTP/1.1\r\nHost: %s:%d\r\n%s\r\n", path, tg->host, tg->port,
                     reuse ? "" : "Connection: close\r\n");
    return n < 0 || (size_t)n >= len ? -1 : n;
}

int hraw_fail(struct hraw_result *res, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->text, sizeof res->text, fmt, ap);
    va_end(ap);
    res->status = status;
    return status;
}

int hraw_fail_timeout(struct hraw_result *res, const struct hraw_resp *r, long ms)
{
    /* http-parser counts a known Content-Length down as the body arrives. */
    int known = res->http_code != 0 && r->parser.content_length != ULLONG_MAX;
    http_err_timeout(res->text, sizeof res->text, ms, res->got,
                     known ? (long long)(res->got + r->parser.content_length) : -1);
    res->status = -ETIMEDOUT;
    return res->status;
}

void hraw_close_with_reset(int fd)
{
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
}

int hraw_fail_connect(struct hraw_result *res, const struct hraw_target *tg, int err)
{
    http_err_connect(res->text, sizeof res->text, tg->host, tg->port, err);
    res->status = err == ETIMEDOUT ? -ETIMEDOUT : -ECONNREFUSED;
    return res->status;
}

/* http-parser callbacks; parser.data is the struct hraw_resp. */

static int on_headers_complete(http_parser *p)
{
    struct hraw_resp *r = p->data;
    r->res->http_code = (int)p->status_code;
    return 0;
}

static int on_body(http_parser *p, const char *at, size_t len)
{
    struct hraw_resp *r = p->data;
    r->res->got += len;
    if (r->opt->on_body != NULL)
        r->opt->on_body(r->opt->arg, at, len);
    return 0;
}

static int on_message_complete(http_parser *p)
{
    struct hraw_resp *r = p->data;
    r->complete = 1;
    r->keep_alive = http_should_keep_alive(p);
    http_parser_pause(p, 1); /* anything after this response is not ours to parse */
    return 0;
}

static const http_parser_settings resp_settings = {
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

void hraw_resp_begin(struct hraw_resp *r, const struct hraw_options *opt, struct hraw_result *res)
{
    memset(r, 0, sizeof *r);
    memset(res, 0, sizeof *res);
    http_parser_init(&r->parser, HTTP_RESPONSE);
    r->parser.data = r;
    r->opt = opt;
    r->res = res;
}

int hraw_resp_feed(struct hraw_resp *r, const char *data, size_t len)
{
    if (r->complete) { /* bytes after the response, before the next request */
        r->keep_alive = 0;
        return 1;
    }
    size_t used = http_parser_execute(&r->parser, &resp_settings, data, len);
    r->seen += used;
    if (r->complete) {
        if (used < len)
            r->keep_alive = 0;
        return 1;
    }
    enum http_errno e = HTTP_PARSER_ERRNO(&r->parser);
    if (e != HPE_OK)
        return hraw_fail(r->res, -EIO, "Weird server reply (%s)", http_errno_description(e));
    return 0;
}

int hraw_resp_eof(struct hraw_resp *r)
{
    if (!r->complete && r->seen > 0) /* a body that runs to the close ends here */
        http_parser_execute(&r->parser, &resp_settings, NULL, 0);
    if (r->complete) {
        r->keep_alive = 0;
        return 1;
    }
    if (r->seen == 0)
        return hraw_fail(r->res, -EIO, HTTP_ERR_EMPTY);
    if (r->res->http_code == 0)
        return hraw_fail(r->res, -EIO, "connection closed in the response's headers");
    int known = r->parser.content_length != ULLONG_MAX;
    http_err_closed(r->res->text, sizeof r->res->text, r->res->got,
                    known ? (long long)(r->res->got + r->parser.content_length) : -1);
    r->res->status = -EIO;
    return r->res->status;
}

int hraw_resp_read(struct hraw_resp *r, const char *data, long n)
{
    if (n > 0)
        return hraw_resp_feed(r, data, (size_t)n);
    if (n < 0) {
        hraw_fail(r->res, -EIO, "Recv failure: %s", strerror((int)-n));
        return -1;
    }
    return hraw_resp_eof(r) == 1 ? 1 : -1;
}

int hraw_resp_fresh(const struct hraw_resp *r, long n)
{
    return r->seen == 0 && (n == 0 || n == -ECONNRESET);
}
