#include "common/run_captured.h"
#include "common/die_with_parent.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/stop_signals.h"

#define OUT_MAX (4 << 20) /* stdout kept: a case's JSON, far smaller */
#define ERR_MAX 8192      /* the end of stderr kept */

/* What the parent collects: all of stdout (up to OUT_MAX), the end of stderr. */
struct capture {
    char *out, *err;
    size_t lo, le;
};

static void keep_stdout(struct capture *c, const char *buf, size_t n)
{
    if (c->lo + n <= OUT_MAX) {
        memcpy(c->out + c->lo, buf, n);
        c->lo += n;
    }
}

/* Keeps the end of stderr: a traceback's last line says what went wrong. */
static void keep_stderr_tail(struct capture *c, const char *buf, size_t n)
{
    size_t cap = ERR_MAX - 1;

    if (n > cap) {
        buf += n - cap;
        n = cap;
    }
    if (c->le + n > cap) {
        size_t drop = c->le + n - cap;
        memmove(c->err, c->err + drop, c->le - drop);
        c->le -= drop;
    }
    memcpy(c->err + c->le, buf, n);
    c->le += n;
    c->err[c->le] = '\0';
}

static void child_exec(char *const argv[], const int po[2], const int pe[2], pid_t parent)
{
    setpgid(0, 0);           /* so a timeout can stop multiprocessing's children too */
    die_with_parent(parent); /* and a kill -9 of concbench stops the interpreter */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    dup2(po[1], 1);
    dup2(pe[1], 2);
    close(po[0]);
    close(pe[0]);
    close(po[1]);
    close(pe[1]);
    setenv("PYTHONDONTWRITEBYTECODE", "1", 1); /* no __pycache__ in the source tree */
    execv(argv[0], argv);
    fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

/* Reads both pipes until they close, the deadline passes or a stop signal comes; 1 when both
 * closed (the child is done writing). */
static int collect(struct capture *c, int fd_out, int fd_err, double deadline)
{
    int open_[2] = {1, 1};
    char buf[65536];

    while (open_[0] || open_[1]) {
        struct pollfd p[2] = {{fd_out, POLLIN, 0}, {fd_err, POLLIN, 0}};
        double left = deadline - clock_now_s();
        if (left <= 0 || stop_signal_caught())
            return 0;
        if (poll(p, 2, left > 1 ? 1000 : (int)(left * 1000) + 1) < 0 && errno != EINTR)
            return 0;
        for (int i = 0; i < 2; i++) {
            ssize_t n;
            if (!open_[i] || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            n = read(p[i].fd, buf, sizeof(buf));
            if (n <= 0)
                open_[i] = 0;
            else if (i == 0)
                keep_stdout(c, buf, (size_t)n);
            else
                keep_stderr_tail(c, buf, (size_t)n);
        }
    }
    return 1;
}

static void close_pipes(const int po[2], const int pe[2])
{
    close(po[0]);
    close(po[1]);
    close(pe[0]);
    close(pe[1]);
}

int run_captured(char *const argv[], int timeout_s, char **out, char **errout)
{
    struct capture c = {calloc(1, OUT_MAX + 1), calloc(1, ERR_MAX), 0, 0};
    int po[2], pe[2], status = 0, rc = 0;
    pid_t pid, parent;

    *out = c.out;
    *errout = c.err;
    if (c.out == NULL || c.err == NULL || pipe(po) != 0)
        return 127;
    if (pipe(pe) != 0) {
        close(po[0]);
        close(po[1]);
        return 127;
    }
    fflush(NULL);
    parent = getpid();
    pid = fork();
    if (pid < 0) {
        close_pipes(po, pe);
        return 127;
    }
    if (pid == 0)
        child_exec(argv, po, pe, parent);
    setpgid(pid, pid);
    close(po[1]);
    close(pe[1]);
    if (!collect(&c, po[0], pe[0], clock_now_s() + timeout_s)) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        rc = stop_signal_caught() ? -2 : -1;
    }
    close(po[0]);
    close(pe[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    kill(-pid, SIGKILL); /* anything left in its group (multiprocessing's children) */
    if (rc != 0)
        return rc;
    if (WIFSIGNALED(status))
        return stop_signal_caught() ? -2 : 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

void last_line(const char *text, char *out, size_t len)
{
    const char *end = text + strlen(text), *start;

    while (end > text && (end[-1] == '\n' || end[-1] == ' '))
        end--;
    start = end;
    while (start > text && start[-1] != '\n')
        start--;
    snprintf(out, len, "%.*s", (int)(end - start), start);
}
