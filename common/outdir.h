#ifndef CONCBENCH_OUTDIR_H
#define CONCBENCH_OUTDIR_H

/* Output folders (-o DIR of a command that writes several files, e.g. history publish), with the
 * care outfile.h takes of one file: DIR is a new folder in an existing one (created here) or an
 * existing folder that may be written; an empty path, a symbolic link (refused, not followed),
 * a file, a device and a read-only folder are refused. Each file inside is then written with
 * outfile_write (atomic, never through a symbolic link). */

#include <stddef.h>
#include <stdio.h>

/* Checks DIR, creating it when it does not exist yet. 0, or -1 with a message naming DIR. */
int outdir_prepare(const char *dir, char *err, size_t errlen);

/* Writes DIR/name (name: a plain file name, no '/') with outfile_write. Its size in bytes, or -1
 * with a message. */
long long outdir_write(const char *dir, const char *name, int (*write)(FILE *f, void *arg),
                       void *arg, char *err, size_t errlen);

#endif
