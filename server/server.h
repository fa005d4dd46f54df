#ifndef CONCBENCH_SERVER_H
#define CONCBENCH_SERVER_H

#include <stddef.h>
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

struct server_options {
    const char *host;      /* address to bind; NULL = SERVER_DEFAULT_HOST */
    int port;              /* 0 = a free port */
    int idle_timeout_ms;   /* <= 0 = SERVER_DEFAULT_IDLE_TIMEOUT_MS */
    int header_timeout_ms; /* <= 0 = SERVER_DEFAULT_HEADER_TIMEOUT_MS */
    int max_connections;   /* when this many are open, the oldest idle one is closed for a new
                              one, or the new one gets 503; <= 0 = RLIMIT_NOFILE - FD_RESERVE */
    int quiet;             /* no informational messages on stderr (warnings still go there) */
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

#endif
