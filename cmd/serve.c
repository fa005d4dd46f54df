/* `concbench serve`: the embedded latency server in the foreground. */
#include <stdio.h>

#include "cmd/cli.h"
#include "cmd/commands.h"
#include "server/server.h"

static const char serve_usage[] =
    "usage: concbench serve [--host HOST] [--port N] [--threads K]\n"
    "                       [--idle-timeout-ms N] [--header-timeout-ms N]\n"
    "                       [--max-connections N] [--quiet]\n";

static const char serve_help[] =
    "\n"
    "Runs the embedded latency HTTP server (HTTP/1.1, one libuv loop per thread) in\n"
    "the foreground until SIGINT or SIGTERM, then closes every connection and exits\n"
    "0. Once it accepts connections it prints exactly one line on stdout:\n"
    "  listening on http://HOST:PORT\n"
    "At the stop (unless --quiet) it prints its totals on stderr, with the lateness\n"
    "of its responses: how long after arrival + delay each began to be written (p50,\n"
    "p90, p99, max; arrival is when the server read the request), and with --threads\n"
    "the responses per thread.\n"
    "\n"
    "Options:\n"
    "  --host HOST           address to bind (default 127.0.0.1)\n"
    "  --port N              TCP port 0..65535; 0 = a free one, printed (default 0)\n"
    "  --threads K           K event loops on K threads, 1..64, each with its own\n"
    "                        listening socket on the port (SO_REUSEPORT: the kernel\n"
    "                        spreads new connections over them; a connection stays\n"
    "                        on its thread) (default 1)\n"
    "  --idle-timeout-ms N   close a connection that sends nothing, or stalls\n"
    "                        mid-request, for N ms; 1..86400000 (default 10000)\n"
    "  --header-timeout-ms N a request's line and headers (and body, if any) must all\n"
    "                        arrive within N ms of its first byte (of the connection,\n"
    "                        for the first request), however slowly they trickle in;\n"
    "                        else the connection is closed (like nginx's\n"
    "                        client_header_timeout); 1..86400000 (default 10000)\n"
    "  --max-connections N   connections open at most, 1..1048576 (default: the\n"
    "                        open-files limit minus 32). When full, a new client\n"
    "                        makes the server close the oldest idle connection (no\n"
    "                        request queued or in progress); if none is idle the new\n"
    "                        client gets 503 (Retry-After: 1), closed\n"
    "  --quiet               no informational messages on stderr (warnings still go\n"
    "                        there)\n"
    "  -h, --help            this help\n"
    "\n"
    "Paths (methods GET and HEAD; a query string is ignored):\n"
    "  /delay/<ms>/bytes/<n>  after <ms> ms, 200 with Content-Type\n"
    "                         application/octet-stream and exactly <n> bytes of the\n"
    "                         deterministic body (server/body.h: byte i is 'a' + (i +\n"
    "                         i/26) % 26); <ms> 0..600000, <n> 0..67108864\n"
    "  /health                200, body \"ok\\n\"\n"
    "  /status/<code>         that status, <code> 200..599, body \"status <code>\\n\"\n"
    "                         (none for 204 and 304); simulates a failing server\n"
    "\n"
    "Status codes:\n"
    "  200      the paths above\n"
    "  400      malformed request (connection closed), a number out of bounds or not\n"
    "           a number\n"
    "  404      unknown path\n"
    "  405      method other than GET or HEAD (known to HTTP or not: FOO / too)\n"
    "  414      request line longer than 8192 bytes (connection closed)\n"
    "  431      request line plus headers longer than 8192 bytes (connection closed)\n"
    "  503      --max-connections open and none idle (connection closed)\n"
    "  505      HTTP version other than 1.x (connection closed)\n"
    "\n"
    "Connections: HTTP/1.1 keeps the connection open unless the request says\n"
    "Connection: close; HTTP/1.0 closes it unless the request says Connection:\n"
    "keep-alive. Pipelined requests are answered in order (their delays overlap). A\n"
    "client that half-closes (shutdown SHUT_WR) still gets every response it asked\n"
    "for, pipelined ones too, then the server closes; a client that disconnects\n"
    "during a delay cancels it. A request target in absolute form (GET\n"
    "http://host:port/health) is routed by its path. At start the RLIMIT_NOFILE soft\n"
    "limit is raised to the hard limit; when accept() runs out of descriptors a\n"
    "warning goes to stderr once and new clients wait in the listen backlog.\n";

int cmd_serve(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"host", required_argument, NULL, 'H'},
        {"port", required_argument, NULL, 'p'},
        {"threads", required_argument, NULL, 'T'},
        {"idle-timeout-ms", required_argument, NULL, 'i'},
        {"header-timeout-ms", required_argument, NULL, 't'},
        {"max-connections", required_argument, NULL, 'm'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct server_options o;
    const struct cli_number numbers[] = {
        {'p', "--port", 0, 65535, NULL, &o.port},
        {'T', "--threads", 1, SERVER_MAX_THREADS, NULL, &o.threads},
        {'i', "--idle-timeout-ms", 1, SERVER_MAX_IDLE_TIMEOUT_MS, NULL, &o.idle_timeout_ms},
        {'t', "--header-timeout-ms", 1, SERVER_MAX_IDLE_TIMEOUT_MS, NULL, &o.header_timeout_ms},
        {'m', "--max-connections", 1, SERVER_MAX_MAX_CONNS, NULL, &o.max_connections},
        {0},
    };
    struct cli cli;
    int c, rc;

    server_options_init(&o);
    cli_init(&cli, "serve", argc, argv, "h", longopts);
    while ((c = cli_next(&cli)) != -1) {
        if (c == CLI_USAGE || (rc = cli_number_option(&cli, numbers, c)) == CLI_USAGE)
            return 2;
        if (rc == 1)
            continue;
        if (c == 'h') {
            fputs(serve_usage, stdout);
            fputs(serve_help, stdout);
            fflush(stdout);
            return 0;
        } else if (c == 'q') {
            o.quiet = 1;
        } else if (c == 'H' && *optarg == '\0') {
            fprintf(stderr, "concbench serve: --host needs a non-empty address\n");
            return 2;
        } else if (c == 'H') {
            o.host = optarg;
        }
    }
    if (cli_operands(&cli, 0, 0, "") == CLI_USAGE)
        return 2;
    return server_run(&o, -1, 1);
}
