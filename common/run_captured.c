#include "common/run_captured.h"

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

int run_captured(char *const argv[], int timeout_s, char **out, char **errout)
{
    int po[2], pe[2], status = 0, open_o = 1, open_e = 1, rc;
    size_t lo = 0, le = 0;
    char *bo = calloc(1, OUT_MAX + 1), *be = calloc(1, 8192);
    double deadline = clock_now_s() + timeout_s;
    pid_t pid;

    *out = bo;
    *errout = be;
    if (bo == NULL || be == NULL || pipe(po) != 0)
        return 127;
    if (pipe(pe) != 0) {
        close(po[0]);
        close(po[1]);
        return 127;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        close(po[0]);
        close(po[1]);
        close(pe[0]);
        close(pe[1]);
        return 127;
    }
    if (pid == 0) {
        setpgid(0, 0); /* so a timeout can stop multiprocessing's children too */
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
    setpgid(pid, pid);
    close(po[1]);
    close(pe[1]);
    while (open_o || open_e) {
        struct pollfd p[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
        double left = deadline - clock_now_s();
        char buf[65536];
        if (left <= 0 || stop_signal_caught())
            break;
        if (poll(p, 2, left > 1 ? 1000 : (int)(left * 1000) + 1) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; i++) {
            int *isopen = i == 0 ? &open_o : &open_e;
            if (!*isopen || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = read(p[i].fd, buf, sizeof(buf));
            if (n <= 0) {
                *isopen = 0;
                continue;
            }
            if (i == 0 && lo + (size_t)n <= OUT_MAX) {
                memcpy(bo + lo, buf, (size_t)n);
                lo += (size_t)n;
            } else if (i == 1) {
                /* Keep the end of stderr: a traceback's last line says what went wrong. */
                size_t cap = 8191, take = (size_t)n;
                const char *src = buf;
                if (take > cap) {
                    src += take - cap;
                    take = cap;
                }
                if (le + take > cap) {
                    size_t drop = le + take - cap;
                    memmove(be, be + drop, le - drop);
                    le -= drop;
                }
                memcpy(be + le, src, take);
                le += take;
                be[le] = '\0';
            }
        }
    }
    close(po[0]);
    close(pe[0]);
    rc = 0;
    if (open_o || open_e) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        rc = stop_signal_caught() ? -2 : -1;
    }
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
