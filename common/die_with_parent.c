#include "common/die_with_parent.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "common/fork_path.h"

FORK_PATH void die_with_parent(pid_t parent)
{
    /* the kernel's calls straight, as a task's child makes them (see fork_path.h) */
    fork_path_syscall3(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0);
    if (fork_path_syscall3(SYS_getppid, 0, 0, 0) != parent) /* it died before: no signal comes */
        _exit(1);
}
