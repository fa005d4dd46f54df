#include "common/source_tree.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int try_dir(const char *dir, const char *rel, char *out, size_t outlen)
{
    if (out == NULL || outlen == 0) /* also keeps gcc's -Wformat-truncation quiet under ASan */
        return -1;
    if (snprintf(out, outlen, "%s/%s", dir, rel) >= (int)outlen)
        return -1;
    return file_exists(out) ? 0 : -1;
}

int repro_find_file(const char *rel, char *out, size_t outlen)
{
    char dir[PATH_MAX];
    const char *env = getenv("CONCBENCH_ROOT");
    ssize_t n;

    if (env != NULL && env[0] != '\0' && try_dir(env, rel, out, outlen) == 0)
        return 0;
    /* build/concbench -> the tree above it; also two levels up for nested build folders. */
    n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
    if (n > 0) {
        dir[n] = '\0';
        for (int up = 0; up < 3; up++) {
            char *slash = strrchr(dir, '/');
            if (slash == NULL || slash == dir)
                break;
            *slash = '\0';
            if (try_dir(dir, rel, out, outlen) == 0)
                return 0;
        }
    }
    /* The folder this file was compiled from (CMake passes absolute source paths). */
    snprintf(dir, sizeof(dir), "%s", __FILE__);
    for (int up = 0; up < 2; up++) {
        char *slash = strrchr(dir, '/');
        if (slash == NULL)
            break;
        *slash = '\0';
    }
    if (dir[0] == '/' && try_dir(dir, rel, out, outlen) == 0)
        return 0;
    if (file_exists(rel)) {
        snprintf(out, outlen, "%s", rel);
        return 0;
    }
    return -1;
}
