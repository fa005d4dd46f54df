/* io_bound's server fixture: the embedded latency server (server/), spawned by the process that
 * prepares the workload and stopped by it alone, or the server= given instead. */

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
        in->task_digest = ioi_fold_digest(in->task_digest, in->req_digest);
    return 0;
}

void ioi_fixture_stop(struct io_instance *in)
{
    if (in->server_pid > 0 && in->owner_pid == getpid())
        server_stop(in->server_pid);
}
