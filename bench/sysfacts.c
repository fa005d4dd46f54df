/* The noise facts of the machine (sysfacts.h), one small reader each. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "bench/sysfacts.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* The first line of a file, without its line break; 0, or -1 when it cannot be read. */
static int sysf_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    int ok;

    buf[0] = '\0';
    if (f == NULL)
        return -1;
    ok = fgets(buf, (int)len, f) != NULL;
    fclose(f);
    buf[strcspn(buf, "\n")] = '\0';
    return ok ? 0 : -1;
}

static void sysf_set(struct sysfact *f, int attention, const char *value, const char *hint)
{
    snprintf(f->value, sizeof(f->value), "%s", value);
    snprintf(f->hint, sizeof(f->hint), "%s", hint);
    f->attention = attention;
}

static void sysf_governor(struct sysfact *f)
{
    char gov[64];

    if (sysf_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", gov, sizeof(gov)) != 0)
        sysf_set(f, 0, "unavailable",
                 "no cpufreq: usually a VM or container, where the host sets the frequency");
    else if (strcmp(gov, "performance") == 0)
        sysf_set(f, 0, gov, "fixed high frequency: good for benchmarks");
    else
        sysf_set(f, 1, gov,
                 "the frequency follows the load, so a run's first moments are slower; for "
                 "steadier timings: cpupower frequency-set -g performance");
}

static void sysf_boost(struct sysfact *f)
{
    char v[16];

    if (sysf_line("/sys/devices/system/cpu/intel_pstate/no_turbo", v, sizeof(v)) == 0)
        snprintf(v, sizeof(v), "%s", strcmp(v, "0") == 0 ? "on" : "off");
    else if (sysf_line("/sys/devices/system/cpu/cpufreq/boost", v, sizeof(v)) == 0)
        snprintf(v, sizeof(v), "%s", strcmp(v, "1") == 0 ? "on" : "off");
    else {
        sysf_set(f, 0, "unavailable", "not exposed (VM or container, or no boost)");
        return;
    }
    if (strcmp(v, "on") == 0)
        sysf_set(f, 1, v,
                 "turbo speed depends on temperature and on how many cores are busy, so "
                 "parallel models get less of it; switch it off for steadier ratios");
    else
        sysf_set(f, 0, v, "the clock does not depend on temperature or busy cores");
}

static void sysf_smt(struct sysfact *f)
{
    char active[16], control[32], v[64];

    if (sysf_line("/sys/devices/system/cpu/smt/active", active, sizeof(active)) != 0) {
        sysf_set(f, 0, "unavailable", "not exposed by this kernel");
        return;
    }
    sysf_line("/sys/devices/system/cpu/smt/control", control, sizeof(control));
    snprintf(v, sizeof(v), "%s (control %s)", strcmp(active, "1") == 0 ? "on" : "off",
             control[0] ? control : "?");
    if (strcmp(active, "1") == 0)
        sysf_set(f, 1, v,
                 "sibling hyperthreads share one core: two tasks on them do not run twice as "
                 "fast, which caps pthreads/processes speed-ups below the CPU count");
    else
        sysf_set(f, 0, v, "one thread per core: a logical CPU is a whole core");
}

static void sysf_isolated(struct sysfact *f)
{
    char v[SYSF_VALUE_LEN];

    if (sysf_line("/sys/devices/system/cpu/isolated", v, sizeof(v)) != 0)
        sysf_set(f, 0, "unavailable", "not exposed by this kernel");
    else if (v[0] == '\0')
        sysf_set(f, 0, "none",
                 "the scheduler may put other work on every CPU; isolcpus= at boot and "
                 "`run --cpus` keep a benchmark's CPUs to itself");
    else
        sysf_set(f, 0, v, "isolated from the scheduler: run with --cpus on these");
}

static void sysf_aslr(struct sysfact *f)
{
    char v[16];

    if (sysf_line("/proc/sys/kernel/randomize_va_space", v, sizeof(v)) != 0)
        sysf_set(f, 0, "unavailable", "not exposed");
    else if (strcmp(v, "0") == 0)
        sysf_set(f, 0, "0 (off)", "same memory layout every run");
    else
        sysf_set(f, 0, v,
                 "memory layout changes per run: a source of small differences between runs "
                 "(it is why compare needs several repetitions), a security default");
}

static void sysf_load(struct sysfact *f)
{
    double load[3];
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    char v[64];

    if (getloadavg(load, 3) < 0) {
        sysf_set(f, 0, "unavailable", "getloadavg failed");
        return;
    }
    snprintf(v, sizeof(v), "%.2f %.2f %.2f on %ld CPUs", load[0], load[1], load[2], cpus);
    if (load[0] > 0.5 * (double)cpus)
        sysf_set(f, 1, v,
                 "other work is running: timings will vary; compare within one run (ratios), "
                 "use --metric speedup, or wait for a quieter moment");
    else
        sysf_set(f, 0, v, "the machine is mostly idle");
}

/* The cgroup's CPU quota in CPUs (v2 cpu.max, else v1 cfs quota/period); <= 0 when none. */
static double sysf_quota(char *raw, size_t len)
{
    long long quota = -1, period = 0;
    char line[128];

    if (sysf_line("/sys/fs/cgroup/cpu.max", line, sizeof(line)) == 0) {
        snprintf(raw, len, "cpu.max %s", line);
        if (sscanf(line, "%lld %lld", &quota, &period) != 2)
            return 0; /* "max 100000" */
    } else if (sysf_line("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", line, sizeof(line)) == 0) {
        quota = atoll(line);
        if (sysf_line("/sys/fs/cgroup/cpu/cpu.cfs_period_us", line, sizeof(line)) == 0)
            period = atoll(line);
        snprintf(raw, len, "cfs_quota_us %lld, period %lld", quota, period);
    } else {
        snprintf(raw, len, "unavailable");
        return -1;
    }
    return quota > 0 && period > 0 ? (double)quota / (double)period : 0;
}

static void sysf_cgroup(struct sysfact *f)
{
    char raw[128], v[SYSF_VALUE_LEN];
    double cpus = sysf_quota(raw, sizeof(raw));

    if (cpus < 0)
        sysf_set(f, 0, raw, "no CPU controller visible");
    else if (cpus == 0) {
        snprintf(v, sizeof(v), "no quota (%s)", raw);
        sysf_set(f, 0, v, "the cgroup may use every CPU");
    } else {
        snprintf(v, sizeof(v), "%.2f CPUs (%s)", cpus, raw);
        sysf_set(f, cpus < (double)sysconf(_SC_NPROCESSORS_ONLN), v,
                 "the cgroup is throttled to this many CPUs' time: parallel models hit the "
                 "quota and stall until the next period");
    }
}

static void sysf_affinity(struct sysfact *f)
{
    cpu_set_t set;
    char v[64];
    long online = sysconf(_SC_NPROCESSORS_ONLN);

    if (sched_getaffinity(0, sizeof(set), &set) != 0) {
        sysf_set(f, 0, "unavailable", "sched_getaffinity failed");
        return;
    }
    snprintf(v, sizeof(v), "%d of %ld", CPU_COUNT(&set), online);
    sysf_set(f, CPU_COUNT(&set) < online, v,
             CPU_COUNT(&set) < online ? "this process is pinned to fewer CPUs than are online: "
                                        "parallel speed-ups are capped at that count"
                                      : "this process may run on every online CPU");
}

/* A limit from /proc that bounds the scale runs. */
static void sysf_proc_limit(struct sysfact *f, const char *path, const char *hint)
{
    char v[64];

    if (sysf_line(path, v, sizeof(v)) != 0)
        sysf_set(f, 0, "unavailable", "not exposed");
    else
        sysf_set(f, 0, v, hint);
}

static void sysf_nofile(struct sysfact *f)
{
    struct rlimit rl;
    char v[64];

    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
        sysf_set(f, 0, "unavailable", "getrlimit failed");
        return;
    }
    snprintf(v, sizeof(v), "%llu soft, %llu hard", (unsigned long long)rl.rlim_cur,
             (unsigned long long)rl.rlim_max);
    sysf_set(f, 0, v,
             "io_bound keeps a connection per task and the server one per client: thousands "
             "of tasks need as many descriptors (ulimit -n)");
}

int sysf_read(struct sysfact *out)
{
    static const struct {
        const char *key, *label;
    } names[] = {
        {"cpu_governor", "CPU frequency governor"},
        {"cpu_boost", "CPU boost (turbo)"},
        {"smt", "SMT (hyperthreading)"},
        {"isolated_cpus", "isolated CPUs"},
        {"aslr", "ASLR (randomize_va_space)"},
        {"load_avg", "load average (1, 5, 15 min)"},
        {"cgroup_cpu_quota", "cgroup CPU quota"},
        {"cpus_allowed", "CPUs this process may use"},
        {"max_map_count", "vm.max_map_count"},
        {"pid_max", "kernel.pid_max"},
        {"open_files", "open-file limit"},
    };
    int n = (int)(sizeof(names) / sizeof(*names));

    for (int i = 0; i < n; i++) {
        memset(&out[i], 0, sizeof(out[i]));
        out[i].key = names[i].key;
        out[i].label = names[i].label;
    }
    sysf_governor(&out[0]);
    sysf_boost(&out[1]);
    sysf_smt(&out[2]);
    sysf_isolated(&out[3]);
    sysf_aslr(&out[4]);
    sysf_load(&out[5]);
    sysf_cgroup(&out[6]);
    sysf_affinity(&out[7]);
    sysf_proc_limit(&out[8], "/proc/sys/vm/max_map_count",
                    "each green stack with a guard page is 2 maps: about max_map_count / 2.3 "
                    "guarded coroutines (then guard=auto shares regions)");
    sysf_proc_limit(&out[9], "/proc/sys/kernel/pid_max",
                    "bounds threads plus processes on the whole machine: pthreads and processes "
                    "with one per task stop below it");
    sysf_nofile(&out[10]);
    return n;
}

int sysf_ci(const char **keys, const char **values, int max)
{
    static const char *const vars[] = {
        "CI",
        "GITHUB_SHA",
        "GITHUB_REF",
        "GITHUB_RUN_ID",
        "RUNNER_NAME",
        "RUNNER_OS",
        "GITHUB_REPOSITORY",
        "CI_COMMIT_SHA",
        "CI_COMMIT_REF_NAME",
        "CI_RUNNER_DESCRIPTION",
        "CI_PIPELINE_ID",
        "BUILDKITE_COMMIT",
        "BUILDKITE_BRANCH",
        "CIRCLE_SHA1",
        "CIRCLE_BRANCH",
        "JENKINS_URL",
        "GIT_COMMIT",
    };
    int n = 0;

    for (size_t i = 0; i < sizeof(vars) / sizeof(*vars) && n < max; i++) {
        const char *v = getenv(vars[i]);
        if (v != NULL && v[0] != '\0') {
            keys[n] = vars[i];
            values[n++] = v;
        }
    }
    return n;
}
