/* `concbench serve`: the embedded latency server in the foreground. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "server/server.h"

static const char serve_usage[] =
    "usage: concbench serve [--host HOST] [--port N] [--idle-timeout-ms N] [--quiet]\n";

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
    "  405      method other than GET or HEAD\n"
    "  414      request line longer than 8192 bytes (connection closed)\n"
    "  431      request line plus headers longer than 8192 bytes (connection closed)\n"
    "  505      HTTP version other than 1.x (connection closed)\n"
    "\n"
    "Connections: HTTP/1.1 keeps the connection open unless the request says Connection: close;\n"
    "HTTP/1.0 closes it unless the request says Connection: keep-alive. Pipelined requests are\n"
    "answered in order (their delays overlap). A client that disconnects during a delay cancels\n"
    "it. At start the RLIMIT_NOFILE soft limit is raised to the hard limit; when accept() runs "
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
            "(1..86400000), --quiet, --help\n%s",
            serve_usage);
    return 2;
}

/* A whole decimal number in [min, max]. */
static int parse_int(const char *s, long min, long max, int *out)
{
    char *end;
    long v;

    if (s == NULL || *s == '\0' || *s == '-' || *s == '+' || *s == ' ')
        return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return -1;
    *out = (int)v;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    struct server_options o;

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
        if (strcmp(name, "--host") != 0 && strcmp(name, "--port") != 0 &&
            strcmp(name, "--idle-timeout-ms") != 0)
            return bad_usage("unknown option '%s'", arg);
        if (eq != NULL) {
            val = eq + 1;
        } else if (i + 1 < argc) {
            val = argv[++i];
        } else {
            return bad_usage("option '%s' needs a value", name);
        }
        if (strcmp(name, "--host") == 0) {
            if (*val == '\0')
                return bad_usage("--host needs a non-empty address");
            o.host = val;
        } else if (strcmp(name, "--port") == 0) {
            if (parse_int(val, 0, 65535, &o.port) < 0)
                return bad_usage("--port must be a whole number 0..65535, not '%s'", val);
        } else if (parse_int(val, 1, SERVER_MAX_IDLE_TIMEOUT_MS, &o.idle_timeout_ms) < 0) {
            return bad_usage("--idle-timeout-ms must be a whole number 1..86400000, not '%s'", val);
        }
    }
    return server_run(&o, -1, 1);
}
