/* The one way a step records that its task failed: first error wins. */
#include "workloads/task.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

int task_fail(struct task_record *rec, int status, const char *fmt, ...)
{
    va_list ap;

    if (rec->status == 0) {
        rec->status = status < 0 ? status : -EIO;
        va_start(ap, fmt);
        vsnprintf(rec->error, sizeof(rec->error), fmt, ap);
        va_end(ap);
    }
    return rec->status;
}
