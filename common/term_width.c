#include "common/term_width.h"

#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define TERM_WIDTH_MAX 10000

int term_width(int fd)
{
    const char *cols = getenv("COLUMNS");
    struct winsize ws;

    if (cols != NULL && *cols != '\0') {
        char *end;
        long n = strtol(cols, &end, 10);
        if (*end == '\0' && n > 0 && n <= TERM_WIDTH_MAX)
            return (int)n;
    }
    if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return isatty(fd) ? 80 : 0;
}
