#define _GNU_SOURCE /* memfd_create */
#include "bench/rep_stderr.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int rep_stderr_open(void)
{
    return memfd_create("concbench-repetition-stderr", MFD_CLOEXEC);
}

void rep_stderr_redirect(int fd)
{
    if (fd >= 0)
        dup2(fd, STDERR_FILENO); /* dup2 clears close-on-exec on the copy */
}

void rep_stderr_finish(int fd, char *last, size_t lastlen)
{
    char buf[4096];
    ssize_t n;

    last[0] = '\0';
    if (fd < 0)
        return;
    lseek(fd, 0, SEEK_SET);
    while ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
        char *line, *end;
        fwrite(buf, 1, (size_t)n, stderr);
        buf[n] = '\0';
        /* The last complete or partial non-empty line of this chunk. */
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
            buf[--n] = '\0';
        if (n == 0)
            continue;
        end = buf + n;
        line = memrchr(buf, '\n', (size_t)(end - buf));
        snprintf(last, lastlen, "%s", line ? line + 1 : buf);
    }
    close(fd);
}
