#include "bench/config.h"

#include <stdio.h>
#include <unistd.h>

/* The models that, with their options, compute on several threads or processes at once. */
static int config_parallel(const struct model_spec *m)
{
    return m->runner->parallel != NULL && m->runner->parallel(&m->opts);
}

int config_pin_warning(const struct config *cfg, const struct model_spec *m, char *buf, size_t len)
{
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    long need = cfg->workers > 0 && cfg->workers < cfg->tasks ? cfg->workers : cfg->tasks;

    if (need > online)
        need = online;
    if (cfg->cpus == NULL || !config_parallel(m) || cfg->ncpus >= need)
        return 0;
    snprintf(buf, len,
             "pinned to %d CPU%s (--cpus %s): %s could run %ld tasks at once on this machine, so "
             "its speed-up is capped by the pinning",
             cfg->ncpus, cfg->ncpus == 1 ? "" : "s", cfg->cpus, m->label, need);
    return 1;
}

void config_free(struct config *cfg)
{
    for (int i = 0; i < cfg->nmodels; i++)
        params_clear(&cfg->models[i].opts);
    for (int i = 0; i < cfg->nwls; i++)
        params_clear(&cfg->wls[i].params);
}

const char *workload_spec_name(const struct workload_spec *ws)
{
    return ws->name != NULL ? ws->name : ws->wl->name;
}
