/* The article-profile io_bound column of reproduce (reproduce_latency.h). */
#include "cmd/reproduce_latency.h"

#include <stdio.h>
#include <string.h>

#include "rmodel/article.h"
#include "common/source_tree.h"

int repro_add_latency_column(struct config *cfg, const char *profile, const char *time_scale,
                             char *err, size_t errlen)
{
    const struct workload_spec *io = NULL;
    struct workload_spec *col;
    char path[4096], kv[4200];

    for (int i = 0; i < cfg->nwls; i++)
        if (strcmp(cfg->wls[i].wl->name, "io_bound") == 0 && cfg->wls[i].name == NULL)
            io = &cfg->wls[i];
    if (io == NULL || cfg->nwls >= CONFIG_MAX_WORKLOADS) {
        snprintf(err, errlen, "--latency: this build has no io_bound workload to run with it");
        return -1;
    }
    if (strcmp(profile, "article") != 0)
        snprintf(path, sizeof(path), "%s", profile);
    else if (repro_find_file(LATENCY_ARTICLE_REL_PATH, path, sizeof(path)) != 0) {
        snprintf(err, errlen, "--latency article: %s not found (set CONCBENCH_ROOT)",
                 LATENCY_ARTICLE_REL_PATH);
        return -1;
    }
    col = &cfg->wls[cfg->nwls];
    memset(col, 0, sizeof(*col));
    col->wl = io->wl;
    col->name = REPRO_IO_LATENCY_WORKLOAD;
    params_copy(&col->params, &io->params);
    cfg->nwls++; /* config_free frees its parameters from here on */
    snprintf(kv, sizeof(kv), "latency_profile=%s", path);
    if (params_add(&col->params, col->wl->params, kv, err, errlen) != 0)
        return -1;
    if (time_scale != NULL) {
        snprintf(kv, sizeof(kv), "latency_scale=%s", time_scale);
        if (params_add(&col->params, col->wl->params, kv, err, errlen) != 0)
            return -1;
    }
    return 0;
}
