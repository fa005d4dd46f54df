#ifndef CONCBENCH_OUTFILE_H
#define CONCBENCH_OUTFILE_H

/* Output files (-o) that never clobber what they should not. A path is accepted when it is "-"
 * (standard output), a new file in an existing folder, or an existing regular file that may be
 * written; a directory, an empty path, a device, a FIFO, a socket, a symbolic link (refused, not
 * followed) and a read-only file are refused. Writing goes to a unique temporary file in the same
 * folder (mkstemp), which then replaces the path in one rename, so a reader never sees half a
 * file and two writers never corrupt each other; an existing file keeps its mode. */

#include <stddef.h>
#include <stdio.h>

/* 1 when path means standard output ("-"). */
int outfile_is_stdout(const char *path);

/* Checks, before any work, that outfile_write could write path. Returns 0, or -1 with a message
 * in err that names the path and what is wrong with it. */
int outfile_check(const char *path, char *err, size_t errlen);

/* Writes path with write(f, arg), which returns 0 or -1 (then errno says why). Returns 0, or -1
 * with a message in err; on failure path is left as it was. */
int outfile_write(const char *path, int (*write)(FILE *f, void *arg), void *arg, char *err,
                  size_t errlen);

#endif
