#ifndef CONCBENCH_CONTAINER_OF_H
#define CONCBENCH_CONTAINER_OF_H

#include <stddef.h>

/* The struct of `type` whose field `member` p points to: for items kept in a shared list or heap
 * by a field of theirs (deadline lists, the server's due heap, io_uring's operations). */
#define container_of(p, type, member) ((type *)((char *)(p)-offsetof(type, member)))

#endif
