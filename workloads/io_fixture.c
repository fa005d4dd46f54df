/* io_bound's server fixture: the embedded latency server (server/), spawned by the process that
 * prepares the workload and stopped by it alone (server_threads= event loops, its lateness record
 * in shared memory), or the server= given instead. */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "server/body.h"
#include "server/server.h"
#include "workloads/io_internal.h"

int ioi_fixture_start(struct io_instance *in, const char *server, char *err, size_t errlen)
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
        struct server_options o;
        server_options_init(&o);
        o.quiet = 1;
        o.threads = in->server_threads;
        o.host = in->server_host;
        in->owner_pid = getpid();
        o.stats = in->stats = server_stats_new();
        if (in->stats == NULL) {
            snprintf(err, errlen, "cannot map the server's record: %s", strerror(errno));
            return -1;
        }
        if (server_spawn_opts(&o, &in->server_pid, &port, err, errlen) != 0) {
            in->server_pid = 0;
            return -1;
        }
        snprintf(in->base_url, sizeof in->base_url, "http://%.150s:%d",
                 in->server_host != NULL ? in->server_host : "127.0.0.1", port);
    }
    in->embedded = 1;
    in->req_digest = body_digest_expected((uint64_t)in->bytes);
    in->task_digest = 0;
    for (int i = 0; i < in->requests; i++)
        in->task_digest = ioi_fold_digest(in->task_digest, in->req_digest);
    return 0;
}

void ioi_fixture_stop(struct io_instance *in)
{
    if (in->server_pid > 0 && in->owner_pid == getpid())
        server_stop(in->server_pid);
    if (in->owner_pid == getpid())
        server_stats_free(in->stats);
}

int io_bound_server_threads_auto(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > IO_SERVER_THREADS_AUTO_MAX ? IO_SERVER_THREADS_AUTO_MAX : (int)n;
}

int io_bound_server_record(const void *instance, struct server_thread_stats *out, int *threads)
{
    const struct io_instance *in = instance;
    if (in == NULL || in->stats == NULL)
        return -1;
    server_stats_total(in->stats, out);
    if (threads != NULL)
        *threads = in->server_threads;
    return 0;
}
