#ifndef CONCBENCH_SERVER_H
#define CONCBENCH_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The embedded latency HTTP server (libuv + http-parser, HTTP/1.1 keep-alive).
 *
 *   GET /delay/<ms>/bytes/<n>   after <ms> milliseconds, 200 with exactly <n> bytes of the
 *                               deterministic body of server/body.h
 *   GET /health                 200 "ok"
 *   GET /status/<code>          that status (200..599) with a short text body
 *
 * Bounds and status codes are documented in `concbench serve --help`. */

#define SERVER_MAX_DELAY_MS 600000
#define SERVER_MAX_BYTES    (64LL * 1024 * 1024)

/* Request line plus headers larger than this: 431 and the connection is closed. */
#define SERVER_MAX_HEADER_BYTES        8192
#define SERVER_DEFAULT_HOST            "127.0.0.1"
#define SERVER_DEFAULT_IDLE_TIMEOUT_MS 10000
#define SERVER_MAX_IDLE_TIMEOUT_MS     86400000
/* A request's line and headers (and body, if any) must all arrive within this, however they
 * trickle in (like nginx's client_header_timeout); then the connection is closed. */
#define SERVER_DEFAULT_HEADER_TIMEOUT_MS 10000
/* Descriptors kept free when the connection cap comes from RLIMIT_NOFILE. */
#define SERVER_FD_RESERVE    32
#define SERVER_MAX_MAX_CONNS 1048576
#define SERVER_MAX_THREADS   64

/* Lateness: how long after its due time (arrival + the requested delay) a response began to be
 * written. Arrival is when the server read the request (one clock reading per read), so the time
 * a request waited in the socket before that is not seen. Recorded per thread in a log-linear
 * histogram of microseconds: values below SERVER_LATE_SUB exact, above that SERVER_LATE_SUB
 * buckets per power of two (at most 1/SERVER_LATE_SUB relative error). */
#define SERVER_LATE_SUB     8
#define SERVER_LATE_BUCKETS (SERVER_LATE_SUB * 30) /* up to 2^32 us, about 71 minutes */

struct server_thread_stats {
    uint64_t responses;   /* responses begun (every status), each with its lateness below */
    uint64_t accepted;    /* connections accepted */
    uint64_t late_sum_us; /* sum of the lateness of every response */
    uint64_t late_max_us;
    uint64_t late[SERVER_LATE_BUCKETS];
};

/* What a running server records: written by its threads (one slot each, single writer), readable
 * at any time by another process when it lives in shared memory (server_stats_new). */
struct server_stats {
    int threads; /* slots in use */
    struct server_thread_stats t[SERVER_MAX_THREADS];
};

struct server_options {
    const char *host;           /* address to bind; NULL = SERVER_DEFAULT_HOST */
    int port;                   /* 0 = a free port */
    int idle_timeout_ms;        /* <= 0 = SERVER_DEFAULT_IDLE_TIMEOUT_MS */
    int header_timeout_ms;      /* <= 0 = SERVER_DEFAULT_HEADER_TIMEOUT_MS */
    int max_connections;        /* when this many are open, the oldest idle one is closed for a new
                                   one, or the new one gets 503; <= 0 = RLIMIT_NOFILE - FD_RESERVE */
    int quiet;                  /* no informational messages on stderr (warnings still go there) */
    int threads;                /* event loops, each on its own thread with its own listening socket
                                   (SO_REUSEPORT when more than one); <= 0 = 1 */
    struct server_stats *stats; /* where the threads record; NULL = a private one (printed at
                                   the stop unless quiet) */
};

/* Fills o with the defaults (127.0.0.1, port 0, 10 s idle and header timeouts, connections
 * capped by the open-files limit, not quiet). */
void server_options_init(struct server_options *o);

/* Runs the server in the calling process until SIGTERM (and SIGINT if stop_on_sigint). Raises the
 * RLIMIT_NOFILE soft limit to the hard limit and ignores SIGPIPE (process-wide settings).
 * Once bound: if ready_fd >= 0, writes "OK <port>\n" (or "ERR <message>\n" if binding failed) to
 * it and closes it; else prints the "listening on" line on stdout (or the error on stderr).
 * Returns 0 after a clean stop, 1 if the server could not start. */
int server_run(const struct server_options *o, int ready_fd, int stop_on_sigint);

/* Starts the server in a child process (fork, no exec) bound to host:port (port 0 = a free
 * one). Returns 0 and fills *pid and *bound_port once the child listens, or -1 with a message in
 * err. Call before the caller creates threads. The child is quiet, ignores SIGINT (the caller
 * stops it with server_stop) and gets SIGTERM when the caller dies. */
int server_spawn(const char *host, int port, pid_t *pid, int *bound_port, char *err, size_t errlen);
/* The same with every option (o == NULL: the defaults, quiet). */
int server_spawn_opts(const struct server_options *o, pid_t *pid, int *bound_port, char *err,
                      size_t errlen);
/* Stops a spawned server (SIGTERM, then reaps it; SIGKILL if it has not exited after 5 s).
 * Returns 0, or -1 if it did not exit cleanly. */
int server_stop(pid_t pid);

/* A zeroed struct server_stats in memory shared with children forked later (mmap MAP_SHARED), so
 * that a server started with server_spawn_opts records where its caller reads; NULL if out of
 * memory. Free with server_stats_free. */
struct server_stats *server_stats_new(void);
void server_stats_free(struct server_stats *s);
/* The sum of every thread's slot (a snapshot; the server may go on recording). */
void server_stats_total(const struct server_stats *s, struct server_thread_stats *out);
/* out = after - before (counts and sums; the maximum is after's, or 0 when nothing was added). */
void server_stats_diff(const struct server_thread_stats *after,
                       const struct server_thread_stats *before, struct server_thread_stats *out);
/* into += add (counts and sums; the larger maximum). */
void server_stats_add(struct server_thread_stats *into, const struct server_thread_stats *add);
/* Records one response's lateness in t (its thread's slot). */
void server_late_record(struct server_thread_stats *t, uint64_t late_us);
/* The histogram bucket of a lateness, and the largest lateness a bucket holds. */
int server_late_bucket(uint64_t us);
uint64_t server_late_bucket_max(int bucket);
/* The lateness at or below which a fraction q (0..1) of the responses left: the upper bound of
 * the bucket that holds it, capped at the maximum seen; 0 when there were none. */
uint64_t server_late_quantile(const struct server_thread_stats *t, double q);

#endif
