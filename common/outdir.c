/* Output folders (outdir.h). */
#include "common/outdir.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/outfile.h"

int outdir_prepare(const char *dir, char *err, size_t errlen)
{
    struct stat st;

    if (dir == NULL || *dir == '\0') {
        snprintf(err, errlen, "the output folder is empty: give a folder name");
        return -1;
    }
    if (lstat(dir, &st) != 0) {
        if (errno == ENOENT && mkdir(dir, 0777) == 0)
            return 0;
        snprintf(err, errlen, "cannot create the folder %s: %s", dir, strerror(errno));
        return -1;
    }
    if (S_ISLNK(st.st_mode))
        snprintf(err, errlen, "%s is a symbolic link: give the path of the folder itself", dir);
    else if (!S_ISDIR(st.st_mode))
        snprintf(err, errlen, "%s exists and is not a folder: give a folder name", dir);
    else if (access(dir, W_OK | X_OK) != 0)
        snprintf(err, errlen, "cannot write into the folder %s: %s", dir, strerror(errno));
    else
        return 0;
    return -1;
}

long long outdir_write(const char *dir, const char *name, int (*write)(FILE *f, void *arg),
                       void *arg, char *err, size_t errlen)
{
    char path[PATH_MAX];
    struct stat st;

    /* "-" would be standard output to outfile_write */
    if (*name == '\0' || strcmp(name, "-") == 0 || strchr(name, '/') != NULL ||
        snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path)) {
        snprintf(err, errlen, "%s/%s: not a file name in the folder", dir, name);
        return -1;
    }
    if (outfile_write(path, write, arg, err, errlen) != 0)
        return -1;
    return lstat(path, &st) == 0 ? (long long)st.st_size : 0;
}
