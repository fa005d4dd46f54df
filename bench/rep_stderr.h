#ifndef CONCBENCH_REP_STDERR_H
#define CONCBENCH_REP_STDERR_H

#include <stddef.h>

/* What a repetition's process writes on stderr goes to an anonymous file first, so that when it
 * dies (a stack overflow, an abort) its last words can go into the case's error, and so into the
 * JSON, next to the signal that killed it. Nothing is lost: the text is replayed on stderr. */

/* A file for the child's stderr; -1 if none could be made (then stderr is left alone). */
int rep_stderr_open(void);

/* In the child: send stderr to fd. */
void rep_stderr_redirect(int fd);

/* In the parent, after the child ended: replays what it wrote on stderr, keeps its last
 * non-empty line in last (empty if none), and closes fd. */
void rep_stderr_finish(int fd, char *last, size_t lastlen);

#endif
