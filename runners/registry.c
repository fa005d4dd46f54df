#include <string.h>

#include "runners/runner.h"

extern const struct runner runner_sequential;
extern const struct runner runner_pthreads;
extern const struct runner runner_processes;
extern const struct runner runner_green;
extern const struct runner runner_evloop;
extern const struct runner runner_openmp;
extern const struct runner runner_uring;
extern const struct runner runner_mpi;

/* Adding a model: write runners/NAME.c and add one line here. A model on an optional library is
 * built when CMake finds it (CONCBENCH_HAVE_...), else it is listed in runners_missing. */
const struct runner *const runners[] = {
    &runner_sequential,
    &runner_pthreads,
    &runner_processes,
    &runner_green,
    &runner_evloop,
#ifdef CONCBENCH_HAVE_OPENMP
    &runner_openmp,
#endif
#ifdef CONCBENCH_HAVE_URING
    &runner_uring,
#endif
#ifdef CONCBENCH_HAVE_MPI
    &runner_mpi,
#endif
    NULL,
};

const struct runner_missing runners_missing[] = {
#ifndef CONCBENCH_HAVE_OPENMP
    {"openmp", "built without OpenMP: GCC's libgomp (libgcc-N-dev, which gcc brings; clang: "
               "libomp-dev), then rebuild"},
#endif
#ifndef CONCBENCH_HAVE_URING
    {"uring", "built without liburing: apt-get install liburing-dev (scripts/install-deps.sh), "
              "then rebuild"},
#endif
#ifndef CONCBENCH_HAVE_MPI
    {"mpi", "built without Open MPI: apt-get install libopenmpi-dev openmpi-bin "
            "(scripts/install-deps.sh), then rebuild"},
#endif
    {NULL, NULL},
};

const char *runner_missing_why(const char *name)
{
    for (int i = 0; name != NULL && runners_missing[i].name != NULL; i++)
        if (strcmp(runners_missing[i].name, name) == 0)
            return runners_missing[i].why;
    return NULL;
}

int runner_parallel_always(const struct param_set *opts)
{
    (void)opts;
    return 1;
}

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
