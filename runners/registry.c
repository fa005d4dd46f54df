#include <string.h>

#include "runners/runner.h"

extern const struct runner runner_sequential;
extern const struct runner runner_pthreads;
extern const struct runner runner_processes;
extern const struct runner runner_green;
extern const struct runner runner_evloop;

/* Adding a model: write runners/NAME.c and add one line here. */
const struct runner *const runners[] = {
    &runner_sequential, &runner_pthreads, &runner_processes, &runner_green, &runner_evloop, NULL,
};

const struct runner *runner_find(const char *name)
{
    for (int i = 0; runners[i] != NULL; i++)
        if (strcmp(runners[i]->name, name) == 0)
            return runners[i];
    return NULL;
}
