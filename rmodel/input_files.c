#include "rmodel/input_files.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

json_t *input_json_load(const char *path, const char *what, char *err, size_t errlen)
{
    struct stat st;
    json_error_t e;
    json_t *root;

    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "cannot read %s file %s: %s", what, path, strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s is a folder, not a %s file", path, what);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) { /* a device or a FIFO could be endless, or block */
        snprintf(err, errlen, "%s is not a regular file (a device, FIFO or socket), not a %s file",
                 path, what);
        return NULL;
    }
    root = json_load_file(path, JSON_DECODE_ANY, &e);
    if (root == NULL) {
        if (st.st_size == 0)
            snprintf(err, errlen, "%s is empty, not a %s file", path, what);
        else if (e.line <= 0)
            snprintf(err, errlen, "cannot read %s file %s: %s", what, path, e.text);
        else
            snprintf(err, errlen, "%s is not JSON (line %d, column %d: %s); expected a %s file",
                     path, e.line, e.column, e.text, what);
        return NULL;
    }
    return root;
}
