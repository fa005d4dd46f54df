/* The raw client's libuv face (workloads/http_raw_uv.c) when its socket cannot take a request at
 * once: the request is held for libuv and goes when the connection is up, and one abandoned on
 * the way is dropped cleanly (the sanitizer builds check that nothing leaks).
 *
 * On loopback a connect is done before it returns, so the tests make one that is not: the
 * listener's backlog is 0 and one connection already waits in it, so the kernel drops the
 * client's SYN and the socket stays in SYN_SENT until the SYN is sent again, a second later. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <uv.h>

#include "workloads/http_raw.h"

#define RESPONSE "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

struct full_listener {
    int fd, filler, port;
};

/* A listener whose accept queue is full: the next connect to it stays in SYN_SENT. */
static void listener_fill(struct full_listener *l)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;

    l->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(l->fd >= 0);
    assert_int_equal(bind(l->fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(l->fd, 0), 0);
    assert_int_equal(getsockname(l->fd, (struct sockaddr *)&a, &len), 0);
    l->port = ntohs(a.sin_port);
    l->filler = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_int_equal(connect(l->filler, (struct sockaddr *)&a, sizeof a), 0);
}

/* Whether a socket of this machine is in SYN_SENT towards port (from /proc/net/tcp). */
static int syn_sent_to(int port)
{
    FILE *f = fopen("/proc/net/tcp", "r");
    char line[256];
    int found = 0;

    assert_non_null(f);
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned rport, state;
        if (sscanf(line, " %*d: %*x:%*x %*x:%x %x", &rport, &state) == 2 && (int)rport == port &&
            state == 0x02)
            found = 1;
    }
    fclose(f);
    return found;
}

/* The server's side: frees the queue, then takes the client's connection once its SYN comes
 * again, reads its request and answers it. */
struct server {
    struct full_listener *l;
    char request[512];
    size_t got;
};

static void *serve_one(void *arg)
{
    struct server *s = arg;
    int first = accept(s->l->fd, NULL, NULL); /* the filler's, queued already */
    close(first);
    int fd = accept(s->l->fd, NULL, NULL);
    if (fd < 0)
        return NULL;
    while (s->got < sizeof s->request - 1 && strstr(s->request, "\r\n\r\n") == NULL) {
        ssize_t n = read(fd, s->request + s->got, sizeof s->request - 1 - s->got);
        if (n <= 0)
            break;
        s->got += (size_t)n;
    }
    if (write(fd, RESPONSE, strlen(RESPONSE)) < 0)
        s->got = 0;
    char c;
    while (read(fd, &c, 1) > 0) /* until the client closes */
        ;
    close(fd);
    return NULL;
}

struct outcome {
    int calls;
    struct hraw_result res;
};

static void on_done(void *arg, const struct hraw_result *res)
{
    struct outcome *o = arg;
    o->calls++;
    o->res = *res;
}

/* One request under way on a connection stuck in SYN_SENT, with what it needs kept together. */
struct held {
    struct full_listener l;
    struct outcome o;
    struct hraw_options opt;
    struct hraw_target tg;
    struct hraw_uv_shared *sh;
    struct hraw_uv *c;
    uv_loop_t loop;
};

static void held_start(struct held *h, long timeout_ms)
{
    char url[64], err[128];
    struct hraw_result res;

    memset(h, 0, sizeof *h);
    h->opt = (struct hraw_options){.reuse = 1, .timeout_ms = timeout_ms, .arg = &h->o};
    listener_fill(&h->l);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", h->l.port);
    assert_int_equal(hraw_target_parse(&h->tg, url, err, sizeof err), 0);
    assert_int_equal(uv_loop_init(&h->loop), 0);
    h->sh = hraw_uv_shared_new(&h->loop);
    assert_non_null(h->sh);
    h->c = hraw_uv_new(h->sh, &h->tg, &h->opt, on_done);
    assert_non_null(h->c);
    assert_int_equal(hraw_uv_get(h->c, "/x", &res), 0);
    assert_true(syn_sent_to(h->l.port)); /* so the request could not be written at once */
}

/* Frees the connection and the loop's shared state (which runs the loop until its handles are
 * closed: a request still held is dropped then). */
static void held_end(struct held *h)
{
    hraw_uv_free(h->c);
    hraw_uv_shared_free(h->sh);
    assert_int_equal(uv_loop_close(&h->loop), 0);
    close(h->l.filler);
    close(h->l.fd);
}

static void test_request_waits_for_the_connection(void **state)
{
    static struct held h;
    struct server srv;
    pthread_t th;
    char want[256];

    (void)state;
    held_start(&h, 10000);
    srv = (struct server){.l = &h.l};
    assert_int_equal(pthread_create(&th, NULL, serve_one, &srv), 0);
    uv_run(&h.loop, UV_RUN_DEFAULT);
    assert_int_equal(h.o.calls, 1);
    assert_int_equal(h.o.res.status, 0);
    assert_int_equal(h.o.res.http_code, 200);
    snprintf(want, sizeof want, "GET /x HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", h.l.port);
    held_end(&h); /* closes the connection: the server's thread ends */
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_string_equal(srv.request, want); /* every byte, once */
}

static void test_held_request_abandoned_at_its_deadline(void **state)
{
    static struct held h;

    (void)state;
    held_start(&h, 100);
    uv_run(&h.loop, UV_RUN_DEFAULT); /* until the deadline ends the request */
    assert_int_equal(h.o.calls, 1);
    assert_int_equal(h.o.res.status, -ETIMEDOUT);
    assert_non_null(strstr(h.o.res.text, "127.0.0.1"));
    held_end(&h);
}

/* A request whose line and headers cannot fit is refused before any connection is made. */
static void test_url_too_long(void **state)
{
    struct outcome o = {0};
    struct hraw_options opt = {.reuse = 1, .timeout_ms = 100, .arg = &o};
    struct hraw_target tg;
    struct hraw_result res;
    char path[300], err[128];
    uv_loop_t loop;

    (void)state;
    memset(path, 'a', sizeof path - 1);
    path[0] = '/';
    path[sizeof path - 1] = '\0';
    assert_int_equal(hraw_target_parse(&tg, "http://127.0.0.1:9", err, sizeof err), 0);
    assert_int_equal(uv_loop_init(&loop), 0);
    struct hraw_uv_shared *sh = hraw_uv_shared_new(&loop);
    struct hraw_uv *c = hraw_uv_new(sh, &tg, &opt, on_done);
    assert_non_null(c);
    assert_int_equal(hraw_uv_get(c, path, &res), -EINVAL);
    assert_string_equal(res.text, "URL too long for the raw client");
    uv_run(&loop, UV_RUN_DEFAULT); /* nothing holds it: no connection, no deadline */
    assert_int_equal(o.calls, 0);
    hraw_uv_free(c);
    hraw_uv_shared_free(sh);
    assert_int_equal(uv_loop_close(&loop), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_waits_for_the_connection),
        cmocka_unit_test(test_held_request_abandoned_at_its_deadline),
        cmocka_unit_test(test_url_too_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
