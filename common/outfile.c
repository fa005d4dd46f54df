/* Output files that never clobber what they should not (outfile.h). */
#include "common/outfile.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int outfile_is_stdout(const char *path)
{
    return path != NULL && strcmp(path, "-") == 0;
}

/* The folder part of path ("." when it has none) and the file name, split at the last '/'. */
static int split_path(const char *path, char *dir, size_t dirlen, const char **base)
{
    const char *slash = strrchr(path, '/');
    size_t n;

    if (slash == NULL) {
        *base = path;
        snprintf(dir, dirlen, ".");
        return 0;
    }
    *base = slash + 1;
    n = slash == path ? 1 : (size_t)(slash - path); /* "/name": the root folder */
    if (n >= dirlen)
        return -1;
    memcpy(dir, path, n);
    dir[n] = '\0';
    return 0;
}

/* What is at path, if anything, that may not be replaced: 0 when it may (new or a writable
 * regular file, whose mode then goes to *mode), else -1 with the reason in err. */
static int check_target(const char *path, mode_t *mode, char *err, size_t errlen)
{
    struct stat st;

    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "cannot write to %s: %s", path, strerror(errno));
        return -1;
    }
    if (S_ISLNK(st.st_mode))
        snprintf(err, errlen, "%s is a symbolic link: give the path of the file itself", path);
    else if (S_ISDIR(st.st_mode))
        snprintf(err, errlen, "%s is a directory: give a file name", path);
    else if (!S_ISREG(st.st_mode))
        snprintf(err, errlen,
                 "%s exists and is not a regular file (a device, FIFO or socket): refusing to "
                 "replace it",
                 path);
    else if ((st.st_mode & 0222) == 0 || access(path, W_OK) != 0)
        snprintf(err, errlen, "%s is read-only (mode %04o): refusing to replace it", path,
                 (unsigned)(st.st_mode & 07777));
    else {
        *mode = st.st_mode & 07777;
        return 0;
    }
    return -1;
}

/* Creates a unique temporary file next to path (same folder, so rename is atomic). Returns its
 * descriptor and fills tmp, or -1 with the reason in err. */
static int temp_open(const char *path, char *tmp, size_t tmplen, char *err, size_t errlen)
{
    char dir[PATH_MAX];
    const char *base;
    int fd;

    if (*path == '\0' || split_path(path, dir, sizeof dir, &base) != 0 || *base == '\0') {
        snprintf(err, errlen, "'%s' is not a file name", path);
        return -1;
    }
    if (snprintf(tmp, tmplen, "%s/.%s.XXXXXX", dir, base) >= (int)tmplen) {
        snprintf(err, errlen, "%s: path too long", path);
        return -1;
    }
    fd = mkstemp(tmp);
    if (fd < 0)
        snprintf(err, errlen, "cannot write to %s: %s (in folder %s)", path, strerror(errno), dir);
    return fd;
}

int outfile_check(const char *path, char *err, size_t errlen)
{
    char tmp[PATH_MAX + 16];
    mode_t mode;
    int fd;

    if (path == NULL || *path == '\0') {
        snprintf(err, errlen, "the output path is empty: give a file name, or - for stdout");
        return -1;
    }
    if (outfile_is_stdout(path))
        return 0;
    if (check_target(path, &mode, err, errlen) != 0)
        return -1;
    if ((fd = temp_open(path, tmp, sizeof tmp, err, errlen)) < 0)
        return -1;
    close(fd);
    unlink(tmp);
    return 0;
}

static mode_t new_file_mode(void)
{
    mode_t mask = umask(0);

    umask(mask);
    return 0666 & ~mask;
}

/* Writes through fn into fd (closed here), flushed to disk. Returns 0 or -1 with errno set. */
static int write_fd(int fd, int (*fn)(FILE *f, void *arg), void *arg)
{
    FILE *f = fdopen(fd, "w");
    int rc, saved;

    if (f == NULL) {
        close(fd);
        return -1;
    }
    errno = 0;
    rc = fn(f, arg);
    if (rc == 0 && (fflush(f) != 0 || ferror(f) || fsync(fd) != 0))
        rc = -1;
    saved = errno ? errno : EIO;
    if (fclose(f) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    errno = saved;
    return rc;
}

static int write_stdout(int (*fn)(FILE *f, void *arg), void *arg, char *err, size_t errlen)
{
    errno = 0;
    if (fn(stdout, arg) != 0 || fflush(stdout) != 0 || ferror(stdout)) {
        snprintf(err, errlen, "cannot write to stdout: %s", strerror(errno ? errno : EIO));
        return -1;
    }
    return 0;
}

int outfile_write(const char *path, int (*fn)(FILE *f, void *arg), void *arg, char *err,
                  size_t errlen)
{
    char tmp[PATH_MAX + 16];
    mode_t mode = new_file_mode();
    int fd;

    if (path == NULL || *path == '\0')
        return outfile_check(path, err, errlen);
    if (outfile_is_stdout(path))
        return write_stdout(fn, arg, err, errlen);
    /* Checked again here: what is at the path may have changed since the run started. */
    if (check_target(path, &mode, err, errlen) != 0)
        return -1;
    if ((fd = temp_open(path, tmp, sizeof tmp, err, errlen)) < 0)
        return -1;
    if (fchmod(fd, mode) != 0) {
        close(fd);
        fd = -1;
    }
    if (fd < 0 || write_fd(fd, fn, arg) != 0 || rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot write to %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}
