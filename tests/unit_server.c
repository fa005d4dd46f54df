/* The embedded latency server, from the outside: raw sockets to 127.0.0.1 against servers started
 * with server_spawn. Every wait is bounded by a poll timeout and every loop by a count. No test
 * asserts a speed. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cmd/commands.h"
#include "server/body.h"
#include "server/server.h"

#define IO_TIMEOUT_MS 10000 /* generous: only a hung server should ever reach it */
#define IDLE_TEST_MS  300   /* idle timeout of the second server */
#define CONCURRENT    1000

static pid_t main_pid, idle_pid;
static int main_port, idle_port;

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int tcp_connect(int port)
{
    struct sockaddr_in sa;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    assert_true(fd >= 0);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    return fd;
}

static void send_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    size_t off = 0;
    int spins = 0;

    while (off < len) {
        ssize_t n = send(fd, p + off, len - off, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR && ++spins < 100)
            continue;
        assert_true(n > 0);
        off += (size_t)n;
    }
}

static void send_str(int fd, const char *s)
{
    send_all(fd, s, strlen(s));
}

/* A buffered reader on one connection; keeps what follows a response for the next one. */
struct reader {
    int fd;
    char *buf;
    size_t len, cap;
};

static void reader_init(struct reader *r, int fd)
{
    r->fd = fd;
    r->len = 0;
    r->cap = 65536;
    r->buf = malloc(r->cap);
    assert_non_null(r->buf);
}

static void reader_free(struct reader *r)
{
    free(r->buf);
    r->buf = NULL;
    close(r->fd);
}

/* Reads more; returns >0 bytes, 0 on EOF (or reset), -1 on timeout. */
static ssize_t reader_fill(struct reader *r, long long deadline)
{
    for (int tries = 0; tries < 1000; tries++) {
        long long left = deadline - now_ms();
        struct pollfd pfd = {r->fd, POLLIN, 0};
        ssize_t n;
        int pr;

        if (left <= 0)
            return -1;
        pr = poll(&pfd, 1, (int)left);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr == 0)
            return -1;
        assert_true(pr > 0);
        if (r->len == r->cap) {
            r->cap *= 2;
            r->buf = realloc(r->buf, r->cap);
            assert_non_null(r->buf);
        }
        n = recv(r->fd, r->buf + r->len, r->cap - r->len, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == ECONNRESET)
            return 0;
        assert_true(n >= 0);
        r->len += (size_t)n;
        return n;
    }
    return -1;
}

struct response {
    int status;
    long long content_length; /* -1: none */
    int conn_close;
    int conn_keepalive;
    int has_allow;
    char content_type[64];
    unsigned char *body;
    size_t body_len;
};

static void response_free(struct response *rs)
{
    free(rs->body);
    memset(rs, 0, sizeof *rs);
}

/* Parses a complete response at the start of buf. Returns its total length, 0 if incomplete, -1
 * if malformed. The body is copied to rs->body. */
static long long parse_response(const char *buf, size_t len, int head_only, struct response *rs)
{
    const char *end = NULL, *line, *next;
    size_t hlen, blen;

    for (size_t i = 0; i + 3 < len; i++) {
        if (memcmp(buf + i, "\r\n\r\n", 4) == 0) {
            end = buf + i;
            break;
        }
    }
    if (end == NULL)
        return 0;
    hlen = (size_t)(end - buf) + 4;
    memset(rs, 0, sizeof *rs);
    rs->content_length = -1;
    if (hlen < 13 || memcmp(buf, "HTTP/1.1 ", 9) != 0 || buf[9] < '1' || buf[9] > '5' ||
        buf[10] < '0' || buf[10] > '9' || buf[11] < '0' || buf[11] > '9' || buf[12] != ' ')
        return -1;
    rs->status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
    line = memchr(buf, '\n', hlen) + 1;
    for (int n = 0; line < end && n < 100; n++, line = next) {
        char name[64];
        const char *colon = memchr(line, ':', (size_t)(end - line));
        const char *eol = memchr(line, '\r', (size_t)(end + 2 - line));
        size_t nl;

        if (colon == NULL || eol == NULL || colon > eol)
            return -1;
        next = eol + 2;
        nl = (size_t)(colon - line) < sizeof name - 1 ? (size_t)(colon - line) : sizeof name - 1;
        memcpy(name, line, nl);
        name[nl] = '\0';
        colon++;
        while (*colon == ' ')
            colon++;
        if (strcasecmp(name, "Content-Length") == 0)
            rs->content_length = atoll(colon);
        else if (strcasecmp(name, "Content-Type") == 0)
            snprintf(rs->content_type, sizeof rs->content_type, "%.*s", (int)(eol - colon), colon);
        else if (strcasecmp(name, "Connection") == 0 && strncasecmp(colon, "close", 5) == 0)
            rs->conn_close = 1;
        else if (strcasecmp(name, "Connection") == 0 && strncasecmp(colon, "keep-alive", 10) == 0)
            rs->conn_keepalive = 1;
        else if (strcasecmp(name, "Allow") == 0)
            rs->has_allow = 1;
    }
    blen = head_only || rs->content_length < 0 ? 0 : (size_t)rs->content_length;
    if (len - hlen < blen)
        return 0;
    rs->body = malloc(blen + 1);
    assert_non_null(rs->body);
    memcpy(rs->body, buf + hlen, blen);
    rs->body[blen] = '\0';
    rs->body_len = blen;
    return (long long)(hlen + blen);
}

/* Reads one response; returns 0, or -1 on timeout / EOF before it was complete. */
static int read_response(struct reader *r, int head_only, struct response *rs)
{
    long long deadline = now_ms() + IO_TIMEOUT_MS;

    for (int rounds = 0; rounds < 100000; rounds++) {
        long long used = parse_response(r->buf, r->len, head_only, rs);

        assert_true(used >= 0);
        if (used > 0) {
            memmove(r->buf, r->buf + used, r->len - (size_t)used);
            r->len -= (size_t)used;
            return 0;
        }
        if (reader_fill(r, deadline) <= 0)
            return -1;
    }
    return -1;
}

/* Waits for the server to close the connection (discarding data). Returns 1 if it did. */
static int wait_closed(int fd, int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;
    char buf[4096];

    for (int rounds = 0; rounds < 100000; rounds++) {
        long long left = deadline - now_ms();
        struct pollfd pfd = {fd, POLLIN, 0};
        ssize_t n;

        if (left <= 0 || poll(&pfd, 1, (int)left) == 0)
            return 0;
        n = recv(fd, buf, sizeof buf, 0);
        if (n == 0 || (n < 0 && errno == ECONNRESET))
            return 1;
    }
    return 0;
}

/* One request on a new connection; returns the response. If closed is non-NULL, also reports
 * whether the server closed the connection afterwards (within a second). */
static void request_once(int port, const char *req, int head_only, struct response *rs, int *closed)
{
    struct reader r;

    reader_init(&r, tcp_connect(port));
    send_str(r.fd, req);
    assert_int_equal(read_response(&r, head_only, rs), 0);
    if (closed != NULL)
        *closed = r.len == 0 && wait_closed(r.fd, 1000);
    reader_free(&r);
}

static void check_body(const struct response *rs, uint64_t n)
{
    assert_int_equal(rs->status, 200);
    assert_int_equal(rs->content_length, (long long)n);
    assert_string_equal(rs->content_type, "application/octet-stream");
    assert_int_equal(rs->body_len, n);
    for (uint64_t i = 0; i < n; i++)
        if (rs->body[i] != body_byte(i))
            fail_msg("body byte %llu is '%c', expected '%c'", (unsigned long long)i, rs->body[i],
                     body_byte(i));
    assert_true(hash_fnv1a(HASH_FNV1A_INIT, rs->body, n) == body_digest_expected(n));
}

/* ---- tests -------------------------------------------------------------------------------- */

/* The server sends slices of one 676-byte-periodic buffer: check the period it relies on. */
static void test_body_period(void **state)
{
    (void)state;
    for (uint64_t i = 0; i < 2000000; i++)
        if (body_byte(i + 676) != body_byte(i))
            fail_msg("body_byte is not 676-periodic at %llu", (unsigned long long)i);
}

static void test_body_sizes(void **state)
{
    static const uint64_t sizes[] = {0, 1, 26, 675, 676, 677, 16384, 131072 + 1000, 1048576};
    char req[128];

    (void)state;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        struct response rs;

        snprintf(req, sizeof req, "GET /delay/0/bytes/%llu HTTP/1.1\r\nHost: t\r\n\r\n",
                 (unsigned long long)sizes[i]);
        request_once(main_port, req, 0, &rs, NULL);
        check_body(&rs, sizes[i]);
        response_free(&rs);
    }
}

static void test_health_and_delay(void **state)
{
    struct response rs;
    long long t0 = now_ms();

    (void)state;
    request_once(main_port, "GET /health HTTP/1.1\r\nHost: t\r\n\r\n", 0, &rs, NULL);
    assert_int_equal(rs.status, 200);
    assert_string_equal((char *)rs.body, "ok\n");
    response_free(&rs);

    /* a correctness bound, not a speed: the answer may not come before the delay */
    t0 = now_ms();
    request_once(main_port, "GET /delay/250/bytes/3 HTTP/1.1\r\n\r\n", 0, &rs, NULL);
    assert_true(now_ms() - t0 >= 249);
    check_body(&rs, 3);
    response_free(&rs);

    /* a query string is ignored */
    request_once(main_port, "GET /delay/0/bytes/5?x=1 HTTP/1.1\r\n\r\n", 0, &rs, NULL);
    check_body(&rs, 5);
    response_free(&rs);
}

static void test_keepalive(void **state)
{
    struct reader r;
    struct response rs;

    (void)state;
    reader_init(&r, tcp_connect(main_port));
    for (int i = 0; i < 3; i++) {
        send_str(r.fd, "GET /delay/10/bytes/100 HTTP/1.1\r\nHost: t\r\n\r\n");
        assert_int_equal(read_response(&r, 0, &rs), 0);
        check_body(&rs, 100);
        assert_false(rs.conn_close);
        response_free(&rs);
        send_str(r.fd, "GET /health HTTP/1.1\r\nHost: t\r\n\r\n");
        assert_int_equal(read_response(&r, 0, &rs), 0);
        assert_int_equal(rs.status, 200);
        assert_string_equal((char *)rs.body, "ok\n");
        response_free(&rs);
    }
    reader_free(&r);
}

static void test_pipelined(void **state)
{
    struct reader r;
    struct response rs;

    (void)state;
    reader_init(&r, tcp_connect(main_port));
    send_str(r.fd, "GET /delay/300/bytes/5 HTTP/1.1\r\n\r\n"
                   "GET /delay/0/bytes/7 HTTP/1.1\r\n\r\n"
                   "HEAD /delay/0/bytes/9 HTTP/1.1\r\n\r\n"
                   "GET /health HTTP/1.1\r\n\r\n"
                   "GET /nope HTTP/1.1\r\n\r\n"
                   "GET /delay/100/bytes/70000 HTTP/1.1\r\n\r\n");
    assert_int_equal(read_response(&r, 0, &rs), 0);
    check_body(&rs, 5);
    response_free(&rs);
    assert_int_equal(read_response(&r, 0, &rs), 0);
    check_body(&rs, 7);
    response_free(&rs);
    assert_int_equal(read_response(&r, 1, &rs), 0);
    assert_int_equal(rs.status, 200);
    assert_int_equal(rs.content_length, 9);
    response_free(&rs);
    assert_int_equal(read_response(&r, 0, &rs), 0);
    assert_string_equal((char *)rs.body, "ok\n");
    response_free(&rs);
    assert_int_equal(read_response(&r, 0, &rs), 0);
    assert_int_equal(rs.status, 404);
    response_free(&rs);
    assert_int_equal(read_response(&r, 0, &rs), 0);
    check_body(&rs, 70000);
    response_free(&rs);
    reader_free(&r);

    /* more pipelined requests than the server queues before it pauses reading */
    {
        enum { N = 300 };
        char *all = malloc(N * 64);
        size_t len = 0;

        assert_non_null(all);
        for (int i = 0; i < N; i++)
            len += (size_t)snprintf(all + len, 64, "GET /delay/%d/bytes/%d HTTP/1.1\r\n\r\n", i % 3,
                                    i);
        reader_init(&r, tcp_connect(main_port));
        send_all(r.fd, all, len);
        free(all);
        for (int i = 0; i < N; i++) {
            assert_int_equal(read_response(&r, 0, &rs), 0);
            check_body(&rs, (uint64_t)i);
            response_free(&rs);
        }
        reader_free(&r);
    }
}

static void test_head(void **state)
{
    struct reader r;
    struct response rs;

    (void)state;
    reader_init(&r, tcp_connect(main_port));
    send_str(r.fd, "HEAD /delay/0/bytes/1000 HTTP/1.1\r\n\r\n");
    assert_int_equal(read_response(&r, 1, &rs), 0);
    assert_int_equal(rs.status, 200);
    assert_int_equal(rs.content_length, 1000);
    assert_string_equal(rs.content_type, "application/octet-stream");
    response_free(&rs);
    /* no body followed: the next response starts right after the head */
    send_str(r.fd, "GET /health HTTP/1.1\r\n\r\n");
    assert_int_equal(read_response(&r, 0, &rs), 0);
    assert_int_equal(rs.status, 200);
    assert_string_equal((char *)rs.body, "ok\n");
    response_free(&rs);
    reader_free(&r);
}

static void test_connection_close(void **state)
{
    struct reader r;
    struct response rs;
    int closed;

    (void)state;
    request_once(main_port, "GET /health HTTP/1.1\r\nConnection: close\r\n\r\n", 0, &rs, &closed);
    assert_int_equal(rs.status, 200);
    assert_true(rs.conn_close);
    assert_true(closed);
    response_free(&rs);

    request_once(main_port, "GET /delay/0/bytes/10 HTTP/1.0\r\n\r\n", 0, &rs, &closed);
    check_body(&rs, 10);
    assert_true(closed);
    response_free(&rs);

    /* HTTP/1.0 asking for keep-alive keeps the connection */
    reader_init(&r, tcp_connect(main_port));
    for (int i = 0; i < 2; i++) {
        send_str(r.fd, "GET /delay/0/bytes/10 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        assert_int_equal(read_response(&r, 0, &rs), 0);
        check_body(&rs, 10);
        assert_true(rs.conn_keepalive);
        response_free(&rs);
    }
    reader_free(&r);

    /* requests pipelined after a Connection: close request are not answered */
    reader_init(&r, tcp_connect(main_port));
    send_str(r.fd, "GET /health HTTP/1.1\r\nConnection: close\r\n\r\nGET /health HTTP/1.1\r\n\r\n");
    assert_int_equal(read_response(&r, 0, &rs), 0);
    assert_int_equal(rs.status, 200);
    response_free(&rs);
    assert_int_equal(r.len, 0);
    assert_true(wait_closed(r.fd, IO_TIMEOUT_MS));
    reader_free(&r);
}

static void expect_status(const char *req, int status, int expect_closed)
{
    struct response rs;
    int closed = 0;

    request_once(main_port, req, 0, &rs, expect_closed ? &closed : NULL);
    if (rs.status != status)
        fail_msg("'%.40s...': status %d, expected %d", req, rs.status, status);
    if (expect_closed) {
        assert_true(rs.conn_close);
        assert_true(closed);
    }
    response_free(&rs);
}

static void test_bad_requests(void **state)
{
    struct response rs;
    char *big;
    size_t n;

    (void)state;
    expect_status("GARBAGE\r\n\r\n", 400, 1);
    expect_status("GET /health HTTP/1.1 extra\r\n\r\n", 400, 1);
    expect_status("GET /health HTTP/1.1\r\nbad header line\r\n\r\n", 400, 1);
    expect_status("GET /nope HTTP/1.1\r\n\r\n", 404, 0);
    expect_status("GET / HTTP/1.1\r\n\r\n", 404, 0);
    expect_status("GET /health/ HTTP/1.1\r\n\r\n", 404, 0);
    expect_status("GET /delay/600001/bytes/1 HTTP/1.1\r\n\r\n", 400, 0);
    expect_status("GET /delay/0/bytes/67108865 HTTP/1.1\r\n\r\n", 400, 0);
    expect_status("GET /delay/99999999999999999999999/bytes/1 HTTP/1.1\r\n\r\n", 400, 0);
    expect_status("GET /delay/abc/bytes/1 HTTP/1.1\r\n\r\n", 400, 0);
    expect_status("GET /delay/1/bytes/ HTTP/1.1\r\n\r\n", 400, 0);
    expect_status("GET /delay/-1/bytes/1 HTTP/1.1\r\n\r\n", 400, 0);
    expect_status("GET /status/99 HTTP/1.1\r\n\r\n", 400, 0);
    expect_status("GET /status/600 HTTP/1.1\r\n\r\n", 400, 0);
    expect_status("GET /health HTTP/2.0\r\n\r\n", 505, 1);

    request_once(main_port, "POST /health HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", 0, &rs, NULL);
    assert_int_equal(rs.status, 405);
    assert_true(rs.has_allow);
    response_free(&rs);
    expect_status("DELETE /delay/0/bytes/1 HTTP/1.1\r\n\r\n", 405, 0);

    request_once(main_port, "GET /status/500 HTTP/1.1\r\n\r\n", 0, &rs, NULL);
    assert_int_equal(rs.status, 500);
    assert_string_equal((char *)rs.body, "status 500\n");
    response_free(&rs);
    request_once(main_port, "GET /status/204 HTTP/1.1\r\n\r\n", 0, &rs, NULL);
    assert_int_equal(rs.status, 204);
    assert_int_equal(rs.content_length, -1);
    response_free(&rs);

    /* headers over 8 KiB: 431 and closed; just under: fine */
    big = malloc(20000);
    assert_non_null(big);
    n = (size_t)snprintf(big, 20000, "GET /health HTTP/1.1\r\nX-Big: ");
    memset(big + n, 'a', 9000);
    strcpy(big + n + 9000, "\r\n\r\n");
    expect_status(big, 431, 1);
    n = (size_t)snprintf(big, 20000, "GET /health HTTP/1.1\r\nX-Big: ");
    memset(big + n, 'a', 7000);
    strcpy(big + n + 7000, "\r\n\r\n");
    expect_status(big, 200, 0);
    /* many small headers count too */
    n = (size_t)snprintf(big, 20000, "GET /health HTTP/1.1\r\n");
    for (int i = 0; i < 1000; i++)
        n += (size_t)snprintf(big + n, 20000 - n, "X-%d: v\r\n", i);
    strcpy(big + n, "\r\n");
    expect_status(big, 431, 1);
    /* a URL over the limit */
    n = (size_t)snprintf(big, 20000, "GET /");
    memset(big + n, 'u', 10000);
    strcpy(big + n + 10000, " HTTP/1.1\r\n\r\n");
    expect_status(big, 414, 1);
    free(big);

    /* the server still works */
    expect_status("GET /health HTTP/1.1\r\n\r\n", 200, 0);
}

static void test_idle_timeout(void **state)
{
    struct reader r;
    struct response rs;
    int fd;

    (void)state;
    /* sends nothing */
    fd = tcp_connect(idle_port);
    assert_true(wait_closed(fd, IO_TIMEOUT_MS));
    close(fd);
    /* stalls mid-request */
    fd = tcp_connect(idle_port);
    send_str(fd, "GET /hea");
    assert_true(wait_closed(fd, IO_TIMEOUT_MS));
    close(fd);
    /* a delay longer than the idle timeout is not idleness; after the response it is */
    reader_init(&r, tcp_connect(idle_port));
    send_str(r.fd, "GET /delay/800/bytes/4 HTTP/1.1\r\n\r\n");
    assert_int_equal(read_response(&r, 0, &rs), 0);
    check_body(&rs, 4);
    response_free(&rs);
    assert_true(wait_closed(r.fd, IO_TIMEOUT_MS));
    reader_free(&r);
}

static void test_disconnect_mid_delay(void **state)
{
    struct response rs;

    (void)state;
    for (int i = 0; i < 50; i++) {
        int fd = tcp_connect(main_port);

        send_str(fd, "GET /delay/300/bytes/100000 HTTP/1.1\r\n\r\n");
        if (i % 2) { /* half of them with a reset rather than a FIN */
            struct linger lg = {1, 0};

            setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        }
        close(fd);
    }
    /* a client that leaves in the middle of a large body */
    {
        struct reader r;

        reader_init(&r, tcp_connect(main_port));
        send_str(r.fd, "GET /delay/0/bytes/67108864 HTTP/1.1\r\n\r\n");
        assert_true(reader_fill(&r, now_ms() + IO_TIMEOUT_MS) > 0);
        reader_free(&r);
    }
    request_once(main_port, "GET /health HTTP/1.1\r\n\r\n", 0, &rs, NULL);
    assert_int_equal(rs.status, 200);
    response_free(&rs);
    /* after the abandoned delays would have fired */
    usleep(500 * 1000);
    request_once(main_port, "GET /delay/0/bytes/26 HTTP/1.1\r\n\r\n", 0, &rs, NULL);
    check_body(&rs, 26);
    response_free(&rs);
    assert_int_equal(kill(main_pid, 0), 0);
}

struct pending {
    int fd;
    char *buf;
    size_t len;
    int done;
};

/* CONCURRENT connections to port, each sending req at once; every response is read and its body
 * (of body_len bytes) checked. Returns 0, or 1 when skipped (too few descriptors). */
static int burst(int port, const char *req, uint64_t body_len)
{
    struct pending *p = calloc(CONCURRENT, sizeof *p);
    struct pollfd *pfds = calloc(CONCURRENT, sizeof *pfds);
    long long deadline = now_ms() + 60000;
    int done = 0;
    struct rlimit rl;

    assert_non_null(p);
    assert_non_null(pfds);
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < CONCURRENT + 64) {
        free(p);
        free(pfds);
        fprintf(stderr, "skipped: RLIMIT_NOFILE %llu is too low for %d connections\n",
                (unsigned long long)rl.rlim_cur, CONCURRENT);
        return 1;
    }
    for (int i = 0; i < CONCURRENT; i++) {
        p[i].fd = tcp_connect(port);
        p[i].buf = malloc(4096);
        assert_non_null(p[i].buf);
        send_str(p[i].fd, req);
        fcntl(p[i].fd, F_SETFL, O_NONBLOCK);
    }
    for (int rounds = 0; done < CONCURRENT && rounds < 1000000; rounds++) {
        int n = 0, pr;
        long long left = deadline - now_ms();

        if (left <= 0)
            break;
        for (int i = 0; i < CONCURRENT; i++)
            if (!p[i].done)
                pfds[n++] = (struct pollfd){p[i].fd, POLLIN, 0};
        pr = poll(pfds, (nfds_t)n, (int)left);
        if (pr < 0 && errno == EINTR)
            continue;
        assert_true(pr >= 0);
        for (int i = 0, k = 0; i < CONCURRENT; i++) {
            struct response rs;
            ssize_t got;
            long long used;

            if (p[i].done)
                continue;
            if (!(pfds[k++].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            got = recv(p[i].fd, p[i].buf + p[i].len, 4095 - p[i].len, 0);
            if (got < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (got <= 0)
                fail_msg("connection %d closed after %zu bytes", i, p[i].len);
            p[i].len += (size_t)got;
            used = parse_response(p[i].buf, p[i].len, 0, &rs);
            assert_true(used >= 0);
            if (used > 0) {
                check_body(&rs, body_len);
                response_free(&rs);
                p[i].done = 1;
                done++;
            } else if (p[i].len >= 4095) {
                fail_msg("connection %d: response too long", i);
            }
        }
    }
    for (int i = 0; i < CONCURRENT; i++) {
        close(p[i].fd);
        free(p[i].buf);
    }
    free(p);
    free(pfds);
    assert_int_equal(done, CONCURRENT);
    return 0;
}

static void test_concurrent(void **state)
{
    (void)state;
    if (burst(main_port, "GET /delay/200/bytes/100 HTTP/1.1\r\nHost: t\r\n\r\n", 100))
        skip();
}

/* A burst of CONCURRENT requests with 100 ms delays against two threads: every response has its
 * lateness in the record (shared memory, read from here), and each thread served some. */
static void test_lateness_threads(void **state)
{
    struct server_options o;
    struct server_stats *st = server_stats_new();
    struct server_thread_stats tot;
    uint64_t counted = 0;
    char err[256];
    pid_t pid;
    int port, skipped;

    (void)state;
    assert_non_null(st);
    server_options_init(&o);
    o.quiet = 1;
    o.threads = 2;
    o.stats = st;
    assert_int_equal(server_spawn_opts(&o, &pid, &port, err, sizeof err), 0);
    skipped = burst(port, "GET /delay/100/bytes/1000 HTTP/1.1\r\nHost: t\r\n\r\n", 1000);
    assert_int_equal(server_stop(pid), 0);
    if (skipped) {
        server_stats_free(st);
        skip();
    }
    assert_int_equal(st->threads, 2);
    server_stats_total(st, &tot);
    assert_int_equal(tot.responses, CONCURRENT);
    for (int b = 0; b < SERVER_LATE_BUCKETS; b++)
        counted += tot.late[b];
    assert_int_equal(counted, CONCURRENT); /* one lateness (>= 0 us) per response */
    assert_true(server_late_quantile(&tot, 0.5) <= server_late_quantile(&tot, 0.99));
    assert_true(server_late_quantile(&tot, 1.0) == tot.late_max_us);
    assert_true(tot.late_sum_us <= tot.late_max_us * CONCURRENT);
    for (int i = 0; i < 2; i++) {
        if (st->t[i].responses == 0)
            fail_msg("thread %d served no response of %d (connections per thread: %llu, %llu)", i,
                     CONCURRENT, (unsigned long long)st->t[0].accepted,
                     (unsigned long long)st->t[1].accepted);
    }
    server_stats_free(st);
}

/* The histogram's buckets: every value falls in a bucket whose bounds hold it, and the buckets
 * are ordered. */
static void test_late_buckets(void **state)
{
    uint64_t prev_max = 0;

    (void)state;
    for (uint64_t v = 0; v < 5000000; v = v < 64 ? v + 1 : v + v / 7) {
        int b = server_late_bucket(v);

        assert_true(b >= 0 && b < SERVER_LATE_BUCKETS);
        assert_true(v <= server_late_bucket_max(b));
        if (b > 0)
            assert_true(v > server_late_bucket_max(b - 1));
    }
    for (int b = 0; b < SERVER_LATE_BUCKETS - 1; b++) {
        assert_true(b == 0 || server_late_bucket_max(b) > prev_max);
        prev_max = server_late_bucket_max(b);
    }
}

static void test_bind_error(void **state)
{
    struct sockaddr_in sa;
    socklen_t sl = sizeof sa;
    char err[256];
    pid_t pid;
    int port, fd = socket(AF_INET, SOCK_STREAM, 0);

    (void)state;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(fd, 1), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);

    err[0] = '\0';
    assert_int_equal(server_spawn("127.0.0.1", ntohs(sa.sin_port), &pid, &port, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "cannot bind 127.0.0.1:"));
    assert_non_null(strstr(err, "address already in use"));
    close(fd);

    err[0] = '\0';
    assert_int_equal(server_spawn("no.such.host.invalid", 0, &pid, &port, err, sizeof err), -1);
    assert_non_null(strstr(err, "no.such.host.invalid"));
}

/* Runs cmd_serve(argv) in a child with stdout and stderr on pipes. */
static pid_t run_serve(char **argv, int *out_fd, int *err_fd)
{
    int out[2], errp[2];
    pid_t pid, parent = getpid();
    int argc = 0;

    while (argv[argc] != NULL)
        argc++;
    assert_int_equal(pipe(out), 0);
    assert_int_equal(pipe(errp), 0);
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(99);
        dup2(out[1], 1);
        dup2(errp[1], 2);
        close(out[0]);
        close(errp[0]);
        _exit(cmd_serve(argc, argv));
    }
    close(out[1]);
    close(errp[1]);
    *out_fd = out[0];
    *err_fd = errp[0];
    return pid;
}

/* Reads until EOF or a newline after min_len bytes, bounded. */
static size_t read_text(int fd, char *buf, size_t cap, int want_line)
{
    long long deadline = now_ms() + IO_TIMEOUT_MS;
    size_t len = 0;

    for (int rounds = 0; rounds < 10000 && len < cap - 1; rounds++) {
        struct pollfd pfd = {fd, POLLIN, 0};
        long long left = deadline - now_ms();
        ssize_t n;

        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
            break;
        n = read(fd, buf + len, cap - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        if (want_line && memchr(buf, '\n', len) != NULL)
            break;
    }
    buf[len] = '\0';
    return len;
}

static int reap(pid_t pid)
{
    int st = -1;

    for (int i = 0; i < 1000; i++) {
        pid_t r = waitpid(pid, &st, WNOHANG);

        if (r == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        usleep(10 * 1000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    return -1;
}

static void test_serve_main(void **state)
{
    char *run_argv[] = {"serve", "--port", "0", "--quiet", NULL};
    char *bad_argv[] = {"serve", "--bogus", NULL};
    char *badport_argv[] = {"serve", "--port=70000", NULL};
    char *help_argv[] = {"serve", "--help", NULL};
    char text[8192], host[64];
    struct response rs;
    int out, err, port = 0;
    pid_t pid;

    (void)state;
    pid = run_serve(run_argv, &out, &err);
    read_text(out, text, sizeof text, 1);
    assert_int_equal(sscanf(text, "listening on http://%63[0-9.]:%d\n", host, &port), 2);
    assert_string_equal(host, "127.0.0.1");
    assert_true(port > 0);
    request_once(port, "GET /health HTTP/1.1\r\n\r\n", 0, &rs, NULL);
    assert_int_equal(rs.status, 200);
    response_free(&rs);
    assert_int_equal(kill(pid, SIGINT), 0);
    assert_int_equal(reap(pid), 0);
    read_text(out, text, sizeof text, 0);
    assert_string_equal(text, ""); /* exactly one line on stdout */
    close(out);
    close(err);

    pid = run_serve(bad_argv, &out, &err);
    read_text(err, text, sizeof text, 0);
    assert_int_equal(reap(pid), 2);
    assert_non_null(strstr(text, "unknown option '--bogus' (see concbench serve --help)"));
    close(out);
    close(err);

    pid = run_serve(badport_argv, &out, &err);
    read_text(err, text, sizeof text, 0);
    assert_int_equal(reap(pid), 2);
    assert_non_null(strstr(text, "--port '70000': expected a whole number from 0 to 65535"));
    close(out);
    close(err);

    pid = run_serve(help_argv, &out, &err);
    read_text(out, text, sizeof text, 0);
    assert_int_equal(reap(pid), 0);
    assert_non_null(strstr(text, "/delay/<ms>/bytes/<n>"));
    assert_non_null(strstr(text, "431"));
    assert_non_null(strstr(text, "--idle-timeout-ms"));
    close(out);
    close(err);
}

/* ---- issue 11: methods, absolute-form targets, half-close, slow clients, the cap ---------- */

static pid_t slow_pid;
static int slow_port;
#define SLOW_HEADER_MS 600 /* header timeout of the third server */
#define SLOW_MAX_CONNS 4   /* its connection cap */

/* FOO is no HTTP method http-parser knows: still 405 as the help says, not 400. */
static void test_unknown_method(void **state)
{
    struct response rs;

    (void)state;
    request_once(main_port, "FOO / HTTP/1.1\r\n\r\n", 0, &rs, NULL);
    assert_int_equal(rs.status, 405);
    assert_true(rs.has_allow);
    response_free(&rs);
    expect_status("FOO /health HTTP/1.1\r\nHost: t\r\n\r\n", 405, 1);
    expect_status("GARBAGE\r\n\r\n", 400, 1); /* not a request line: still 400 */
}

/* GET http://host/path HTTP/1.1 (RFC 9112 3.2.2) is routed by its path. */
static void test_absolute_form(void **state)
{
    char req[256];
    struct response rs;

    (void)state;
    snprintf(req, sizeof req,
             "GET http://127.0.0.1:%d/delay/10/bytes/5 HTTP/1.1\r\nHost: x\r\n\r\n", main_port);
    request_once(main_port, req, 0, &rs, NULL);
    check_body(&rs, 5);
    response_free(&rs);
    request_once(main_port, "GET http://localhost/health?x=1 HTTP/1.1\r\n\r\n", 0, &rs, NULL);
    assert_int_equal(rs.status, 200);
    assert_string_equal((char *)rs.body, "ok\n");
    response_free(&rs);
    expect_status("GET http://localhost/nope HTTP/1.1\r\n\r\n", 404, 0);
}

/* A client that sends its pipelined requests and then shutdown(SHUT_WR) gets every response,
 * delayed ones too, in order, and then the server closes. */
static void test_half_close(void **state)
{
    struct reader r;
    struct response rs;

    (void)state;
    reader_init(&r, tcp_connect(main_port));
    send_str(r.fd, "GET /delay/300/bytes/10 HTTP/1.1\r\n\r\nGET /health HTTP/1.1\r\n\r\n"
                   "GET /delay/200/bytes/20 HTTP/1.1\r\n\r\n");
    assert_int_equal(shutdown(r.fd, SHUT_WR), 0);
    assert_int_equal(read_response(&r, 0, &rs), 0);
    check_body(&rs, 10);
    response_free(&rs);
    assert_int_equal(read_response(&r, 0, &rs), 0);
    assert_int_equal(rs.status, 200);
    response_free(&rs);
    assert_int_equal(read_response(&r, 0, &rs), 0);
    check_body(&rs, 20);
    response_free(&rs);
    assert_int_equal(r.len, 0);
    assert_true(wait_closed(r.fd, IO_TIMEOUT_MS));
    reader_free(&r);
}

/* Sends one byte every 100 ms (each one would reset an idle timer) of a header that never ends;
 * returns 1 when the server closed the connection meanwhile, 0 if it was still open after
 * max_bytes. */
static int trickle_until_closed(int fd, int max_bytes)
{
    for (int i = 0; i < max_bytes; i++) {
        char c = i < 4 ? "GET "[i] : 'a';
        struct timespec ts = {0, 100 * 1000000};

        if (send(fd, &c, 1, MSG_NOSIGNAL) < 0)
            return 1;
        if (wait_closed(fd, 1))
            return 1;
        nanosleep(&ts, NULL);
    }
    return 0;
}

/* Clients trickling a header byte at a time are closed at the header deadline, and so do not
 * lock out the clients that come after them, even with every slot of the cap taken. */
static void test_slow_headers(void **state)
{
    int fds[SLOW_MAX_CONNS];
    struct response rs;

    (void)state;
    for (int i = 0; i < SLOW_MAX_CONNS; i++)
        fds[i] = tcp_connect(slow_port);
    /* 50 bytes at 100 ms: 5 s, far beyond the 600 ms deadline */
    for (int i = 0; i < SLOW_MAX_CONNS; i++) {
        if (!trickle_until_closed(fds[i], 50))
            fail_msg("a client trickling its header was not closed at the header deadline");
        close(fds[i]);
    }
    request_once(slow_port, "GET /health HTTP/1.1\r\n\r\n", 0, &rs, NULL);
    assert_int_equal(rs.status, 200);
    response_free(&rs);
}

/* Waits until the server has read every request sent to port: n accepted connections, each with
 * nothing left in its receive queue (/proc/net/tcp, sockets of 127.0.0.1:port). A fixed sleep was
 * not enough on a loaded machine: an unread request leaves its connection idle. */
static int wait_requests_read(int port, int n, int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;

    do {
        FILE *f = fopen("/proc/net/tcp", "r");
        char line[512];
        int done = 0, pending = 0;
        unsigned lport, st;
        unsigned long rxq;

        if (f == NULL)
            return 0;
        while (fgets(line, sizeof line, f) != NULL)
            if (sscanf(line, " %*d: %*8x:%x %*8x:%*x %x %*x:%lx", &lport, &st, &rxq) == 3 &&
                (int)lport == port && st == 1 /* ESTABLISHED */) {
                done += rxq == 0;
                pending += rxq != 0;
            }
        fclose(f);
        if (done >= n && pending == 0)
            return 1;
        usleep(10 * 1000);
    } while (now_ms() < deadline);
    return 0;
}

/* At the cap, a new client closes the oldest idle connection; with none idle it gets 503. */
static void test_max_connections(void **state)
{
    struct reader r[SLOW_MAX_CONNS];
    struct response rs;
    int closed = 0;

    (void)state;
    for (int i = 0; i < SLOW_MAX_CONNS; i++) { /* the cap's worth of idle keep-alive clients */
        reader_init(&r[i], tcp_connect(slow_port));
        send_str(r[i].fd, "GET /health HTTP/1.1\r\n\r\n");
        assert_int_equal(read_response(&r[i], 0, &rs), 0);
        response_free(&rs);
    }
    request_once(slow_port, "GET /health HTTP/1.1\r\n\r\n", 0, &rs, NULL);
    assert_int_equal(rs.status, 200);
    response_free(&rs);
    assert_true(wait_closed(r[0].fd, IO_TIMEOUT_MS)); /* the oldest idle one made room */
    reader_free(&r[0]);
    reader_init(&r[0], tcp_connect(slow_port));
    for (int i = 0; i < SLOW_MAX_CONNS; i++) /* now every connection waits for a response */
        send_str(r[i].fd, "GET /delay/3000/bytes/1 HTTP/1.1\r\n\r\n");
    assert_true(wait_requests_read(slow_port, SLOW_MAX_CONNS, IO_TIMEOUT_MS));
    request_once(slow_port, "GET /health HTTP/1.1\r\n\r\n", 0, &rs, &closed);
    assert_int_equal(rs.status, 503);
    assert_true(rs.conn_close);
    assert_true(closed);
    response_free(&rs);
    for (int i = 0; i < SLOW_MAX_CONNS; i++)
        reader_free(&r[i]);
}

static int group_setup(void **state)
{
    struct server_options o;
    struct rlimit rl;
    char err[256];

    (void)state;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ? 65536 : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    signal(SIGPIPE, SIG_IGN);
    if (server_spawn("127.0.0.1", 0, &main_pid, &main_port, err, sizeof err) < 0) {
        fprintf(stderr, "server_spawn: %s\n", err);
        return -1;
    }
    server_options_init(&o);
    o.idle_timeout_ms = IDLE_TEST_MS;
    o.quiet = 1;
    if (server_spawn_opts(&o, &idle_pid, &idle_port, err, sizeof err) < 0) {
        fprintf(stderr, "server_spawn_opts: %s\n", err);
        server_stop(main_pid);
        return -1;
    }
    server_options_init(&o);
    o.header_timeout_ms = SLOW_HEADER_MS;
    o.max_connections = SLOW_MAX_CONNS;
    o.quiet = 1;
    if (server_spawn_opts(&o, &slow_pid, &slow_port, err, sizeof err) < 0) {
        fprintf(stderr, "server_spawn_opts: %s\n", err);
        server_stop(main_pid);
        server_stop(idle_pid);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    int a = server_stop(main_pid), b = server_stop(idle_pid), c = server_stop(slow_pid);

    (void)state;
    if (a != 0 || b != 0 || c != 0) {
        fprintf(stderr, "server_stop: %d %d %d (a server did not exit cleanly)\n", a, b, c);
        return -1;
    }
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_body_period),      cmocka_unit_test(test_body_sizes),
        cmocka_unit_test(test_health_and_delay), cmocka_unit_test(test_keepalive),
        cmocka_unit_test(test_pipelined),        cmocka_unit_test(test_head),
        cmocka_unit_test(test_connection_close), cmocka_unit_test(test_bad_requests),
        cmocka_unit_test(test_idle_timeout),     cmocka_unit_test(test_disconnect_mid_delay),
        cmocka_unit_test(test_concurrent),       cmocka_unit_test(test_bind_error),
        cmocka_unit_test(test_serve_main),       cmocka_unit_test(test_unknown_method),
        cmocka_unit_test(test_absolute_form),    cmocka_unit_test(test_half_close),
        cmocka_unit_test(test_slow_headers),     cmocka_unit_test(test_max_connections),
        cmocka_unit_test(test_lateness_threads), cmocka_unit_test(test_late_buckets),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
