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
    for (int i = 0; name != NULL && runners[i] != NULL; i++)
        if (strcmp(runners[i]->name, name) == 0)
            return runners[i];
    return NULL;
}

const struct runner *runner_baseline(void)
{
    for (int i = 0; runners[i] != NULL; i++)
        if (runners[i]->baseline)
            return runners[i];
    return NULL;
}

const char *runner_baseline_name(void)
{
    const struct runner *r = runner_baseline();
    return r != NULL ? r->name : "";
}

int runner_is_baseline(const char *name)
{
    const struct runner *r = runner_find(name);
    return r != NULL && r->baseline;
}

int runner_is_serial(const char *name)
{
    const struct runner *r = runner_find(name);
    return r != NULL && r->serial;
}

int runner_has_option(const char *name, const char *key)
{
    const struct runner *r = runner_find(name);
    return r != NULL && params_find_spec(r->options, key) != NULL;
}
