/* io_bound with client=curl: the task's easy handle (set up once for all its requests), the
 * blocking face's curl_easy_perform, the async face's multi handles on the loop
 * (http_multi_uv.c), and a failed transfer told in the words of http_errors.h. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <curl/curl.h>

#include "common/container_of.h"
#include "workloads/http_errors.h"
#include "workloads/io_internal.h"

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

/* curl closes its connections first (the last at curl_easy_cleanup or from a shard's cache): with a
 * FIN each would keep its port in TIME_WAIT for 60 s, as the raw client's did, and 9,000 tasks a
 * repetition left 14,000 behind, enough for the next repetitions' connects to search for a free
 * port. A reset leaves none (hraw_close_with_reset). */
static int close_socket(void *arg, curl_socket_t fd)
{
    (void)arg;
    hraw_close_with_reset(fd);
    return close(fd);
}

/* The async face: the loop's transfers are spread over several curl multi handles ("shards") of at
 * most IO_SHARD_TASKS tasks each. libcurl 7.88 (Debian 12) walks a multi handle's whole connection
 * cache in curl_multi_remove_handle whenever the transfer left its connection there (reuse=1), so
 * one multi handle for everything costs O(tasks) per request: at 4,000 tasks that was 2.7 s of CPU
 * on the loop thread instead of 0.6 s. A task stays in its shard, whose cache keeps its connection
 * for the next request; a shard costs about 6 KiB and two uv_timer_t. */
#define IO_SHARD_TASKS 32

struct io_shard {
    struct hmu *hmu;
    int members; /* tasks assigned and not finished */
    int index;
};

/* Room for the status line and headers of the embedded server's response (about 100 bytes). */
#define IO_HEADER_ROOM 1024L

/* curl's receive buffer (CURLOPT_BUFFERSIZE), per easy handle. The default, 16 KiB, is one
 * header's worth short of the default response (bytes=16384): two recv and a poll between them
 * for each response. Sized to a whole response of the embedded server (or server=), a response
 * that has arrived is read in one recv; at least curl's default, at most what the raw client
 * reads at once (HRAW_UV_RBUF, one buffer per loop there). User URLs keep curl's default. */
static long recv_buffer_size(const struct io_instance *in)
{
    long want = in->embedded ? (long)in->bytes + IO_HEADER_ROOM : CURL_MAX_WRITE_SIZE;
    if (want < CURL_MAX_WRITE_SIZE)
        return CURL_MAX_WRITE_SIZE;
    return want > HRAW_UV_RBUF ? HRAW_UV_RBUF : want;
}

static size_t write_cb(char *data, size_t size, size_t nmemb, void *userp)
{
    ioi_take_body(userp, data, size * nmemb);
    return size * nmemb;
}

int ioi_curl_task_init(struct io_task *s, struct task_ctx *t)
{
    const struct io_instance *in = s->in;
    struct io_curl_task *c = calloc(1, sizeof *c);
    CURL *e = c != NULL ? curl_easy_init() : NULL;
    if (e == NULL) {
        free(c);
        return task_fail(t->env->table, t->rec, -ENOMEM, "curl_easy_init failed");
    }
    c->xfer.easy = e;
    c->task = s;
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
        rc = curl_easy_setopt(e, CURLOPT_BUFFERSIZE, recv_buffer_size(in));
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(e, CURLOPT_ERRORBUFFER, c->errbuf);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, s);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, close_socket);
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
        free(c);
        return task_fail(t->env->table, t->rec, -EINVAL, "curl_easy_setopt: %s",
                         curl_easy_strerror(rc));
    }
    s->curl = c;
    return 0;
}

void ioi_curl_task_fini(struct io_task *s)
{
    if (s->curl == NULL)
        return;
    hmu_cancel(&s->curl->xfer); /* a transfer abandoned mid-step, if any */
    curl_easy_cleanup(s->curl->xfer.easy);
    free(s->curl);
    s->curl = NULL;
}

int ioi_curl_set_url(struct io_task *s, struct task_ctx *t)
{
    CURL *e = s->curl->xfer.easy;
    s->curl->errbuf[0] = '\0';
    CURLcode rc = curl_easy_setopt(e, CURLOPT_URL, s->url);
    /* The task's last request closes its connection when it ends, as the raw client's does,
     * rather than leaving it in the cache for the teardown. */
    if (rc == CURLE_OK && s->in->reuse)
        rc = curl_easy_setopt(e, CURLOPT_FORBID_REUSE, t->step + 1 >= s->in->requests ? 1L : 0L);
    if (rc != CURLE_OK)
        return ioi_fail_request(t, s->url, -EINVAL, "%s", curl_easy_strerror(rc));
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

/* "cannot connect to HOST port P: <errno's text>" for the URL of the request under way. */
static int describe_connect_failure(struct io_task *s, char *text, size_t len)
{
    long os_errno = 0;
    curl_easy_getinfo(s->curl->xfer.easy, CURLINFO_OS_ERRNO, &os_errno);
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
    curl_easy_getinfo(s->curl->xfer.easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
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
        snprintf(text, sizeof text, "%s",
                 s->curl->errbuf[0] ? s->curl->errbuf : curl_easy_strerror(rc));
    }
    return ioi_fail_request(t, s->url, curl_status(rc), "%s", text);
}

/* The curl request that just ended. */
static int finish_request(struct io_task *s, struct task_ctx *t, CURLcode rc)
{
    if (rc != CURLE_OK && s->socket_errno != 0)
        return ioi_fail_socket(s, t, s->socket_errno);
    if (rc != CURLE_OK)
        return fail_curl(s, t, rc);
    long code = 0;
    rc = curl_easy_getinfo(s->curl->xfer.easy, CURLINFO_RESPONSE_CODE, &code);
    if (rc != CURLE_OK)
        return ioi_fail_request(t, s->url, -EIO, "%s", curl_easy_strerror(rc));
    return ioi_judge_response(s, t, code);
}

int ioi_curl_step_block(struct io_task *s, struct task_ctx *t)
{
    return finish_request(s, t, curl_easy_perform(s->curl->xfer.easy));
}

void ioi_curl_loop_fini(struct io_loop *l)
{
    for (int i = 0; i < l->nshards; i++) {
        hmu_free(l->shards[i]->hmu);
        free(l->shards[i]);
    }
    free(l->shards);
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

static void shard_leave(struct io_loop *l, struct io_curl_task *c)
{
    if (c->shard == NULL)
        return;
    c->shard->members--;
    if (c->shard->index < l->hint)
        l->hint = c->shard->index;
    c->shard = NULL;
}

static void xfer_done(struct hmu_xfer *x, CURLcode result)
{
    struct io_curl_task *c = container_of(x, struct io_curl_task, xfer);
    struct io_task *s = c->task;
    struct task_ctx *t = s->t;
    int status = finish_request(s, t, result);
    if (status != 0 || t->step + 1 >= s->in->requests)
        shard_leave(t->env->loop_state, c); /* the task ends with this step */
    t->env->done(t, status);
}

void ioi_curl_step_abort(struct io_loop *l, struct io_task *s)
{
    shard_leave(l, s->curl);
}

int ioi_curl_step_start(struct io_task *s, struct task_ctx *t, struct io_loop *l)
{
    struct io_curl_task *c = s->curl;
    if (c->shard == NULL && (c->shard = shard_join(l)) == NULL)
        return ioi_fail_request(t, s->url, -ENOMEM, "cannot create a curl multi handle");
    c->xfer.done = xfer_done;
    CURLMcode rc = hmu_add(c->shard->hmu, &c->xfer);
    if (rc != CURLM_OK) {
        shard_leave(l, c);
        return ioi_fail_request(t, s->url, -EIO, "curl_multi_add_handle: %s",
                                curl_multi_strerror(rc));
    }
    return 0;
}
