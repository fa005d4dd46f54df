#ifndef CONCBENCH_SYSFACTS_H
#define CONCBENCH_SYSFACTS_H

/* What on this machine makes timings noisy, read from /proc and /sys (as `pyperf system show`
 * does): CPU frequency governor and boost, SMT, isolated CPUs, ASLR, load against CPUs, the
 * cgroup's CPU quota, the CPUs this process may use, and the limits that bound the scale runs
 * (vm.max_map_count, pid_max, open files). Reading changes nothing. `concbench system` prints
 * them with their hints; every results file keeps the values in context.system. */

#define SYSF_VALUE_LEN 160
#define SYSF_HINT_LEN  320

struct sysfact {
    const char *key;   /* the key in context.system, e.g. "cpu_governor" */
    const char *label; /* for people: "CPU frequency governor" */
    char value[SYSF_VALUE_LEN];
    char hint[SYSF_HINT_LEN];
    int attention; /* 1 when it probably makes timings noisier than they need be */
};

#define SYSF_MAX 16

/* Reads every fact into out (SYSF_MAX entries); returns how many. A fact the machine does not
 * expose reads "unavailable" with a hint saying what that usually means. */
int sysf_read(struct sysfact *out);

/* The CI provider's variables present in the environment (GITHUB_SHA, GITHUB_REF,
 * RUNNER_NAME..., GitLab's CI_COMMIT_SHA..., and the generic CI): key names without values
 * are skipped. Fills keys/values (pointers into the environment) up to max; returns the count. */
int sysf_ci(const char **keys, const char **values, int max);

#endif
