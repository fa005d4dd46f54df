/* io_bound: every task downloads `requests` URLs one after another, the article's I/O-bound case.
 *
 * Blocking face (sequential, pthreads, processes): curl_easy_perform on the task's own easy
 * handle. Async face (evloop, green): the same easy handle added to the loop's curl multi handle
 * (http_multi_uv.c). Without url= the workload starts the embedded latency server and checks every
 * byte of every body against server/body.h. client=raw swaps curl for the lean keep-alive client
 * of http_raw.h (embedded server or server= only): blocking sockets, or libuv streams on a loop. */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <curl/curl.h>

#include "common/article_sizes.h"
#include "server/body.h"
#include "server/server.h"
#include "common/limits.h"
#include "workloads/http_multi_uv.h"
#include "workloads/http_errors.h"
#include "workloads/http_raw.h"
#include "workloads/io_bound.h"
#include "workloads/io_latency.h"
#include "workloads/workload.h"

#define IO_MAX_URLS PARAMS_MAX
#define IO_URL_LEN  512
#define IO_BASE_LEN 200 /* server=: room for "http://host:port" and a path prefix */

static const struct param_spec io_params[] = {
    {"url", PARAM_STRING, NULL, 0, 0, NULL,
     "URL to GET (repeatable; requests cycle through them); default: the embedded server", 1},
    {"requests", PARAM_INT, ARTICLE_TEXT(ARTICLE_REQUESTS), 1, IO_MAX_REQUESTS, NULL,
     "GETs per task, one after another", 0},
    {"delay_ms", PARAM_INT, ARTICLE_TEXT(ARTICLE_DELAY_MS), 0, 60000, NULL,
     "embedded server: delay before each response", 0},
    {"bytes", PARAM_INT, ARTICLE_TEXT(ARTICLE_BYTES), 0, SERVER_MAX_BYTES, NULL,
     "embedded server: body size", 0},
    {"reuse", PARAM_INT, "1", 0, 1, NULL,
     "1 = keep-alive, connections are reused; 0 = a new connection per request (urlopen)", 0},
    {"timeout_ms", PARAM_INT, "30000", 1, 3600000, NULL, "limit for each request", 0},
    {"latency", PARAM_STRING, NULL, 1, IO_MAX_REQUESTS, NULL,
     "delay of every request, drawn from the seed: " LATENCY_KINDS
     ", e.g. lognormal:median=120,sigma=0.6 (default fixed:ms=<delay_ms>); latency.N=... for "
     "request N alone",
     PARAM_PER_POSITION},
    {"latency_profile", PARAM_STRING, NULL, 0, 0, NULL,
     "file with one distribution per request position (see results/published/"
     "latency_article.txt)",
     0},
    {"latency_scale", PARAM_STRING, NULL, 0, 0, NULL,
     "multiply every drawn distribution's durations by this factor in (0, 100], e.g. 0.1 "
     "makes a 31 s profile 3 s (the shape, sigma and alpha, stays)",
     0},
    {"seed", PARAM_INT, "1", 0, 9007199254740991LL, NULL,
     "seed of the drawn delays: the same seed, the same delays in every model and repetition", 0},
    {"client", PARAM_CHOICE, "curl", 0, 0, "curl|raw",
     "curl = libcurl, any URL; raw = a lean keep-alive HTTP/1.1 client for the embedded server "
     "or server= (blocking sockets, or libuv streams on a loop; http-parser): what the client "
     "costs, side by side with curl",
     0},
    {"server", PARAM_STRING, NULL, 0, 0, NULL,
     "base URL of a server that honours /delay/<ms>/bytes/<n> (e.g. concbench serve), instead "
     "of the embedded one",
     0},
    {0},
};

struct io_instance {
    char **urls;
    int nurls;
    int requests;
    int reuse;
    long timeout_ms;
    int embedded;              /* urls point at our own server: bodies are known */
    int raw;                   /* client=raw */
    struct hraw_target target; /* client=raw: base_url's address */
    long long bytes;
    char base_url[IO_BASE_LEN]; /* embedded (or server=): request k goes to <base>/delay/... */
    struct io_latency lat;      /* the delay of every request */
    pid_t server_pid;
    pid_t owner_pid;      /* the process that spawned the server: only it may stop it */
    uint64_t req_digest;  /* expected digest of one body (embedded) */
    uint64_t task_digest; /* expected fold over a whole task (embedded) */
};

/* Per-task state, created in the process that runs the task. */
struct io_task {
    struct hmu_xfer xfer;   /* first: async face */
    struct io_shard *shard; /* async face: where the task's transfers run, while it runs */
    struct task_ctx *t;
    struct io_instance *in;
    CURL *easy;               /* client=curl */
    struct hraw_sock sock;    /* client=raw, blocking face */
    struct hraw_uv *conn;     /* client=raw, async face */
    struct hraw_options ropt; /* client=raw */
    const char *url;          /* of the request under way */
    char url_buf[IO_BASE_LEN + 48];
    uint64_t got;     /* body bytes of the request under way */
    uint64_t digest;  /* FNV-1a of those bytes (user URLs) */
    int intact;       /* embedded server: every byte so far is the expected one */
    int socket_errno; /* why socket() failed in the request under way, or 0 */
    char errbuf[CURL_ERROR_SIZE];
};

/* curl reports a socket() that failed only as "Couldn't connect to server"; opening the socket
 * here keeps its errno, so that running out of descriptors names RLIMIT_NOFILE. */
static curl_socket_t open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
    struct io_task *s = arg;
    curl_socket_t fd;

    (void)purpose;
    fd = socket(a->family, a->socktype, a->protocol);
    if (fd == CURL_SOCKET_BAD)
        s->socket_errno = errno;
    return fd;
}

/* Per-loop state of the async face: the loop's transfers are spread over several curl multi
 * handles ("shards") of at most IO_SHARD_TASKS tasks each. libcurl 7.88 (Debian 12) walks a multi
 * handle's whole connection cache in curl_multi_remove_handle whenever the transfer left its
 * connection there (reuse=1), so one multi handle for everything costs O(tasks) per request: at
 * 4,000 tasks that was 2.7 s of CPU on the loop thread instead of 0.6 s. A task stays in its shard,
 * whose cache keeps its connection for the next request; a shard costs about 6 KiB and two
 * uv_timer_t. */
#define IO_SHARD_TASKS 32

struct io_shard {
    struct hmu *hmu;
    int members; /* tasks assigned and not finished */
    int index;
};

struct io_loop {
    uv_loop_t *loop;
    char *rbuf; /* client=raw: the loop's receive buffer, HRAW_UV_RBUF bytes */
    struct io_shard **shards;
    int nshards, cap;
    int hint; /* no shard below this one has room */
};

static uint64_t fold_digest(uint64_t acc, uint64_t req)
{
    return (acc << 7 | acc >> 57) ^ req;
}

static void io_release(void *instance)
{
    struct io_instance *in = instance;
    if (in == NULL)
        return;
    if (in->server_pid > 0 && in->owner_pid == getpid())
        server_stop(in->server_pid);
    for (int i = 0; i < in->nurls; i++)
        free(in->urls[i]);
    free(in->urls);
    io_latency_free(&in->lat);
    free(in);
}

/* Our own server, or server=: bodies are known, and each request's delay travels in its path. */
static int prepare_server(struct io_instance *in, const char *server, char *err, size_t errlen)
{
    if (server != NULL) {
        size_t len = strlen(server);
        while (len > 0 && server[len - 1] == '/')
            len--;
        if (len >= IO_BASE_LEN) {
            snprintf(err, errlen, "server=: URL longer than %d characters", IO_BASE_LEN - 1);
            return -1;
        }
        snprintf(in->base_url, sizeof in->base_url, "%.*s", (int)len, server);
    } else {
        int port = 0;
        if (server_spawn("127.0.0.1", 0, &in->server_pid, &port, err, errlen) != 0) {
            in->server_pid = 0;
            return -1;
        }
        in->owner_pid = getpid();
        snprintf(in->base_url, sizeof in->base_url, "http://127.0.0.1:%d", port);
    }
    in->embedded = 1;
    in->req_digest = body_digest_expected((uint64_t)in->bytes);
    in->task_digest = 0;
    for (int i = 0; i < in->requests; i++)
        in->task_digest = fold_digest(in->task_digest, in->req_digest);
    return 0;
}

/* url=: the user's URLs, cycled request after request; bodies are only hashed. */
static int prepare_urls(struct io_instance *in, const char **given, int n, char *err, size_t errlen)
{
    for (int i = 0; i < n; i++) {
        if (given[i][0] == '\0') {
            snprintf(err, errlen, "url: empty URL");
            return -1;
        }
        in->urls[i] = strdup(given[i]);
        if (in->urls[i] == NULL) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        in->nurls = i + 1;
    }
    return 0;
}

static int io_prepare(const struct param_set *params, void **instance, char *err, size_t errlen)
{
    struct io_instance *in = calloc(1, sizeof *in);
    if (in == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    in->requests = (int)params_int(params, io_params, "requests");
    in->reuse = (int)params_int(params, io_params, "reuse");
    in->timeout_ms = (long)params_int(params, io_params, "timeout_ms");
    in->bytes = params_int(params, io_params, "bytes");
    long delay_ms = (long)params_int(params, io_params, "delay_ms");
    const char *server = params_str(params, io_params, "server");
    in->raw = strcmp(params_str(params, io_params, "client"), "raw") == 0;
    const char *given[IO_MAX_URLS];
    int n = params_all(params, "url", given, IO_MAX_URLS), rc;
    int shaped = params_str(params, io_params, "latency") != NULL ||
                 params_str(params, io_params, "latency_profile") != NULL ||
                 params_max_index(params, "latency") > 0;

    if (n > 0 && (server != NULL || shaped)) {
        snprintf(err, errlen,
                 "url= fetches the given URLs as they are; latency=, latency.N=, "
                 "latency_profile= and server= need a server that honours "
                 "/delay/<ms>/bytes/<n> (the embedded one, or server=)");
        io_release(in);
        return -1;
    }
    if (n > 0 && in->raw) {
        snprintf(err, errlen,
                 "client=raw talks only to the embedded server or server= (a server that "
                 "honours /delay/<ms>/bytes/<n>); url= is fetched with client=curl");
        io_release(in);
        return -1;
    }
    in->urls = calloc(n > 0 ? (size_t)n : 1, sizeof *in->urls);
    if (in->urls == NULL) {
        snprintf(err, errlen, "out of memory");
        io_release(in);
        return -1;
    }
    rc = io_latency_prepare(&in->lat, params, io_params, in->requests, delay_ms, err, errlen);
    if (rc == 0) {
        /* Each connection is a file descriptor; thousands of tasks need more than the usual
         * 1024. Done before the server is forked so that it inherits the limit too. */
        limits_raise_nofile(NULL, NULL);
        rc = n == 0 ? prepare_server(in, server, err, errlen)
                    : prepare_urls(in, given, n, err, errlen);
    }
    if (rc == 0 && in->raw && hraw_target_parse(&in->target, in->base_url, err, errlen) != 0)
        rc = -1;
    if (rc != 0) {
        io_release(in);
        return -1;
    }
    *instance = in;
    return 0;
}

static int io_steps(const void *instance)
{
    const struct io_instance *in = instance;
    return in->requests;
}

static enum step_kind io_step_kind(const void *instance, int step)
{
    (void)instance;
    (void)step;
    return STEP_WAIT;
}

/* Body bytes as they arrive, from either client. */
static void take_body(void *arg, const char *data, size_t len)
{
    struct io_task *s = arg;
    /* Our own server's body is known: compare every byte with the pattern (memcmp speed)
     * rather than hash it, which cost a quarter of the client's CPU at 5,000 tasks. */
    if (s->in->embedded)
        s->intact = s->intact && body_matches(s->got, data, len);
    else
        s->digest = hash_fnv1a(s->digest, data, len);
    s->got += len;
}

static size_t write_cb(char *data, size_t size, size_t nmemb, void *userp)
{
    take_body(userp, data, size * nmemb);
    return size * nmemb;
}

/* client=curl: the task's easy handle, set up once for all its requests. 0 or a task status. */
static int curl_task_init(struct io_task *s, struct task_ctx *t)
{
    const struct io_instance *in = s->in;
    s->easy = curl_easy_init();
    if (s->easy == NULL)
        return task_fail(t->table, t->rec, -ENOMEM, "curl_easy_init failed");
    CURL *e = s->easy;
    CURLcode rc = CURLE_OK;
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, in->timeout_ms);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(e, CURLOPT_WRITEDATA, s);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->errbuf);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, s);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
    if (rc == CURLE_OK && in->embedded) /* never through an http_proxy from the environment */
        rc = curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
    if (rc == CURLE_OK && !in->reuse)
        rc = curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
    if (rc == CURLE_OK && !in->reuse)
        rc = curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
    if (rc != CURLE_OK) {
        curl_easy_cleanup(e);
        s->easy = NULL;
        return task_fail(t->table, t->rec, -EINVAL, "curl_easy_setopt: %s", curl_easy_strerror(rc));
    }
    return 0;
}

static int io_task_init(void *instance, struct task_ctx *t)
{
    struct io_instance *in = instance;
    struct io_task *s = calloc(1, sizeof *s);
    if (s == NULL)
        return task_fail(t->table, t->rec, -ENOMEM, "out of memory");
    s->t = t;
    s->in = in;
    hraw_sock_init(&s->sock);
    s->ropt = (struct hraw_options){
        .reuse = in->reuse, .timeout_ms = in->timeout_ms, .on_body = take_body, .arg = s};
    int status = in->raw ? 0 : curl_task_init(s, t);
    if (status != 0) {
        free(s);
        return status;
    }
    t->rec->digest = 0;
    t->state = s;
    return 0;
}

static void io_task_fini(void *instance, struct task_ctx *t)
{
    (void)instance;
    struct io_task *s = t->state;
    if (s == NULL)
        return;
    hmu_cancel(&s->xfer); /* a transfer abandoned mid-step, if any */
    curl_easy_cleanup(s->easy);
    hraw_sock_close(&s->sock);
    hraw_uv_free(s->conn); /* a request abandoned mid-step, if any, with it */
    free(s);
    t->state = NULL;
}

/* Fails the task with "GET <url>: <cause>". An error text keeps TASK_ERROR_LEN bytes: when that is
 * too short the URL is cut, never the cause. */
static int fail_request(struct task_ctx *t, const char *url, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail_request(struct task_ctx *t, const char *url, int status, const char *fmt, ...)
{
    char cause[TASK_ERROR_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cause, sizeof cause, fmt, ap);
    va_end(ap);
    int room = TASK_ERROR_LEN - 1 - (int)strlen("GET : ") - (int)strlen(cause);
    if ((int)strlen(url) <= room)
        return task_fail(t->table, t->rec, status, "GET %s: %s", url, cause);
    if (room >= 16 + 3)
        return task_fail(t->table, t->rec, status, "GET %.*s...: %s", room - 3, url, cause);
    return task_fail(t->table, t->rec, status, "%s (GET %s)", cause, url);
}

/* Points the easy handle at the URL of step t->step and resets the body counters. */
static int begin_request(struct io_task *s, struct task_ctx *t)
{
    const struct io_instance *in = s->in;
    if (in->embedded) {
        long ms = io_latency_ms(&in->lat, (uint64_t)t->rec->task, t->step);
        snprintf(s->url_buf, sizeof s->url_buf, "%s/delay/%ld/bytes/%lld", in->base_url, ms,
                 in->bytes);
        s->url = s->url_buf;
    } else {
        s->url = in->urls[t->step % in->nurls];
    }
    s->got = 0;
    s->digest = HASH_FNV1A_INIT;
    s->intact = 1;
    s->errbuf[0] = '\0';
    s->socket_errno = 0;
    if (in->raw)
        return 0;
    CURLcode rc = curl_easy_setopt(s->easy, CURLOPT_URL, s->url);
    if (rc != CURLE_OK)
        return fail_request(t, s->url, -EINVAL, "%s", curl_easy_strerror(rc));
    return 0;
}

static int curl_status(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
        return -ECONNREFUSED;
    case CURLE_OPERATION_TIMEDOUT:
        return -ETIMEDOUT;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return -EHOSTUNREACH;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
        return -EINVAL;
    case CURLE_OUT_OF_MEMORY:
        return -ENOMEM;
    default:
        return -EIO;
    }
}

/* A socket() that failed, with the limit behind it named (RLIMIT_NOFILE). */
static int fail_socket(struct io_task *s, struct task_ctx *t, int err)
{
    char hint[200];
    limits_hint(err, hint, sizeof hint);
    return fail_request(t, s->url, -err, "cannot open a socket: %s%s%s%s", strerror(err),
                        *hint ? " (" : "", hint, *hint ? ")" : "");
}

/* Judges a whole response (either client) and folds its digest into the task's. Returns 0 or
 * the task's new negative status. */
static int judge_response(struct io_task *s, struct task_ctx *t, long code)
{
    const struct io_instance *in = s->in;
    if (code != 200)
        return fail_request(t, s->url, -EPROTO, "HTTP %ld", code);
    if (in->embedded && s->got != (uint64_t)in->bytes)
        return fail_request(t, s->url, -EBADMSG, "%" PRIu64 " body bytes, expected %lld", s->got,
                            in->bytes);
    if (in->embedded && !s->intact)
        return fail_request(t, s->url, -EBADMSG, "body differs from the expected bytes");
    /* Every byte matched, so the body's digest is the expected one by construction. */
    if (in->embedded)
        s->digest = in->req_digest;
    t->rec->digest = fold_digest(t->rec->digest, s->digest);
    return 0;
}

/* "cannot connect to HOST port P: <errno's text>" for the URL of the request under way. */
static int describe_connect_failure(struct io_task *s, char *text, size_t len)
{
    long os_errno = 0;
    curl_easy_getinfo(s->easy, CURLINFO_OS_ERRNO, &os_errno);
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL;
    int rc = -1;
    if (u != NULL && curl_url_set(u, CURLUPART_URL, s->url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
        http_err_connect(text, len, host, strtol(port, NULL, 10), (int)os_errno);
        rc = 0;
    }
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return rc;
}

/* A failed curl transfer. The failures the raw client can meet too are told in the words of
 * http_errors.h, from curl's code and counts, so they read alike whatever curl's version;
 * any other is curl's own text. */
static int fail_curl(struct io_task *s, struct task_ctx *t, CURLcode rc)
{
    char text[256];
    curl_off_t length = -1;
    curl_easy_getinfo(s->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    switch (rc) {
    case CURLE_PARTIAL_FILE:
        http_err_closed(text, sizeof text, s->got, (long long)length);
        break;
    case CURLE_OPERATION_TIMEDOUT:
        http_err_timeout(text, sizeof text, s->in->timeout_ms, s->got, (long long)length);
        break;
    case CURLE_GOT_NOTHING:
        snprintf(text, sizeof text, "%s", HTTP_ERR_EMPTY);
        break;
    case CURLE_COULDNT_CONNECT:
        if (describe_connect_failure(s, text, sizeof text) == 0)
            break;
        /* fall through */
    default:
        snprintf(text, sizeof text, "%s", s->errbuf[0] ? s->errbuf : curl_easy_strerror(rc));
    }
    return fail_request(t, s->url, curl_status(rc), "%s", text);
}

/* The curl request that just ended. */
static int finish_request(struct io_task *s, struct task_ctx *t, CURLcode rc)
{
    if (rc != CURLE_OK && s->socket_errno != 0)
        return fail_socket(s, t, s->socket_errno);
    if (rc != CURLE_OK)
        return fail_curl(s, t, rc);
    long code = 0;
    rc = curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &code);
    if (rc != CURLE_OK)
        return fail_request(t, s->url, -EIO, "%s", curl_easy_strerror(rc));
    return judge_response(s, t, code);
}

/* The raw client's request that just ended. */
static int finish_raw(struct io_task *s, struct task_ctx *t, const struct hraw_result *res)
{
    if (res->status != 0 && res->sys_errno != 0)
        return fail_socket(s, t, res->sys_errno);
    if (res->status != 0)
        return fail_request(t, s->url, res->status, "%s", res->text);
    return judge_response(s, t, res->http_code);
}

/* The request's path, from the origin on, for the raw client. */
static const char *raw_path(const struct io_task *s)
{
    return s->url + s->in->target.origin_len;
}

static int io_step_block(void *instance, struct task_ctx *t)
{
    (void)instance;
    struct io_task *s = t->state;
    int status = begin_request(s, t);
    if (status != 0)
        return status;
    if (s->in->raw) {
        struct hraw_result res;
        hraw_get_block(&s->sock, &s->in->target, raw_path(s), &s->ropt, &res);
        return finish_raw(s, t, &res);
    }
    return finish_request(s, t, curl_easy_perform(s->easy));
}

/* Async face. */

static int io_loop_init(void *instance, uv_loop_t *loop, void **loop_state)
{
    const struct io_instance *in = instance;
    struct io_loop *l = calloc(1, sizeof *l);
    if (l == NULL)
        return -ENOMEM;
    if (in->raw && (l->rbuf = malloc(HRAW_UV_RBUF)) == NULL) {
        free(l);
        return -ENOMEM;
    }
    l->loop = loop;
    *loop_state = l;
    return 0;
}

/* Must run outside uv_run: closes the multi handles' libuv handles and runs the loop until they
 * are closed, so the caller may uv_loop_close right after. */
static void io_loop_fini(void *instance, void *loop_state)
{
    (void)instance;
    struct io_loop *l = loop_state;
    if (l == NULL)
        return;
    for (int i = 0; i < l->nshards; i++) {
        hmu_free(l->shards[i]->hmu);
        free(l->shards[i]);
    }
    free(l->shards);
    free(l->rbuf);
    free(l);
}

static struct io_shard *shard_join(struct io_loop *l)
{
    for (int i = l->hint; i < l->nshards; i++) {
        if (l->shards[i]->members < IO_SHARD_TASKS) {
            l->hint = i;
            l->shards[i]->members++;
            return l->shards[i];
        }
    }
    if (l->nshards == l->cap) {
        int cap = l->cap ? 2 * l->cap : 16;
        struct io_shard **grown = realloc(l->shards, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return NULL;
        l->shards = grown;
        l->cap = cap;
    }
    struct io_shard *sh = calloc(1, sizeof *sh);
    if (sh == NULL)
        return NULL;
    sh->hmu = hmu_new(l->loop);
    if (sh->hmu == NULL) {
        free(sh);
        return NULL;
    }
    sh->index = l->nshards;
    sh->members = 1;
    l->shards[l->nshards++] = sh;
    l->hint = sh->index;
    return sh;
}

static void shard_leave(struct io_loop *l, struct io_task *s)
{
    if (s->shard == NULL)
        return;
    s->shard->members--;
    if (s->shard->index < l->hint)
        l->hint = s->shard->index;
    s->shard = NULL;
}

static void xfer_done(struct hmu_xfer *x, CURLcode result)
{
    struct io_task *s = (struct io_task *)x; /* xfer is the first member */
    struct task_ctx *t = s->t;
    int status = finish_request(s, t, result);
    if (status != 0 || t->step + 1 >= s->in->requests)
        shard_leave(t->loop_state, s); /* the task ends with this step */
    t->done(t, status);
}

static void raw_done(void *arg, const struct hraw_result *res)
{
    struct io_task *s = arg;
    struct task_ctx *t = s->t;
    t->done(t, finish_raw(s, t, res));
}

/* client=raw's async face: the task's connection lives on the loop from its first request. */
static int raw_step_start(struct io_task *s, struct task_ctx *t, struct io_loop *l)
{
    struct hraw_result res;
    int status = begin_request(s, t);
    if (status != 0)
        return status;
    if (s->conn == NULL &&
        (s->conn = hraw_uv_new(t->loop, &s->in->target, &s->ropt, raw_done, l->rbuf)) == NULL)
        return fail_request(t, s->url, -ENOMEM, "out of memory");
    if (hraw_uv_get(s->conn, raw_path(s), &res) != 0)
        return finish_raw(s, t, &res);
    return 0;
}

static int io_step_start(void *instance, struct task_ctx *t)
{
    (void)instance;
    struct io_task *s = t->state;
    struct io_loop *l = t->loop_state;
    if (l == NULL)
        return task_fail(t->table, t->rec, -EINVAL, "io_bound: no loop state");
    if (s->in->raw)
        return raw_step_start(s, t, l);
    int status = begin_request(s, t);
    if (status != 0) {
        shard_leave(l, s);
        return status;
    }
    if (s->shard == NULL && (s->shard = shard_join(l)) == NULL)
        return fail_request(t, s->url, -ENOMEM, "cannot create a curl multi handle");
    s->xfer.easy = s->easy;
    s->xfer.done = xfer_done;
    CURLMcode rc = hmu_add(s->shard->hmu, &s->xfer);
    if (rc != CURLM_OK) {
        shard_leave(l, s);
        return fail_request(t, s->url, -EIO, "curl_multi_add_handle: %s", curl_multi_strerror(rc));
    }
    return 0;
}

const struct io_latency *io_bound_latency(const void *instance)
{
    const struct io_instance *in = instance;
    return in->embedded ? &in->lat : NULL;
}

long io_bound_delay_ms(const void *instance, uint64_t task, int request)
{
    const struct io_latency *lat = io_bound_latency(instance);
    return lat != NULL ? io_latency_ms(lat, task, request) : -1;
}

static int io_check(const void *instance, const struct task_record *rec, char *err, size_t errlen)
{
    const struct io_instance *in = instance;
    if (rec->status != 0) { /* the harness reports a failed task's own text before asking */
        snprintf(err, errlen, "failed with status %d", rec->status);
        return -1;
    }
    if (rec->steps_done != (uint32_t)in->requests) {
        snprintf(err, errlen, "%u of %d requests done", rec->steps_done, in->requests);
        return -1;
    }
    if (in->embedded && rec->digest != in->task_digest) {
        snprintf(err, errlen, "digest %016" PRIx64 ", expected %016" PRIx64, rec->digest,
                 in->task_digest);
        return -1;
    }
    return 0;
}

const struct workload workload_io_bound = {
    .name = "io_bound",
    .summary = "each task GETs `requests` URLs one after another (libcurl; the article's I/O case)",
    .params = io_params,
    .prepare = io_prepare,
    .release = io_release,
    .steps = io_steps,
    .step_kind = io_step_kind,
    .task_init = io_task_init,
    .task_fini = io_task_fini,
    .loop_init = io_loop_init,
    .loop_fini = io_loop_fini,
    .step_block = io_step_block,
    .step_start = io_step_start,
    .check = io_check,
};
