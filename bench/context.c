/* Where and with what a run was made, so results from different machines and commits can be
 * told apart. */
#include <curl/curl.h>
#include <gmp.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "git_commit.h"
#include "bench/results.h"
#include "bench/sysfacts.h"

static void cpu_model(char *buf, size_t len)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];

    snprintf(buf, len, "unknown");
    if (f == NULL)
        return;
    while (fgets(line, sizeof(line), f) != NULL) {
        /* x86 says "model name", many ARM kernels only "CPU part"/"Hardware". */
        if (strncmp(line, "model name", 10) == 0 || strncmp(line, "Hardware", 8) == 0) {
            char *colon = strchr(line, ':');
            if (colon != NULL) {
                colon += strspn(colon + 1, " \t") + 1;
                colon[strcspn(colon, "\n")] = '\0';
                snprintf(buf, len, "%s", colon);
                break;
            }
        }
    }
    fclose(f);
}

/* context.system: the noise facts' values (their hints are for `concbench system`). */
static json_t *system_json(void)
{
    struct sysfact facts[SYSF_MAX];
    int n = sysf_read(facts);
    json_t *o = json_object();

    for (int i = 0; i < n; i++)
        json_object_set_new(o, facts[i].key, json_string(facts[i].value));
    return o;
}

/* context.ci: the CI provider's variables, when the run is in CI. */
static json_t *ci_json(void)
{
    const char *keys[32], *values[32];
    int n = sysf_ci(keys, values, 32);
    json_t *o = json_object();

    for (int i = 0; i < n; i++)
        json_object_set_new(o, keys[i], json_string(values[i]));
    return o;
}

json_t *context_json(void)
{
    char host[256] = "unknown", date[64], cpu[256], kernel[512];
    struct utsname u;
    double load[3] = {0, 0, 0};
    time_t now = time(NULL);
    struct tm tm;
    json_t *ctx, *ci;

    gethostname(host, sizeof(host) - 1);
    gmtime_r(&now, &tm);
    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
    cpu_model(cpu, sizeof(cpu));
    if (uname(&u) == 0)
        snprintf(kernel, sizeof(kernel), "%s %s %s", u.sysname, u.release, u.machine);
    else
        snprintf(kernel, sizeof(kernel), "unknown");
    if (getloadavg(load, 3) < 0)
        load[0] = load[1] = load[2] = -1;

    ctx = json_pack("{s:s, s:s, s:s, s:s, s:i, s:[f,f,f], s:s, s:s, s:{s:s, s:s, s:s, s:s}, "
                    "s:s}",
                    "date", date, "host", host, "kernel", kernel, "cpu_model", cpu, "logical_cpus",
                    (int)sysconf(_SC_NPROCESSORS_ONLN), "load_avg", load[0], load[1], load[2],
                    "compiler", CONCBENCH_COMPILER, "build_type", CONCBENCH_BUILD_TYPE, "libraries",
                    "libuv", uv_version_string(), "libcurl",
                    curl_version_info(CURLVERSION_NOW)->version, "jansson", jansson_version_str(),
                    "gmp", gmp_version, "git_commit", CONCBENCH_GIT_COMMIT);
    json_object_set_new(ctx, "system", system_json());
    ci = ci_json();
    if (json_object_size(ci) > 0)
        json_object_set(ctx, "ci", ci);
    json_decref(ci);
    return ctx;
}
