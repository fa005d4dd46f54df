#ifndef CONCBENCH_DIE_WITH_PARENT_H
#define CONCBENCH_DIE_WITH_PARENT_H

#include <sys/types.h>

/* Called in a child right after fork: the child gets SIGKILL when its parent dies, so a harness
 * killed with kill -9 leaves no repetition or task running (PR_SET_PDEATHSIG). parent is the
 * parent's pid as read before the fork: if it already died, the child exits at once. */
void die_with_parent(pid_t parent);

#endif
