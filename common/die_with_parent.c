#include "common/die_with_parent.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

void die_with_parent(pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) /* it died between fork and prctl: no signal will come */
        _exit(1);
}
