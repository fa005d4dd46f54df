/* server_spawn / server_stop: the embedded server in a forked child (no exec). The child reports
 * "OK <port>" or "ERR <message>" on a pipe once it listens (or failed to); the parent waits for
 * that line, bounded. */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include "server/server.h"

#include "common/clock.h"
#include "common/proc_status.h"

#define SPAWN_TIMEOUT_MS 5000
#define STOP_TIMEOUT_MS  5000

static long long now_ms(void)
{
    return (long long)(clock_now_s() * 1000.0);
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* Waits up to timeout_ms for pid to exit; returns 1 (reaped, status in *st), 0 (still running)
 * or -1 (not our child / error). */
static int wait_exit(pid_t pid, int timeout_ms, int *st)
{
    long long deadline = now_ms() + timeout_ms;

    for (;;) {
        pid_t r = waitpid(pid, st, WNOHANG);

        if (r == pid)
            return 1;
        if (r < 0 && errno != EINTR)
            return -1;
        if (now_ms() >= deadline)
            return 0;
        sleep_ms(5);
    }
}

static void child_main(const struct server_options *o, pid_t parent, int ready_fd)
{
    sigset_t set;

    /* die with the parent; it may already be gone */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent)
        _exit(1);
    /* the caller's handlers and mask are not ours: SIGTERM stops us cleanly (uv_signal), SIGINT
     * (a terminal's ^C reaches the whole group) is left to the caller, who calls server_stop */
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_IGN);
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    /* never return into the caller's code, nor flush its stdio buffers or run its atexit */
    _exit(server_run(o, ready_fd, 0) == 0 ? 0 : 1);
}

/* The child's one line, "OK <port>" or "ERR <message>", without its newline; empty on EOF (the
 * child died first) or after SPAWN_TIMEOUT_MS. */
static void read_report(int fd, char *line, size_t len)
{
    long long deadline = now_ms() + SPAWN_TIMEOUT_MS;
    size_t got = 0;

    while (got < len - 1 && memchr(line, '\n', got) == NULL) {
        long long left = deadline - now_ms();
        struct pollfd pfd = {fd, POLLIN, 0};
        int r;
        ssize_t n;

        if (left <= 0)
            break;
        r = poll(&pfd, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n = read(fd, line + got, len - 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    line[got] = '\0';
    line[strcspn(line, "\n")] = '\0';
}

int server_spawn_opts(const struct server_options *o, pid_t *pid, int *bound_port, char *err,
                      size_t errlen)
{
    struct server_options def;
    char line[512], how[128];
    int fds[2], st;
    pid_t parent = getpid(), child;

    if (o == NULL) {
        server_options_init(&def);
        def.quiet = 1;
        o = &def;
    }
    if (pipe2(fds, O_CLOEXEC) < 0) {
        snprintf(err, errlen, "cannot start the server: pipe: %s", strerror(errno));
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    child = fork();
    if (child < 0) {
        snprintf(err, errlen, "cannot start the server: fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (child == 0) {
        close(fds[0]);
        child_main(o, parent, fds[1]);
    }
    close(fds[1]);

    read_report(fds[0], line, sizeof(line));
    close(fds[0]);

    if (strncmp(line, "OK ", 3) == 0) {
        *pid = child;
        *bound_port = atoi(line + 3);
        return 0;
    }
    if (strncmp(line, "ERR ", 4) == 0) {
        snprintf(err, errlen, "%s", line + 4);
        if (wait_exit(child, STOP_TIMEOUT_MS, &st) == 0) {
            kill(child, SIGKILL);
            waitpid(child, &st, 0);
        }
        return -1;
    }
    /* no report: it died, or hangs */
    if (wait_exit(child, 0, &st) == 1) {
        proc_status_text(st, how, sizeof how);
        snprintf(err, errlen, "the server process %s before listening", how);
    } else {
        kill(child, SIGKILL);
        waitpid(child, &st, 0);
        snprintf(err, errlen, "the server process did not report listening within %d s (killed)",
                 SPAWN_TIMEOUT_MS / 1000);
    }
    return -1;
}

int server_spawn(const char *host, int port, pid_t *pid, int *bound_port, char *err, size_t errlen)
{
    struct server_options o;

    server_options_init(&o);
    o.host = host != NULL ? host : SERVER_DEFAULT_HOST;
    o.port = port;
    o.quiet = 1;
    return server_spawn_opts(&o, pid, bound_port, err, errlen);
}

int server_stop(pid_t pid)
{
    int st, r;

    if (pid <= 0)
        return -1;
    if (kill(pid, SIGTERM) < 0 && errno != ESRCH)
        return -1;
    r = wait_exit(pid, STOP_TIMEOUT_MS, &st);
    if (r < 0)
        return -1;
    if (r == 0) {
        char how[128];

        kill(pid, SIGKILL);
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
        proc_status_text(st, how, sizeof how);
        fprintf(stderr, "concbench: the server (pid %d) did not stop within %d s of SIGTERM; %s\n",
                (int)pid, STOP_TIMEOUT_MS / 1000, how);
        return -1;
    }
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}
