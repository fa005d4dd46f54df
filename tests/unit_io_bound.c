/* io_bound from the outside: runs the built binary (CONCBENCH_BIN) under every model (uring too,
 * where the build has it and the kernel allows io_uring) against the embedded server, against a
 * port where nothing listens and against a server answering 500, and reads the JSON results; with
 * client=raw as with curl, and both against canned bad responses (short body, wrong Content-Length,
 * an empty reply, 500), whose errors must read alike, and against one that closes every
 * connection after its answer. Every run is killed after RUN_TIMEOUT_S. No
 * test asserts a speed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "server/body.h"
#include "server/server.h"
#include "testutil.h"

#define RUN_TIMEOUT_S 60
#define BASE_MODELS   "sequential,pthreads,processes,green,evloop"
#define TASKS         "4"
#define REQUESTS      4
/* The server's delay per request: long enough that every task starts before the first ends.
 * Under ThreadSanitizer a thread took up to 0.9 s to start on the busy 2-core machine (4 tasks,
 * `concbench run -w io_bound -m pthreads -n 4` from build-tsan), so the tasks' 4 x 20 ms did not
 * overlap there. */
#ifdef __SANITIZE_THREAD__
#define OVERLAP_DELAY "delay_ms=500"
#else
/* 20 ms (80 ms a task) was too short at load 16: the last process started after the first one's
 * tasks ended, 1 run in 8 */
#define OVERLAP_DELAY "delay_ms=100"
#endif
/* The request timeouts of the timeout tests cover the connect too, which took
 * over 200 ms under ThreadSanitizer on the busy machine ("cannot connect ... timed out"
 * instead of the wait's "timed out after 200 ms"). */
#ifdef __SANITIZE_THREAD__
#define RAW_TIMEOUT_MS   "1000"
#define STALL_TIMEOUT_MS "1000"
#else
#define RAW_TIMEOUT_MS   "200"
#define STALL_TIMEOUT_MS "300"
#endif

static char out_buf[1 << 16], err_buf[1 << 16];
/* Every model of the tests: BASE_MODELS, and uring where it can run (main). */
static char all_models[128] = BASE_MODELS;
static int n_models = 5, have_uring;
#define ALL_MODELS all_models
/* uring's receive modes other than its default (multishot where the kernel has it). */
#define URING_RECV_MODES "uring:recv=provided,uring:recv=plain"

/* Runs `concbench run -w io_bound -m models -n TASKS ... -p extra...` (extra NULL-terminated) and
 * returns its exit status; the results are written to json_path. */
static int run_io(const char *models, const char *json_path, ...)
{
    const char *argv[64] = {"run", "-w", "io_bound", "-m", models, "-n",      TASKS,
                            "-r",  "1",  "--warmup", "0",  "-o",   json_path, "-q"};
    int argc = 14;
    va_list ap;
    const char *p;

    va_start(ap, json_path);
    while ((p = va_arg(ap, const char *)) != NULL && argc < 60) {
        argv[argc++] = "-p";
        argv[argc++] = p;
    }
    va_end(ap);
    argv[argc] = NULL;
    int rc = run_concbench(argv, RUN_TIMEOUT_S, out_buf, err_buf, sizeof out_buf);
    if (rc == -1)
        fail_msg("concbench run -m %s did not finish within %d s (hung?)\nstderr: %s", models,
                 RUN_TIMEOUT_S, err_buf);
    return rc;
}

static const char *case_model(json_t *c)
{
    const char *m = json_string_value(json_object_get(c, "model"));
    assert_non_null(m);
    return m;
}

static int case_count(json_t *root)
{
    return (int)json_array_size(json_object_get(root, "cases"));
}

/* Every task's steps_end_s: REQUESTS marks, increasing, within [start_s, end_s]. */
static void check_step_order(json_t *c)
{
    size_t i;
    json_t *t;
    json_t *tl = json_object_get(c, "timeline");

    assert_int_equal(json_array_size(tl), atoi(TASKS));
    json_array_foreach(tl, i, t)
    {
        double start = json_real_value(json_object_get(t, "start_s"));
        double end = json_real_value(json_object_get(t, "end_s"));
        json_t *steps = json_object_get(t, "steps_end_s");
        double prev = start;

        if (json_array_size(steps) != REQUESTS)
            fail_msg("%s task %zu: %zu step marks, expected %d", case_model(c), i,
                     json_array_size(steps), REQUESTS);
        for (size_t k = 0; k < REQUESTS; k++) {
            double s = json_real_value(json_array_get(steps, k));
            if (!(s >= prev && s <= end))
                fail_msg("%s task %zu: request %zu ended at %.6f, outside [%.6f, %.6f]",
                         case_model(c), i, k, s, prev, end);
            prev = s;
        }
        assert_true(start <= end);
    }
}

/* Every case validated, without errors, every task overlapping the others except under
 * sequential, where none overlap. */
static void check_good_run(json_t *root, int expected_cases)
{
    size_t i;
    json_t *c;

    assert_int_equal(case_count(root), expected_cases);
    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        const char *model = case_model(c);
        json_t *v = json_object_get(c, "validation");
        json_t *e = json_object_get(c, "errors");

        assert_string_equal(json_string_value(json_object_get(c, "workload")), "io_bound");
        if (!json_is_true(json_object_get(v, "ok")))
            fail_msg("%s: validation failed: %s", model,
                     json_dumps(json_object_get(v, "failures"), 0));
        if (json_integer_value(json_object_get(e, "count")) != 0)
            fail_msg("%s: errors: %s", model, json_dumps(json_object_get(e, "messages"), 0));
        assert_int_equal(json_integer_value(json_object_get(v, "tasks_checked")), atoi(TASKS));
        check_step_order(c);
        if (strcmp(model, "sequential") == 0) {
            if (!timeline_none_overlap(c))
                fail_msg("sequential: tasks overlap in time");
        } else if (!timeline_all_overlap(c)) {
            fail_msg("%s: tasks do not overlap in time", model);
        }
    }
}

/* Every case failed with errors, one of whose messages contains needle. */
static void check_failed_run(json_t *root, int expected_cases, const char *needle)
{
    size_t i;
    json_t *c;

    assert_int_equal(case_count(root), expected_cases);
    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        const char *model = case_model(c);
        json_t *e = json_object_get(c, "errors");
        json_t *msgs = json_object_get(e, "messages");
        json_t *m;
        size_t k;
        int found = 0;

        if (json_is_true(json_object_get(json_object_get(c, "validation"), "ok")))
            fail_msg("%s: validation ok although every request failed", model);
        if (json_integer_value(json_object_get(e, "count")) <= 0)
            fail_msg("%s: no error reported", model);
        json_array_foreach(msgs, k, m)
        {
            const char *text = json_string_value(m);
            if (text != NULL && strstr(text, needle) != NULL)
                found = 1;
        }
        if (!found)
            fail_msg("%s: no error message mentions '%s': %s", model, needle, json_dumps(msgs, 0));
    }
}

/* The connections the embedded server accepted in each case (one repetition): one a task when
 * connections are kept (no client opens a second one, none is closed early), else one a request.
 * Cases against another server have no server record. */
static void check_connections(json_t *root, int reuse)
{
    size_t i;
    json_t *c;
    long long want = (long long)atoi(TASKS) * (reuse ? 1 : REQUESTS);

    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        json_t *sv = json_object_get(c, "server");
        if (sv == NULL)
            continue;
        json_t *n = json_object_get(sv, "connections");
        if (!json_is_integer(n))
            fail_msg("%s: no server.connections in the results", case_model(c));
        if (json_integer_value(n) != want)
            fail_msg("%s: the server accepted %lld connections, expected %lld", case_model(c),
                     (long long)json_integer_value(n), want);
    }
}

static int has_param(const char *p1, const char *p2, const char *p3, const char *want)
{
    return (p1 && strcmp(p1, want) == 0) || (p2 && strcmp(p2, want) == 0) ||
           (p3 && strcmp(p3, want) == 0);
}

/* Runs io_bound on models with up to three -p parameters (NULL ends them early) and checks
 * that every one of the ncases cases downloaded correct bytes over the connections expected. */
static void expect_good_run(const char *models, int ncases, const char *p1, const char *p2,
                            const char *p3)
{
    char path[256];
    temp_path(path, sizeof path, ".json");

    int rc = run_io(models, path, p1, p2, p3, NULL);
    if (rc != 0)
        fail_msg("-m %s -p %s -p %s: exit status %d\nstdout: %s\nstderr: %s", models, p1,
                 p2 ? p2 : "", rc, out_buf, err_buf);
    json_t *root = load_json(path);
    check_good_run(root, ncases);
    check_connections(root, !has_param(p1, p2, p3, "reuse=0"));
    json_decref(root);
    unlink(path);
}

/* Runs io_bound on models (ncases of them) with up to three -p parameters (NULL ends them
 * early) and checks that the run failed (exit status 1) with every case reporting an error that
 * contains needle. */
static void expect_failed_on(const char *models, int ncases, const char *needle, const char *p1,
                             const char *p2, const char *p3)
{
    char path[256];
    temp_path(path, sizeof path, ".json");

    int rc = run_io(models, path, p1, p2, p3, NULL);
    if (rc != 1)
        fail_msg("-m %s -p %s: exit status %d, expected 1\nstderr: %s", models, p1, rc, err_buf);
    json_t *root = load_json(path);
    check_failed_run(root, ncases, needle);
    json_decref(root);
    unlink(path);
}

/* The same on every model. */
static void expect_failed_run(const char *needle, const char *p1, const char *p2, const char *p3)
{
    expect_failed_on(ALL_MODELS, n_models, needle, p1, p2, p3);
}

static void test_all_models_download_correct_bytes(void **state)
{
    (void)state;
    expect_good_run(ALL_MODELS, n_models, OVERLAP_DELAY, "bytes=4096", NULL);
}

static void test_new_connection_per_request(void **state)
{
    (void)state;
    expect_good_run(ALL_MODELS, n_models, OVERLAP_DELAY, "bytes=4096", "reuse=0");
}

/* Bodies of other sizes: empty, and many read buffers long. */
static void test_odd_sizes(void **state)
{
    (void)state;
    expect_good_run("evloop,pthreads", 2, OVERLAP_DELAY, "bytes=0", NULL);
    expect_good_run("green,processes", 2, OVERLAP_DELAY, "bytes=300000", NULL);
}

static void test_connection_refused(void **state)
{
    (void)state;
    /* Port 1 on the loopback: nothing listens there, the connection is refused at once. */
    expect_failed_run("connect", "url=http://127.0.0.1:1/", NULL, NULL);
}

/* A server slower than timeout_ms: every model reports the timeout and finishes. */
static void test_timeout_is_an_error(void **state)
{
    (void)state;
    expect_failed_run("imed out", "delay_ms=3000", "timeout_ms=200", NULL);
}

static void test_http_500_is_an_error(void **state)
{
    (void)state;
    char url[128], err[256];
    pid_t pid;
    int port;

    if (server_spawn("127.0.0.1", 0, &pid, &port, err, sizeof err) != 0)
        fail_msg("server_spawn: %s", err);
    snprintf(url, sizeof url, "url=http://127.0.0.1:%d/status/500", port);
    expect_failed_run("500", url, NULL, NULL);
    server_stop(pid);
}

/* User URLs: any 200 counts (no digest to compare), URLs cycle request after request. */
static void test_user_urls(void **state)
{
    (void)state;
    char path[256], url1[128], url2[128], err[256];
    pid_t pid;
    int port;

    if (server_spawn("127.0.0.1", 0, &pid, &port, err, sizeof err) != 0)
        fail_msg("server_spawn: %s", err);
    snprintf(url1, sizeof url1, "url=http://127.0.0.1:%d/delay/10/bytes/100", port);
    snprintf(url2, sizeof url2, "url=http://127.0.0.1:%d/health", port);
    temp_path(path, sizeof path, ".json");

    int rc = run_io("sequential,evloop", path, url1, url2, NULL);
    server_stop(pid);
    if (rc != 0)
        fail_msg("exit status %d\nstderr: %s", rc, err_buf);
    json_t *root = load_json(path);
    check_good_run(root, 2);
    json_decref(root);
    unlink(path);
}

static void test_raw_client_downloads_correct_bytes(void **state)
{
    (void)state;
    expect_good_run(ALL_MODELS, n_models, OVERLAP_DELAY, "bytes=4096", "client=raw");
    expect_good_run(ALL_MODELS, n_models, OVERLAP_DELAY, "reuse=0", "client=raw");
    expect_good_run("evloop,pthreads", 2, OVERLAP_DELAY, "bytes=0", "client=raw");
    expect_good_run("green,processes", 2, OVERLAP_DELAY, "bytes=300000", "client=raw");
    if (have_uring) { /* every receive mode: empty bodies, and many provided buffers long */
        expect_good_run("uring," URING_RECV_MODES, 3, OVERLAP_DELAY, "bytes=0", "client=raw");
        expect_good_run("uring," URING_RECV_MODES, 3, OVERLAP_DELAY, "bytes=300000", "client=raw");
        expect_good_run(URING_RECV_MODES, 2, OVERLAP_DELAY, "reuse=0", "client=raw");
    }
}

/* client=raw knows the embedded server's paths only: url= is a usage error that says so. */
static void test_raw_client_refuses_user_urls(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path, ".json");
    int rc = run_io("evloop", path, "url=http://127.0.0.1:1/", "client=raw", NULL);
    if (rc != 2 || strstr(err_buf, "client=raw talks only to the embedded server") == NULL)
        fail_msg("exit status %d, expected 2 with a message\nstderr: %s", rc, err_buf);
    unlink(path);
}

/* Nothing listens, or the server is slower than timeout_ms: both clients say it in the same words
 * (workloads/http_errors.h), whatever curl's version. */
static void test_raw_client_connect_and_timeout(void **state)
{
    (void)state;
    expect_failed_run("cannot connect to 127.0.0.1 port 1: Connection refused",
                      "server=http://127.0.0.1:1", "client=raw", NULL);
    expect_failed_run("cannot connect to 127.0.0.1 port 1: Connection refused",
                      "server=http://127.0.0.1:1", NULL, NULL);
    expect_failed_run("timed out after " RAW_TIMEOUT_MS " ms: 0 body bytes received",
                      "delay_ms=5000", "timeout_ms=" RAW_TIMEOUT_MS, "client=raw");
}

/* A server's bad response, and what both clients must report for it. */
struct bad_response {
    const char *reply;
    int close_after;
    const char *param; /* one more -p, or NULL */
    const char *needle;
};

#define BODY_100                                                                                   \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
    "aaaaaaaa"
#define BODY_1000                                                                                  \
    BODY_100 BODY_100 BODY_100 BODY_100 BODY_100 BODY_100 BODY_100 BODY_100 BODY_100 BODY_100

static const struct bad_response bad_responses[] = {
    /* the connection closes mid-body */
    {"HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n" BODY_1000, 1, NULL,
     "connection closed mid-body: 1000 of 3000 body bytes received, 2000 missing"},
    /* a Content-Length beyond the body on a connection that stays open */
    {"HTTP/1.1 200 OK\r\nContent-Length: 1100\r\n\r\n" BODY_1000, 0, "timeout_ms=" STALL_TIMEOUT_MS,
     "timed out after " STALL_TIMEOUT_MS " ms: 1000 of 1100 body bytes received"},
    /* a Content-Length short of the body: the bytes counted are too few */
    {"HTTP/1.1 200 OK\r\nContent-Length: 900\r\n\r\n" BODY_1000, 0, "bytes=1000",
     "900 body bytes, expected 1000"},
    {"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n", 0, NULL, "HTTP 500"},
    {"", 1, NULL, "empty reply from server"},
};

/* A server that answers each request in full and then ends the connection without saying so
 * (no "Connection: close"): the client's kept-alive connection dies while idle, between two
 * requests. The server's side ends with a FIN and it reads on, so that a client that reuses the
 * connection before it sees the FIN gets an empty reply, which both clients retry on a new
 * connection; a full close would answer that request with a reset, which curl 7.88 does not
 * always retry. curl's async face keeps an idle socket in its epoll set (http_multi_uv.c): the
 * close must take it out there and the next request go out on a new connection, on every
 * loop-driven model, with both clients. */
static void test_server_closes_idle_connections(void **state)
{
    (void)state;
    char reply[256], server[64];
    int len = snprintf(reply, sizeof reply, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
    for (int i = 0; i < 100; i++)
        reply[len++] = (char)body_byte((uint64_t)i);
    int port;
    pid_t pid = canned_server_start(reply, (size_t)len, CANNED_HALF_CLOSE, &port);
    snprintf(server, sizeof server, "server=http://127.0.0.1:%d", port);
    const char *clients[] = {"client=curl", "client=raw"};
    for (size_t c = 0; c < 2; c++) {
        char path[256];
        temp_path(path, sizeof path, ".json");
        int rc = run_io("evloop,green", path, server, "bytes=100", clients[c], NULL);
        if (rc != 0)
            fail_msg("%s: exit status %d\nstderr: %s", clients[c], rc, err_buf);
        json_t *root = load_json(path);
        size_t i;
        json_t *cs;
        assert_int_equal(case_count(root), 2);
        json_array_foreach(json_object_get(root, "cases"), i, cs)
        {
            assert_case_valid(cs, atoi(TASKS));
        }
        json_decref(root);
        unlink(path);
    }
    canned_server_stop(pid);
}

static void test_bad_responses_read_alike(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_responses / sizeof bad_responses[0]; i++) {
        const struct bad_response *b = &bad_responses[i];
        char server[64];
        int port;
        pid_t pid = canned_server_start(b->reply, strlen(b->reply), b->close_after, &port);
        snprintf(server, sizeof server, "server=http://127.0.0.1:%d", port);
        expect_failed_run(b->needle, server, "client=raw", b->param);
        expect_failed_run(b->needle, server, "client=curl", b->param);
        if (have_uring)
            expect_failed_on(URING_RECV_MODES, 2, b->needle, server, "client=raw", b->param);
        canned_server_stop(pid);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_models_download_correct_bytes),
        cmocka_unit_test(test_new_connection_per_request),
        cmocka_unit_test(test_odd_sizes),
        cmocka_unit_test(test_connection_refused),
        cmocka_unit_test(test_timeout_is_an_error),
        cmocka_unit_test(test_http_500_is_an_error),
        cmocka_unit_test(test_user_urls),
        cmocka_unit_test(test_raw_client_downloads_correct_bytes),
        cmocka_unit_test(test_raw_client_refuses_user_urls),
        cmocka_unit_test(test_raw_client_connect_and_timeout),
        cmocka_unit_test(test_bad_responses_read_alike),
        cmocka_unit_test(test_server_closes_idle_connections),
    };
    char why[256];

    unsetenv("CONCBENCH_URING_DISABLE");
    have_uring = uring_usable(why, sizeof why);
    if (have_uring) {
        strcat(all_models, ",uring");
        n_models++;
    } else {
        printf("io_bound under uring: skipped (%s)\n", why);
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
