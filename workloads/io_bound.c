/* io_bound: every task downloads `requests` URLs one after another, the article's I/O-bound case.
 *
 * Blocking face (sequential, pthreads, processes): curl_easy_perform on the task's own easy
 * handle. Async face (evloop, green): the same easy handle added to the loop's curl multi handle
 * (http_multi_uv.c). Without url= the workload starts the embedded latency server and checks every
 * byte of every body against server/body.h. client=raw swaps curl for the lean keep-alive client
 * of http_raw.h (embedded server or server= only): blocking sockets, or libuv streams on a loop. */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/article_sizes.h"
#include "common/limits.h"
#include "common/hash.h"
#include "server/server.h"
#include "workloads/io_bound.h"
#include "workloads/io_internal.h"
#ifdef CONCBENCH_HAVE_URING
#include "workloads/http_raw_uring.h"
#include "workloads/uring_face.h"
#endif

#define IO_MAX_URLS PARAMS_MAX
#define IO_URL_LEN  512

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
    {"server_threads", PARAM_INT, "0", 0, SERVER_MAX_THREADS, NULL,
     "embedded server: event loops on threads of their own, each with its own listening socket "
     "(SO_REUSEPORT); 0 = " IO_SERVER_THREADS_AUTO_TEXT,
     0},
    {"server_host", PARAM_STRING, NULL, 0, 0, NULL,
     "embedded server: the IPv4 address or name it listens on and its URL names (default "
     "127.0.0.1); one every host can reach when the mpi model's ranks run elsewhere",
     0},
    {"server", PARAM_STRING, NULL, 0, 0, NULL,
     "base URL of a server that honours /delay/<ms>/bytes/<n> (e.g. concbench serve), instead "
     "of the embedded one",
     0},
    {0},
};

static void io_release(void *instance)
{
    struct io_instance *in = instance;
    if (in == NULL)
        return;
    ioi_fixture_stop(in);
    for (int i = 0; i < in->nurls; i++)
        free(in->urls[i]);
    free(in->urls);
    io_latency_free(&in->lat);
    free(in);
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
    in->server_threads = (int)params_int(params, io_params, "server_threads");
    if (in->server_threads == 0)
        in->server_threads = io_bound_server_threads_auto();
    in->raw = strcmp(params_str(params, io_params, "client"), "raw") == 0;
    in->server_host = params_str(params, io_params, "server_host");
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
        rc = n == 0 ? ioi_fixture_start(in, server, err, errlen)
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

static int io_task_init(void *instance, struct task_ctx *t)
{
    struct io_instance *in = instance;
    struct io_task *s = calloc(1, sizeof *s);
    if (s == NULL)
        return task_fail(t->env->table, t->rec, -ENOMEM, "out of memory");
    s->t = t;
    s->in = in;
    hraw_sock_init(&s->sock);
    s->ropt = (struct hraw_options){
        .reuse = in->reuse, .timeout_ms = in->timeout_ms, .on_body = ioi_take_body, .arg = s};
    int status = in->raw ? 0 : ioi_curl_task_init(s, t);
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
    ioi_curl_task_fini(s);
    hraw_sock_close(&s->sock);
    hraw_uv_free(s->conn); /* a request abandoned mid-step, if any, with it */
#ifdef CONCBENCH_HAVE_URING
    ioi_raw_uring_fini(s);
#endif
    free(s);
    t->state = NULL;
}

/* The URL of step t->step (given to curl's easy handle with client=curl); resets the body
 * counters. */
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
    s->socket_errno = 0;
    return in->raw ? 0 : ioi_curl_set_url(s, t);
}

static int io_step_block(void *instance, struct task_ctx *t)
{
    (void)instance;
    struct io_task *s = t->state;
    int status = begin_request(s, t);
    if (status != 0)
        return status;
    return s->in->raw ? ioi_raw_step_block(s, t) : ioi_curl_step_block(s, t);
}

/* Async face. */

static int io_loop_init(void *instance, uv_loop_t *loop, void **loop_state)
{
    const struct io_instance *in = instance;
    struct io_loop *l = calloc(1, sizeof *l);
    if (l == NULL)
        return -ENOMEM;
    if (in->raw && (l->raw = hraw_uv_shared_new(loop)) == NULL) {
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
    ioi_curl_loop_fini(l);
    hraw_uv_shared_free(l->raw);
    free(l);
}

static int io_step_start(void *instance, struct task_ctx *t)
{
    (void)instance;
    struct io_task *s = t->state;
    struct io_loop *l = t->env->loop_state;
    if (l == NULL)
        return task_fail(t->env->table, t->rec, -EINVAL, "io_bound: no loop state");
    int status = begin_request(s, t);
    if (status != 0) {
        if (!s->in->raw)
            ioi_curl_step_abort(l, s);
        return status;
    }
    return s->in->raw ? ioi_raw_step_start(s, t, l) : ioi_curl_step_start(s, t, l);
}

#ifdef CONCBENCH_HAVE_URING
/* On the uring model's ring: the raw client's requests (http_raw_uring.h). curl has no io_uring
 * face: with client=curl the requests run blocking on the model's pool. */
static int io_ring_usable(const void *instance, char *why, size_t len)
{
    const struct io_instance *in = instance;
    if (in->raw)
        return 1;
    snprintf(why, len,
             "client=curl: requests run blocking on the pool (client=raw has io_uring's)");
    return 0;
}

static int io_ring_init(void *instance, struct uring_ring *ur, char *note, size_t len)
{
    (void)instance;
    ur->state = hraw_ur_ring_new(ur, note, len);
    return ur->state != NULL ? 0 : -ENOTSUP;
}

static void io_ring_fini(void *instance, struct uring_ring *ur, char *note, size_t len)
{
    (void)instance;
    hraw_ur_ring_free(ur->state, note, len);
    ur->state = NULL;
}

static int io_ring_step_start(void *instance, struct task_ctx *t, struct uring_wait *w)
{
    (void)instance;
    struct io_task *s = t->state;
    int status = begin_request(s, t);
    return status != 0 ? status : ioi_raw_step_uring(s, t, w->ur->state);
}

static const struct workload_uring io_uring_face = {
    .usable = io_ring_usable,
    .ring_init = io_ring_init,
    .ring_fini = io_ring_fini,
    .step_start = io_ring_step_start,
};
#define IO_URING_FACE (&io_uring_face)
#else
#define IO_URING_FACE NULL
#endif

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

/* Ranks elsewhere fetch from this instance's server (embedded or server=), never start their own.
 */
static int io_share(const void *instance, char *kv, size_t len)
{
    const struct io_instance *in = instance;

    if (in->nurls > 0 || in->base_url[0] == '\0')
        return -1;
    snprintf(kv, len, "server=%s", in->base_url);
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
    .uring = IO_URING_FACE,
    .share = io_share,
};
