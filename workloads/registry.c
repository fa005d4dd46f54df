#include <string.h>

#include "workloads/workload.h"

extern const struct workload workload_cpu_bound;
extern const struct workload workload_sleep;
extern const struct workload workload_io_bound;
extern const struct workload workload_script;
extern const struct workload workload_noop;

/* Adding a workload: write workloads/NAME.c and add one line here. */
const struct workload *const workloads[] = {
    &workload_cpu_bound, &workload_io_bound, &workload_sleep,
    &workload_script,    &workload_noop,     NULL,
};

const struct workload *workload_find(const char *name)
{
    for (int i = 0; workloads[i] != NULL; i++)
        if (strcmp(workloads[i]->name, name) == 0)
            return workloads[i];
    return NULL;
}
