#include "rmodel/input_files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The largest file read, in MB: CONCBENCH_MAX_INPUT_MB, else the default. A results file holds
 * what a run measured; a file far larger is a mistake or an attack, and parsing it whole would
 * take several times its size in memory. */
long long input_max_mb(void)
{
    const char *v = getenv("CONCBENCH_MAX_INPUT_MB");
    char *end;
    long long mb;

    if (v == NULL || *v == '\0')
        return INPUT_MAX_MB_DEFAULT;
    errno = 0;
    mb = strtoll(v, &end, 10);
    return errno == 0 && *end == '\0' && mb > 0 && v[0] != ' ' ? mb : INPUT_MAX_MB_DEFAULT;
}

int input_check(const char *path, const char *what, char *err, size_t errlen)
{
    long long max = input_max_mb();
    struct stat st;

    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "cannot read %s file %s: %s", what, path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s is a folder, not a %s file", path, what);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) { /* a device or a FIFO could be endless, or block */
        snprintf(err, errlen, "%s is not a regular file (a device, FIFO or socket), not a %s file",
                 path, what);
        return -1;
    }
    if (st.st_size == 0) {
        snprintf(err, errlen, "%s is empty, not a %s file", path, what);
        return -1;
    }
    if (st.st_size > max * 1024 * 1024) {
        snprintf(err, errlen,
                 "%s is %lld MB, more than the %lld MB a %s file may be (CONCBENCH_MAX_INPUT_MB "
                 "raises the limit, e.g. CONCBENCH_MAX_INPUT_MB=%lld)",
                 path, (long long)((st.st_size + 1024 * 1024 - 1) / (1024 * 1024)), max, what,
                 2 * ((long long)st.st_size / (1024 * 1024) + 1));
        return -1;
    }
    return 0;
}

json_t *input_json_load(const char *path, const char *what, char *err, size_t errlen)
{
    json_error_t e;
    json_t *root;

    if (input_check(path, what, err, errlen) != 0)
        return NULL;
    root = json_load_file(path, JSON_DECODE_ANY, &e);
    if (root == NULL) {
        if (e.line <= 0)
            snprintf(err, errlen, "cannot read %s file %s: %s", what, path, e.text);
        else
            snprintf(err, errlen, "%s is not JSON (line %d, column %d: %s); expected a %s file",
                     path, e.line, e.column, e.text, what);
        return NULL;
    }
    return root;
}
