/* Workload variants in the workload list (workload_variant.h). */
#include "cmd/workload_variant.h"

#include <stdio.h>
#include <string.h>

#include "common/suggest.h"

#define VARIANT_LEN 128

/* A variant's name lives as long as the process: results and reports keep pointing at it. */
static char variant_names[CONFIG_MAX_WORKLOADS][VARIANT_LEN];

const char *wl_near_workload(const char *name, char *buf, size_t len)
{
    struct suggest s;

    suggest_init(&s, name);
    for (int i = 0; workloads[i] != NULL; i++)
        suggest_offer(&s, workloads[i]->name);
    return suggest_text(&s, "", buf, len);
}

int wl_variant_add(struct config *cfg, const char *item, char *err, size_t errlen)
{
    const char *colon = strchr(item, ':');
    char name[64], copy[VARIANT_LEN], *save = NULL;
    int slot = cfg->nwls;

    snprintf(name, sizeof name, "%.*s", (int)(colon - item), item);
    const struct workload *wl = workload_find(name);
    if (wl == NULL) {
        char near[96];
        snprintf(err, errlen, "unknown workload '%s'%s", name,
                 wl_near_workload(name, near, sizeof(near)));
        return -1;
    }
    if (strlen(item) >= VARIANT_LEN || slot >= CONFIG_MAX_WORKLOADS) {
        snprintf(err, errlen, "workload '%.40s...': too long, or too many workloads", item);
        return -1;
    }
    for (int i = 0; i < slot; i++) {
        if (cfg->wls[i].name != NULL && strcmp(cfg->wls[i].name, item) == 0) {
            snprintf(err, errlen, "workload '%s' is given twice", item);
            return -1;
        }
    }
    /* strtok would skip an empty part ("io_bound::client=raw", "io_bound:client=raw:") */
    if (strstr(colon, "::") != NULL || item[strlen(item) - 1] == ':') {
        snprintf(err, errlen,
                 "workload '%s': an empty parameter between ':' (expected "
                 "%s:KEY=VALUE:KEY=VALUE)",
                 item, name);
        return -1;
    }
    struct workload_spec *ws = &cfg->wls[slot];
    memset(ws, 0, sizeof *ws);
    ws->wl = wl;
    snprintf(copy, sizeof copy, "%s", colon + 1);
    cfg->nwls++; /* config_free frees its parameters from here on */
    for (char *kv = strtok_r(copy, ":", &save); kv != NULL; kv = strtok_r(NULL, ":", &save)) {
        char why[384];
        size_t klen = strcspn(kv, "=");
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)klen, kv);
        const struct param_spec *spec = params_find_spec(wl->params, key);
        /* a key given twice in one variant: which one counts would be a guess (a repeatable
         * one, url=, keeps every value) */
        for (const char *prev = copy;
             (spec == NULL || spec->repeatable != PARAM_REPEATABLE) && prev < kv;
             prev += strlen(prev) + 1) {
            if (strncmp(prev, kv, klen) == 0 && (prev[klen] == '=' || prev[klen] == '\0')) {
                snprintf(err, errlen, "workload '%s': %.*s is given twice", item, (int)klen, kv);
                return -1;
            }
        }
        if (params_add(&ws->params, wl->params, kv, why, sizeof why) != 0) {
            snprintf(err, errlen, "workload %s: %s (see `concbench list`)", item, why);
            return -1;
        }
    }
    if (ws->params.count == 0) {
        snprintf(err, errlen, "workload '%s': expected KEY=VALUE after ':'", item);
        return -1;
    }
    snprintf(variant_names[slot], VARIANT_LEN, "%s", item);
    ws->name = variant_names[slot];
    return 0;
}

int wl_variant_sets(const struct workload_spec *ws, const char *key)
{
    const char *colon = ws->name != NULL ? strchr(ws->name, ':') : NULL;
    size_t klen = strlen(key);
    while (colon != NULL) {
        if (strncmp(colon + 1, key, klen) == 0 && colon[1 + klen] == '=')
            return 1;
        colon = strchr(colon + 1, ':');
    }
    return 0;
}
