/* CPU lists: parse, check against the CPUs this process may use, pin (cpulist.h). */
#define _GNU_SOURCE /* cpu_set_t, sched_setaffinity */
#include "common/cpulist.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "common/params.h"

/* The allowed set as a list for messages: "0-1" style, one number per CPU is enough here. */
static void cpulist_allowed(const cpu_set_t *allowed, char *buf, size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    for (int c = 0; c < CPU_SETSIZE && used < len; c++)
        if (CPU_ISSET(c, allowed))
            used += (size_t)snprintf(buf + used, len - used, "%s%d", used ? "," : "", c);
}

/* One item "N" or "N-M" into set; -1 with a message. */
static int cpulist_item(const char *item, const cpu_set_t *allowed, cpu_set_t *set, char *err,
                        size_t errlen)
{
    char lo_text[32], ok[256];
    const char *dash = strchr(item, '-');
    long long lo, hi;

    snprintf(lo_text, sizeof(lo_text), "%.*s", dash ? (int)(dash - item) : (int)strlen(item), item);
    /* any whole number is a CPU number; one past the kernel's set is simply not allowed here */
    if (parse_ll(lo_text, 0, INT_MAX, &lo) != 0 ||
        parse_ll(dash ? dash + 1 : lo_text, lo, INT_MAX, &hi) != 0) {
        snprintf(err, errlen, "--cpus '%s': expected CPU numbers like 0 or 0-3 or 0,2-3", item);
        return -1;
    }
    for (long long c = lo; c <= hi; c++) {
        if (c >= CPU_SETSIZE || !CPU_ISSET((int)c, allowed)) {
            cpulist_allowed(allowed, ok, sizeof(ok));
            snprintf(err, errlen, "--cpus: %lld is not a CPU this process may use (valid: %s)", c,
                     ok);
            return -1;
        }
        CPU_SET((int)c, set);
    }
    return 0;
}

static int cpulist_parse(const char *text, cpu_set_t *set, char *err, size_t errlen)
{
    cpu_set_t allowed;
    char copy[512], *save = NULL;

    CPU_ZERO(set);
    if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) {
        snprintf(err, errlen, "--cpus: cannot read this process's CPUs: %s", strerror(errno));
        return -1;
    }
    if (text == NULL || text[0] == '\0' || strlen(text) >= sizeof(copy)) {
        snprintf(err, errlen, "--cpus: expected a CPU list like 0 or 0-3 or 0,2-3");
        return -1;
    }
    strcpy(copy, text);
    for (char *item = strtok_r(copy, ",", &save); item != NULL; item = strtok_r(NULL, ",", &save))
        if (cpulist_item(item, &allowed, set, err, errlen) != 0)
            return -1;
    if (CPU_COUNT(set) == 0) {
        snprintf(err, errlen, "--cpus '%s': no CPU given", text);
        return -1;
    }
    return 0;
}

int cpulist_count(const char *text, char *err, size_t errlen)
{
    cpu_set_t set;

    return cpulist_parse(text, &set, err, errlen) != 0 ? -1 : CPU_COUNT(&set);
}

int cpulist_pin(const char *text, char *err, size_t errlen)
{
    cpu_set_t set;

    if (cpulist_parse(text, &set, err, errlen) != 0)
        return -1;
    if (sched_setaffinity(0, sizeof(set), &set) != 0) {
        snprintf(err, errlen, "--cpus %s: sched_setaffinity failed: %s", text, strerror(errno));
        return -1;
    }
    return 0;
}
