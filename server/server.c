/* The embedded latency HTTP server: `threads` libuv loops, each on its own thread with its own
 * listening socket on the same port (SO_REUSEPORT: the kernel spreads new connections over them),
 * requests parsed with http-parser (server_internal.h lists the files). A connection stays on the
 * thread that accepted it. This file runs them: listen, accept, stop.
 *
 * Accepting: the listening socket is ours (socket/bind/listen) and watched with a uv_poll_t, so
 * that when accept() fails with EMFILE/ENFILE we can stop watching it for a moment and leave the
 * waiting clients in the kernel's backlog, instead of spinning or dropping them. */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <signal.h>
#include <unistd.h>

#include <http_parser.h>
#include <uv.h>

#include "common/limits.h"
#include "server/server.h"
#include "server/server_internal.h"

#define ACCEPT_PAUSE_MS 100 /* accept() out of descriptors: retry after this */
#define ACCEPT_BATCH    256 /* accepts per readiness event */

void server_options_init(struct server_options *o)
{
    memset(o, 0, sizeof *o);
    o->host = SERVER_DEFAULT_HOST;
    o->port = 0;
    o->idle_timeout_ms = SERVER_DEFAULT_IDLE_TIMEOUT_MS;
    o->header_timeout_ms = SERVER_DEFAULT_HEADER_TIMEOUT_MS;
    o->max_connections = 0;
    o->quiet = 0;
    o->threads = 1;
    o->stats = NULL;
}

struct server_group {
    struct server **srv;
    int n;
};

/* ---- accepting ---------------------------------------------------------------------------- */

static void on_listen_readable(uv_poll_t *h, int status, int events);

static void on_accept_resume(uv_timer_t *t)
{
    struct server *srv = t->data;

    if (!srv->stopping)
        uv_poll_start(&srv->listen_poll, UV_READABLE, on_listen_readable);
}

static void log_fd_limit(struct server *srv, int err)
{
    struct rlimit rl;

    if (srv->fd_limit_logged)
        return;
    srv->fd_limit_logged = 1;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (err == EMFILE)
        fprintf(stderr,
                "concbench serve: warning: accept failed: too many open files (RLIMIT_NOFILE "
                "soft limit %llu, hard limit %llu, %zu connections open); new clients wait in "
                "the listen backlog, accepting is retried every %d ms (logged once)\n",
                (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max, srv->nconns,
                ACCEPT_PAUSE_MS);
    else
        fprintf(stderr,
                "concbench serve: warning: accept failed: %s (system-wide file table full: "
                "see fs.file-max; %zu connections open); accepting is retried every %d ms "
                "(logged once)\n",
                strerror(err), srv->nconns, ACCEPT_PAUSE_MS);
}

static void on_listen_readable(uv_poll_t *h, int status, int events)
{
    struct server *srv = h->data;

    (void)events;
    if (status < 0 || srv->stopping)
        return;
    for (int i = 0; i < ACCEPT_BATCH; i++) {
        int fd = accept4(srv->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

        if (fd >= 0) {
            /* at the cap: make room by closing the oldest idle connection, else refuse */
            if (srv->nopen >= srv->max_conns && !conn_evict_idle(srv))
                conn_refuse(srv, fd);
            else
                conn_new(srv, fd);
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
        if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
            continue;
        if (errno == EMFILE || errno == ENFILE)
            log_fd_limit(srv, errno);
        else if (!srv->quiet)
            fprintf(stderr, "concbench serve: accept failed: %s; retrying in %d ms\n",
                    strerror(errno), ACCEPT_PAUSE_MS);
        /* out of descriptors or memory: stop watching the socket for a moment */
        srv->accept_pauses++;
        uv_poll_stop(&srv->listen_poll);
        uv_timer_start(&srv->accept_pause, on_accept_resume, ACCEPT_PAUSE_MS, 0);
        return;
    }
}

/* ---- start and stop ----------------------------------------------------------------------- */

static void on_listen_closed(uv_handle_t *h)
{
    struct server *srv = h->data;

    close(srv->listen_fd);
    srv->listen_fd = -1;
}

static void server_stop_loop(struct server *srv)
{
    if (srv->stopping)
        return;
    srv->stopping = 1;
    if (srv->index == 0) {
        uv_close((uv_handle_t *)&srv->sigterm, NULL);
        if (srv->have_sigint)
            uv_close((uv_handle_t *)&srv->sigint, NULL);
        for (int i = 1; i < srv->grp->n; i++)
            uv_async_send(&srv->grp->srv[i]->wake);
    }
    uv_close((uv_handle_t *)&srv->wake, NULL);
    uv_close((uv_handle_t *)&srv->accept_pause, NULL);
    due_queue_close(srv);
    uv_close((uv_handle_t *)&srv->listen_poll, on_listen_closed);
    for (struct conn *c = srv->conns; c != NULL; c = c->next)
        conn_close(c);
}

static void on_wake(uv_async_t *h)
{
    server_stop_loop(h->data);
}

static void on_signal(uv_signal_t *h, int signum)
{
    struct server *srv = h->data;

    if (!srv->quiet)
        fprintf(stderr, "concbench serve: %s, stopping (%zu connections open)\n", strsignal(signum),
                srv->nconns);
    server_stop_loop(srv);
}

static const char *errtext(int err)
{
    return uv_strerror(uv_translate_sys_error(err));
}

/* The address and port the listening socket fd got, the address as a URL's host. */
static int bound_address(int fd, char *addr, size_t addrlen, int *bound_port)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char num[INET6_ADDRSTRLEN];

    if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
        return -1;
    if (ss.ss_family == AF_INET6) {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;

        inet_ntop(AF_INET6, &a6->sin6_addr, num, sizeof num);
        snprintf(addr, addrlen, "[%s]", num);
        *bound_port = ntohs(a6->sin6_port);
    } else {
        struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;

        inet_ntop(AF_INET, &a4->sin_addr, num, sizeof num);
        snprintf(addr, addrlen, "%s", num);
        *bound_port = ntohs(a4->sin_port);
    }
    return 0;
}

/* Binds and listens; returns the socket, or -1 with a message in err. */
static int listen_on(const char *host, int port, int reuseport, char *addr, size_t addrlen,
                     int *bound_port, char *err, size_t errlen)
{
    struct addrinfo hints, *res, *ai;
    char portstr[16];
    int fd = -1, rc, last_errno = 0;
    const char *what = "bind";

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(portstr, sizeof portstr, "%d", port);
    rc = getaddrinfo(host, portstr, &hints, &res);
    if (rc != 0) {
        snprintf(err, errlen, "cannot resolve host '%s': %s", host,
                 rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        int one = 1;

        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            last_errno = errno;
            what = "create a socket for";
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0) {
            last_errno = errno;
            what = "set SO_REUSEPORT on";
            close(fd);
            fd = -1;
            continue;
        }
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            if (listen(fd, 65535) == 0)
                break;
            what = "listen on";
        } else {
            what = "bind";
        }
        last_errno = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        char why[192];

        limits_explain(last_errno, errtext(last_errno), why, sizeof why);
        if (strchr(host, ':') != NULL)
            snprintf(err, errlen, "cannot %s [%s]:%d: %s", what, host, port, why);
        else
            snprintf(err, errlen, "cannot %s %s:%d: %s", what, host, port, why);
        return -1;
    }
    if (bound_address(fd, addr, addrlen, bound_port) < 0) {
        snprintf(err, errlen, "getsockname: %s", errtext(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static void raise_fd_limit(int quiet)
{
    unsigned long long before, after;
    int rc = limits_raise_nofile(&before, &after);

    if (rc < 0)
        fprintf(stderr, "concbench serve: warning: cannot raise RLIMIT_NOFILE from %llu: %s\n",
                before, strerror(-rc));
    else if (after != before && !quiet)
        fprintf(stderr, "concbench serve: RLIMIT_NOFILE soft limit raised from %llu to %llu\n",
                before, after);
}

/* The connection cap: as asked, else what the open-files limit allows (minus a reserve for the
 * listening socket, the loop's own descriptors and the standard ones). */
static size_t max_connections(const struct server_options *o)
{
    struct rlimit rl;
    rlim_t cap = SERVER_MAX_MAX_CONNS;

    if (o->max_connections > 0)
        return (size_t)o->max_connections;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < cap)
        cap = rl.rlim_cur;
    return cap > 2 * SERVER_FD_RESERVE ? (size_t)(cap - SERVER_FD_RESERVE) : (size_t)(cap / 2 + 1);
}

static void report(int ready_fd, const char *line)
{
    size_t len = strlen(line), off = 0;

    while (off < len) {
        ssize_t w = write(ready_fd, line + off, len - off);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(ready_fd);
}

static void walk_report(uv_handle_t *h, void *arg)
{
    (void)arg;
    fprintf(stderr, "concbench serve: handle still open at exit: %s\n",
            uv_handle_type_name(uv_handle_get_type(h)));
}

/* The listening socket, the accept pause timer and the stop signals on the loop. */
static void start_watchers(struct server *srv, int stop_on_sigint)
{
    uv_poll_init_socket(&srv->loop, &srv->listen_poll, srv->listen_fd);
    uv_timer_init(&srv->loop, &srv->accept_pause);
    uv_async_init(&srv->loop, &srv->wake, on_wake);
    srv->listen_poll.data = srv->accept_pause.data = srv->wake.data = srv;
    uv_poll_start(&srv->listen_poll, UV_READABLE, on_listen_readable);
    due_queue_start(srv);
    if (srv->index != 0)
        return;
    uv_signal_init(&srv->loop, &srv->sigterm);
    srv->sigterm.data = srv;
    uv_signal_start(&srv->sigterm, on_signal, SIGTERM);
    if (stop_on_sigint) {
        uv_signal_init(&srv->loop, &srv->sigint);
        srv->sigint.data = srv;
        uv_signal_start(&srv->sigint, on_signal, SIGINT);
        srv->have_sigint = 1;
    }
}

static void print_totals(struct server_group *g, const struct server_stats *stats)
{
    unsigned long long accepted = 0, requests = 0, pauses = 0, evicted = 0, refused = 0,
                       timeouts = 0;
    size_t cap = 0;
    struct server_thread_stats tot;
    char per[64 * 24] = "";
    size_t plen = 0;

    for (int i = 0; i < g->n; i++) {
        const struct server *srv = g->srv[i];

        accepted += srv->accepted;
        requests += srv->requests;
        pauses += srv->accept_pauses;
        evicted += srv->evicted;
        refused += srv->refused;
        timeouts += srv->header_timeouts;
        cap += srv->max_conns;
        if (g->n > 1 && plen < sizeof per - 24)
            plen += (size_t)snprintf(per + plen, sizeof per - plen, "%s%llu", i ? ", " : "",
                                     srv->requests);
    }
    fprintf(stderr,
            "concbench serve: stopped after %llu connections, %llu responses, %llu header "
            "timeouts, %llu idle closed and %llu refused at the cap of %zu%s\n",
            accepted, requests, timeouts, evicted, refused, cap,
            pauses ? " (accepting paused at the descriptor limit)" : "");
    server_stats_total(stats, &tot);
    fprintf(stderr,
            "concbench serve: lateness (response begun after arrival + delay) over %llu "
            "responses: p50 %llu us, p90 %llu us, p99 %llu us, max %llu us, mean %.0f us\n",
            (unsigned long long)tot.responses, (unsigned long long)server_late_quantile(&tot, 0.50),
            (unsigned long long)server_late_quantile(&tot, 0.90),
            (unsigned long long)server_late_quantile(&tot, 0.99),
            (unsigned long long)tot.late_max_us,
            tot.responses ? (double)tot.late_sum_us / (double)tot.responses : 0.0);
    if (g->n > 1)
        fprintf(stderr, "concbench serve: responses per thread: %s\n", per);
}

static void thread_main(void *arg)
{
    struct server *srv = arg;

    uv_run(&srv->loop, UV_RUN_DEFAULT);
}

static void group_free(struct server_group *g)
{
    for (int i = 0; i < g->n; i++)
        free(g->srv[i]);
    free(g->srv);
}

/* Thread i's server: its own loop and listening socket (the first picks the port, the others bind
 * the same one). Returns 0, or -1 with a message in err. */
static int server_setup(struct server *srv, const struct server_options *o, const char *host,
                        int *port, int reuseport, size_t max_conns, char *addr, size_t addrlen,
                        char *err, size_t errlen)
{
    char why[192];
    int rc;

    srv->idle_ms =
        o->idle_timeout_ms > 0 ? (uint64_t)o->idle_timeout_ms : SERVER_DEFAULT_IDLE_TIMEOUT_MS;
    srv->header_ms = o->header_timeout_ms > 0 ? (uint64_t)o->header_timeout_ms
                                              : SERVER_DEFAULT_HEADER_TIMEOUT_MS;
    srv->max_conns = max_conns;
    srv->quiet = o->quiet;
    srv->listen_fd = listen_on(host, srv->index == 0 ? o->port : *port, reuseport, addr, addrlen,
                               port, err, errlen);
    if (srv->listen_fd < 0)
        return -1;
    rc = due_queue_open(&srv->due);
    if (rc < 0) {
        snprintf(err, errlen, "timerfd_create: %s",
                 limits_explain(-rc, errtext(-rc), why, sizeof why));
    } else if ((rc = uv_loop_init(&srv->loop)) < 0) {
        snprintf(err, errlen, "uv_loop_init: %s",
                 limits_explain(-rc, errtext(-rc), why, sizeof why));
        close(srv->due.fd);
    }
    if (rc < 0) {
        close(srv->listen_fd);
        srv->listen_fd = -1;
        return -1;
    }
    return 0;
}

/* One server per thread, sharing the process's connection cap; every thread binds the port the
 * first picked. Returns 0, or -1 with a message in err and the servers built so far in g (their
 * loops open: group_abandon closes them). */
static int group_build(struct server_group *g, const struct server_options *o, const char *host,
                       int nthreads, struct server_stats *stats, int *port, char *addr,
                       size_t addrlen, char *err, size_t errlen)
{
    size_t cap = max_connections(o); /* the process's: each thread gets its share */

    g->srv = calloc((size_t)nthreads, sizeof *g->srv);
    if (g->srv == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (g->n = 0; g->n < nthreads; g->n++) {
        struct server *srv = calloc(1, sizeof *srv);
        size_t share = cap / (size_t)nthreads + ((size_t)g->n < cap % (size_t)nthreads);

        if (srv == NULL) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        srv->grp = g;
        srv->index = g->n;
        srv->st = &stats->t[g->n];
        srv->listen_fd = -1;
        if (server_setup(srv, o, host, port, nthreads > 1, share > 0 ? share : 1, addr, addrlen,
                         err, errlen) != 0) {
            free(srv);
            return -1;
        }
        g->srv[g->n] = srv;
    }
    return 0;
}

/* Undoes a group_build that failed part way: every server it built has its loop open. */
static void group_abandon(struct server_group *g)
{
    for (int i = 0; i < g->n; i++) {
        close(g->srv[i]->listen_fd);
        close(g->srv[i]->due.fd);
        uv_loop_close(&g->srv[i]->loop);
    }
    group_free(g);
}

/* Runs every server's loop, the first on this thread, until they stop; then closes the loops.
 * A thread that cannot start is said, and the others go on. Returns 0 or a negative libuv error. */
static int group_run(struct server_group *g)
{
    uv_thread_t tid[SERVER_MAX_THREADS];
    int started, rc = 0;

    for (started = 1; started < g->n; started++) {
        int r = uv_thread_create(&tid[started], thread_main, g->srv[started]);

        if (r < 0) {
            fprintf(stderr, "concbench serve: cannot start thread %d: %s; going on with %d\n",
                    started + 1, uv_strerror(r), started);
            /* a thread that cannot run closes its loop's handles right away */
            for (int i = started; i < g->n; i++) {
                server_stop_loop(g->srv[i]);
                uv_run(&g->srv[i]->loop, UV_RUN_DEFAULT);
            }
            break;
        }
    }
    uv_run(&g->srv[0]->loop, UV_RUN_DEFAULT);
    for (int i = 1; i < started; i++)
        uv_thread_join(&tid[i]);
    for (int i = 0; i < g->n; i++) {
        int r = uv_loop_close(&g->srv[i]->loop);

        if (r < 0) {
            fprintf(stderr, "concbench serve: uv_loop_close: %s\n", uv_strerror(r));
            uv_walk(&g->srv[i]->loop, walk_report, NULL);
            rc = r;
        }
    }
    return rc;
}

int server_run(const struct server_options *o, int ready_fd, int stop_on_sigint)
{
    struct server_options def;
    struct server_group g = {NULL, 0};
    struct server_stats *stats, own_stats;
    char err[256] = "", addr[INET6_ADDRSTRLEN + 2], line[320];
    const char *host;
    int port = 0, rc, nthreads;

    if (o == NULL) {
        server_options_init(&def);
        o = &def;
    }
    host = o->host != NULL ? o->host : SERVER_DEFAULT_HOST;
    nthreads = o->threads < 1                    ? 1
               : o->threads > SERVER_MAX_THREADS ? SERVER_MAX_THREADS
                                                 : o->threads;
    stats = o->stats;
    if (stats == NULL) {
        memset(&own_stats, 0, sizeof own_stats);
        stats = &own_stats;
    }
    stats->threads = nthreads;
    response_pattern_init();

    signal(SIGPIPE, SIG_IGN);
    raise_fd_limit(o->quiet);
    http_parser_set_max_header_size(SERVER_MAX_HEADER_BYTES);

    if (group_build(&g, o, host, nthreads, stats, &port, addr, sizeof addr, err, sizeof err) != 0) {
        group_abandon(&g);
        if (ready_fd >= 0) {
            snprintf(line, sizeof line, "ERR %s\n", err);
            report(ready_fd, line);
        } else {
            fprintf(stderr, "concbench serve: %s\n", err);
        }
        return 1;
    }
    for (int i = 0; i < g.n; i++)
        start_watchers(g.srv[i], stop_on_sigint);

    if (ready_fd >= 0) {
        snprintf(line, sizeof line, "OK %d\n", port);
        report(ready_fd, line);
    } else {
        printf("listening on http://%s:%d\n", addr, port);
        fflush(stdout);
    }
    rc = group_run(&g);
    if (!o->quiet)
        print_totals(&g, stats);
    group_free(&g);
    return rc < 0 ? 1 : 0;
}
