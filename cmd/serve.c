/* `concbench serve`: the embedded latency server in the foreground. */
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "common/params.h"
#include "server/server.h"

static const char serve_usage[] =
    "usage: concbench serve [--host HOST] [--port N] [--idle-timeout-ms N]\n"
    "                       [--header-timeout-ms N] [--max-connections N] [--quiet]\n";

static const char serve_help[] =
    "\n"
    "Runs the embedded latency HTTP server (HTTP/1.1, one libuv loop on one thread) in the\n"
    "foreground until SIGINT or SIGTERM, then closes every connection and exits 0. Once it\n"
    "accepts connections it prints exactly one line on stdout:\n"
    "  listening on http://HOST:PORT\n"
    "\n"
    "Options:\n"
    "  --host HOST           address to bind (default 127.0.0.1)\n"
    "  --port N              TCP port 0..65535; 0 = a free one, printed (default 0)\n"
    "  --idle-timeout-ms N   close a connection that sends nothing, or stalls mid-request, for\n"
    "                        N ms; 1..86400000 (default 10000)\n"
    "  --header-timeout-ms N a request's line and headers (and body, if any) must all arrive\n"
    "                        within N ms of its first byte (of the connection, for the first\n"
    "                        request), however slowly they trickle in; else the connection is\n"
    "                        closed (like nginx's client_header_timeout); 1..86400000\n"
    "                        (default 10000)\n"
    "  --max-connections N   connections open at most, 1..1048576 (default: the open-files\n"
    "                        limit minus 32). When full, a new client makes the server close\n"
    "                        the oldest idle connection (no request queued or in progress);\n"
    "                        if none is idle the new client gets 503 (Retry-After: 1), closed\n"
    "  --quiet               no informational messages on stderr (warnings still go there)\n"
    "  -h, --help            this help\n"
    "\n"
    "Paths (methods GET and HEAD; a query string is ignored):\n"
    "  /delay/<ms>/bytes/<n>  after <ms> ms, 200 with Content-Type application/octet-stream and\n"
    "                         exactly <n> bytes of the deterministic body (server/body.h: byte i\n"
    "                         is 'a' + (i + i/26) % 26); <ms> 0..600000, <n> 0..67108864\n"
    "  /health                200, body \"ok\\n\"\n"
    "  /status/<code>         that status, <code> 200..599, body \"status <code>\\n\" (none for\n"
    "                         204 and 304); simulates a failing server\n"
    "\n"
    "Status codes:\n"
    "  200      the paths above\n"
    "  400      malformed request (connection closed), a number out of bounds or not a number\n"
    "  404      unknown path\n"
    "  405      method other than GET or HEAD (known to HTTP or not: FOO / too)\n"
    "  414      request line longer than 8192 bytes (connection closed)\n"
    "  431      request line plus headers longer than 8192 bytes (connection closed)\n"
    "  503      --max-connections open and none idle (connection closed)\n"
    "  505      HTTP version other than 1.x (connection closed)\n"
    "\n"
    "Connections: HTTP/1.1 keeps the connection open unless the request says Connection: close;\n"
    "HTTP/1.0 closes it unless the request says Connection: keep-alive. Pipelined requests are\n"
    "answered in order (their delays overlap). A client that half-closes (shutdown SHUT_WR) still\n"
    "gets every response it asked for, pipelined ones too, then the server closes; a client\n"
    "that disconnects during a delay cancels it. A request target in absolute form\n"
    "(GET http://host:port/health) is routed by its path. At start the RLIMIT_NOFILE soft limit is "
    "raised to the hard limit; when accept() runs "
    "out\n"
    "of descriptors a warning goes to stderr once and new clients wait in the listen backlog.\n";

__attribute__((format(printf, 1, 2))) static int bad_usage(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "concbench serve: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr,
            "\nvalid options: --host HOST, --port N (0..65535), --idle-timeout-ms N "
            "(1..86400000), --header-timeout-ms N (1..86400000), --max-connections N "
            "(1..1048576), --quiet, --help\n%s",
            serve_usage);
    return 2;
}

/* The numeric options: name, bounds, where the value goes. */
struct serve_int_opt {
    const char *name;
    long long min, max;
    size_t offset; /* of the int in struct server_options */
};

static const struct serve_int_opt serve_int_opts[] = {
    {"--port", 0, 65535, offsetof(struct server_options, port)},
    {"--idle-timeout-ms", 1, SERVER_MAX_IDLE_TIMEOUT_MS,
     offsetof(struct server_options, idle_timeout_ms)},
    {"--header-timeout-ms", 1, SERVER_MAX_IDLE_TIMEOUT_MS,
     offsetof(struct server_options, header_timeout_ms)},
    {"--max-connections", 1, SERVER_MAX_MAX_CONNS,
     offsetof(struct server_options, max_connections)},
    {NULL, 0, 0, 0},
};

static int serve_known(const char *name)
{
    for (const struct serve_int_opt *opt = serve_int_opts; opt->name != NULL; opt++)
        if (strcmp(name, opt->name) == 0)
            return 1;
    return strcmp(name, "--host") == 0;
}

/* Sets option name to val; returns 0 or the exit status of a usage error. */
static int serve_set(struct server_options *o, const char *name, const char *val)
{
    long long v;
    char expected[96];

    if (strcmp(name, "--host") == 0) {
        if (*val == '\0')
            return bad_usage("--host needs a non-empty address");
        o->host = val;
        return 0;
    }
    for (const struct serve_int_opt *opt = serve_int_opts; opt->name != NULL; opt++) {
        if (strcmp(name, opt->name) != 0)
            continue;
        if (parse_ll(val, opt->min, opt->max, &v) != 0) {
            parse_ll_expected(val, opt->min, opt->max, expected, sizeof expected);
            return bad_usage("%s '%s': %s", name, val, expected);
        }
        *(int *)((char *)o + opt->offset) = (int)v;
        return 0;
    }
    return bad_usage("unknown option '%s'", name);
}

int cmd_serve(int argc, char **argv)
{
    struct server_options o;
    int rc;

    server_options_init(&o);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *val = NULL, *eq;
        char name[32];
        size_t nlen;

        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            fputs(serve_usage, stdout);
            fputs(serve_help, stdout);
            fflush(stdout);
            return 0;
        }
        if (strcmp(arg, "--quiet") == 0) {
            o.quiet = 1;
            continue;
        }
        if (strncmp(arg, "--", 2) != 0)
            return bad_usage("unexpected argument '%s'", arg);
        eq = strchr(arg, '=');
        nlen = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
        if (nlen >= sizeof name)
            return bad_usage("unknown option '%s'", arg);
        memcpy(name, arg, nlen);
        name[nlen] = '\0';
        if (!serve_known(name))
            return bad_usage("unknown option '%s'", arg);
        if (eq != NULL)
            val = eq + 1;
        else if (i + 1 < argc)
            val = argv[++i];
        else
            return bad_usage("option '%s' needs a value", name);
        if ((rc = serve_set(&o, name, val)) != 0)
            return rc;
    }
    return server_run(&o, -1, 1);
}
