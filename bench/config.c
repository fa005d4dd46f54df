#include "bench/config.h"

void config_free(struct config *cfg)
{
    for (int i = 0; i < cfg->nmodels; i++)
        params_clear(&cfg->models[i].opts);
    for (int i = 0; i < cfg->nwls; i++)
        params_clear(&cfg->wls[i].params);
}
