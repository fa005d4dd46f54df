#ifndef CONCBENCH_IO_INTERNAL_H
#define CONCBENCH_IO_INTERNAL_H

/* What the files of io_bound share, and nobody else may use (docs/ARCHITECTURE.md, "Names"):
 * io_bound.c is the workload's face (parameters, prepare, the task's steps, validation);
 * io_curl.c the client=curl side (the task's easy handle, the async face's multi handles);
 * io_raw.c the client=raw side (http_raw.h); io_fixture.c the embedded server (or server=) the
 * requests go to; io_checks.c the judging of each response and the words of a failed request. */

#include <stdint.h>
#include <sys/types.h>

#include <curl/curl.h>

#include "workloads/http_multi_uv.h"
#include "workloads/http_raw.h"
#include "workloads/io_bound.h"
#include "workloads/io_latency.h"
#include "workloads/workload.h"

#define IO_BASE_LEN 200 /* server=: room for "http://host:port" and a path prefix */

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
    int server_threads;         /* of the embedded server */
    const char *server_host;    /* server_host= (during prepare only); NULL: loopback */
    struct server_stats *stats; /* the embedded server's record, shared with it */
    pid_t owner_pid;            /* the process that spawned the server: only it may stop it */
    uint64_t req_digest;        /* expected digest of one body (embedded) */
    uint64_t task_digest;       /* expected fold over a whole task (embedded) */
};

/* client=curl's part of a task (io_curl.c), allocated for that client only: a raw client's task
 * stays small, which is a page fault less for every few tasks. */
struct io_curl_task {
    struct hmu_xfer xfer; /* xfer.easy is the task's easy handle */
    struct io_task *task;
    struct io_shard *shard; /* async face: where the task's transfers run, while it runs */
    char errbuf[CURL_ERROR_SIZE];
};

/* Per-task state, created in the process that runs the task. */
struct io_task {
    struct io_curl_task *curl; /* client=curl */
    struct task_ctx *t;
    struct io_instance *in;
    struct hraw_sock sock;    /* client=raw, blocking face */
    struct hraw_uv *conn;     /* client=raw, async face */
    struct hraw_ur *uconn;    /* client=raw, on the uring model's ring */
    struct hraw_options ropt; /* client=raw */
    const char *url;          /* of the request under way */
    char url_buf[IO_BASE_LEN + 48];
    uint64_t got;     /* body bytes of the request under way */
    uint64_t digest;  /* FNV-1a of those bytes (user URLs) */
    int intact;       /* embedded server: every byte so far is the expected one */
    int socket_errno; /* why socket() failed in the request under way, or 0 */
};

/* Per-loop state of the async face. */
struct io_loop {
    uv_loop_t *loop;
    struct hraw_uv_shared *raw; /* client=raw: what its connections share */
    struct io_shard **shards;   /* client=curl (io_curl.c) */
    int nshards, cap;
    int hint; /* no shard below this one has room */
};

/* --- The server fixture (io_fixture.c) --- */

/* Our own server (in->server_threads event loops, its record mapped in in->stats), or server=
 * when given: bodies are known, and each request's delay travels in its path. Sets base_url and
 * the expected digests. 0, or -1 with a message. */
int ioi_fixture_start(struct io_instance *in, const char *server, char *err, size_t errlen);
/* Stops the embedded server and unmaps its record, from the process that started it only. */
void ioi_fixture_stop(struct io_instance *in);

/* --- Checks of each response (io_checks.c) --- */

/* A task's digest with one more request's folded in. */
uint64_t ioi_fold_digest(uint64_t acc, uint64_t req);
/* Body bytes as they arrive, from either client (arg: the struct io_task). */
void ioi_take_body(void *arg, const char *data, size_t len);
/* Fails the task with "GET <url>: <cause>". An error text keeps TASK_ERROR_LEN bytes: when that
 * is too short the URL is cut, never the cause. */
int ioi_fail_request(struct task_ctx *t, const char *url, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A socket() that failed, with the limit behind it named (RLIMIT_NOFILE). */
int ioi_fail_socket(struct io_task *s, struct task_ctx *t, int err);
/* Judges a whole response (either client) and folds its digest into the task's. Returns 0 or
 * the task's new negative status. */
int ioi_judge_response(struct io_task *s, struct task_ctx *t, long code);

/* --- client=curl (io_curl.c) --- */

/* The task's easy handle, set up once for all its requests. 0 or a task status. */
int ioi_curl_task_init(struct io_task *s, struct task_ctx *t);
/* Cancels a transfer abandoned mid-step, if any, and frees the easy handle. */
void ioi_curl_task_fini(struct io_task *s);
/* Points the easy handle at s->url. 0 or a task status. */
int ioi_curl_set_url(struct io_task *s, struct task_ctx *t);
/* The blocking face's step: the request with curl_easy_perform, judged. */
int ioi_curl_step_block(struct io_task *s, struct task_ctx *t);
/* The async face's step: the request added to one of the loop's multi handles. */
int ioi_curl_step_start(struct io_task *s, struct task_ctx *t, struct io_loop *l);
/* The async face's step could not begin: the task leaves its multi handle. */
void ioi_curl_step_abort(struct io_loop *l, struct io_task *s);
/* Frees the loop's multi handles (outside uv_run). */
void ioi_curl_loop_fini(struct io_loop *l);

/* --- client=raw (io_raw.c) --- */

int ioi_raw_step_block(struct io_task *s, struct task_ctx *t);
/* The task's connection lives on the loop from its first request. */
int ioi_raw_step_start(struct io_task *s, struct task_ctx *t, struct io_loop *l);
/* The same on the uring model's ring (http_raw_uring.h; a build with liburing only). */
struct hraw_ur_ring;
int ioi_raw_step_uring(struct io_task *s, struct task_ctx *t, struct hraw_ur_ring *r);
void ioi_raw_uring_fini(struct io_task *s);

#endif
