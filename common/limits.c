/* Resource limits, raised and named (limits.h). */
#include "common/limits.h"

#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>

#define MIB (1024.0 * 1024.0)

/* A number from a /proc file, or fallback. */
static long long read_proc_ll(const char *path, long long fallback)
{
    FILE *f = fopen(path, "r");
    long long v;

    if (f == NULL)
        return fallback;
    if (fscanf(f, "%lld", &v) != 1)
        v = fallback;
    fclose(f);
    return v;
}

int limits_raise_nofile(unsigned long long *before, unsigned long long *after)
{
    struct rlimit rl;
    rlim_t want;

    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return -errno;
    if (before != NULL)
        *before = (unsigned long long)rl.rlim_cur;
    if (after != NULL)
        *after = (unsigned long long)rl.rlim_cur;
    /* an unlimited hard limit cannot be the soft one: the kernel caps it at fs.nr_open */
    want = rl.rlim_max == RLIM_INFINITY ? (rlim_t)read_proc_ll("/proc/sys/fs/nr_open", 1048576)
                                        : rl.rlim_max;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur >= want)
        return 0;
    rl.rlim_cur = want;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
        return -errno;
    if (after != NULL)
        *after = (unsigned long long)want;
    return 0;
}

/* Bytes of address space the process holds (VmSize). */
static double address_space_used(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long long pages = 0;

    if (f != NULL) {
        if (fscanf(f, "%llu", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    return (double)pages * 4096.0;
}

/* ENOMEM from a mapping: the address-space limit when one is set, else the map count or memory. */
static void memory_hint(char *buf, size_t len)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        snprintf(buf, len, "address space: RLIMIT_AS=%.0f MiB, ulimit -v; %.0f MiB in use",
                 (double)rl.rlim_cur / MIB, address_space_used() / MIB);
        return;
    }
    snprintf(buf, len, "memory maps or memory: vm.max_map_count=%lld, vm.overcommit_memory=%lld",
             read_proc_ll("/proc/sys/vm/max_map_count", -1),
             read_proc_ll("/proc/sys/vm/overcommit_memory", -1));
}

static void tasks_hint(char *buf, size_t len)
{
    struct rlimit rl;
    char nproc[32] = "unlimited";

    if (getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        snprintf(nproc, sizeof nproc, "%llu", (unsigned long long)rl.rlim_cur);
    snprintf(buf, len,
             "threads+processes limit: RLIMIT_NPROC=%s, ulimit -u; kernel.threads-max=%lld, "
             "kernel.pid_max=%lld",
             nproc, read_proc_ll("/proc/sys/kernel/threads-max", -1),
             read_proc_ll("/proc/sys/kernel/pid_max", -1));
}

void limits_hint(int err, char *buf, size_t len)
{
    struct rlimit rl;

    switch (err) {
    case EAGAIN:
        tasks_hint(buf, len);
        return;
    case EMFILE:
        getrlimit(RLIMIT_NOFILE, &rl);
        snprintf(buf, len, "open files limit: RLIMIT_NOFILE=%llu, ulimit -n",
                 (unsigned long long)rl.rlim_cur);
        return;
    case ENFILE:
        snprintf(buf, len, "system-wide open files limit: fs.file-max=%lld",
                 read_proc_ll("/proc/sys/fs/file-max", -1));
        return;
    case ENOMEM:
        memory_hint(buf, len);
        return;
    default:
        snprintf(buf, len, "%s", "");
    }
}

const char *limits_explain(int err, const char *text, char *buf, size_t len)
{
    char hint[200];

    limits_hint(err, hint, sizeof hint);
    snprintf(buf, len, "%s%s%s%s", text, hint[0] ? " (" : "", hint, hint[0] ? ")" : "");
    return buf;
}

void limits_thread_hint(size_t stack_bytes, char *buf, size_t len)
{
    void *p = mmap(NULL, stack_bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

    if (p == MAP_FAILED) {
        char mem[160];

        memory_hint(mem, sizeof mem);
        if (stack_bytes < MIB)
            snprintf(buf, len, "no room for a %zu KiB thread stack: %s", stack_bytes / 1024, mem);
        else
            snprintf(buf, len, "no room for a %.0f MiB thread stack: %s", (double)stack_bytes / MIB,
                     mem);
        return;
    }
    munmap(p, stack_bytes);
    tasks_hint(buf, len);
}

long long limits_task_headroom(long long margin, char *why, size_t len)
{
    long long pid_max = read_proc_ll("/proc/sys/kernel/pid_max", -1);
    long long threads_max = read_proc_ll("/proc/sys/kernel/threads-max", -1);
    long long running = 0, existing = 0, limit = pid_max;
    const char *name = "kernel.pid_max";
    FILE *f = fopen("/proc/loadavg", "r");

    /* "0.50 0.40 0.30 2/131 4242": 131 threads and processes exist on the machine now */
    if (f != NULL) {
        if (fscanf(f, "%*s %*s %*s %lld/%lld", &running, &existing) != 2)
            existing = 0;
        fclose(f);
    }
    if (threads_max > 0 && (limit <= 0 || threads_max < limit)) {
        limit = threads_max;
        name = "kernel.threads-max";
    }
    if (limit <= 0) {
        snprintf(why, len, "%s", "");
        return -1;
    }
    snprintf(why, len,
             "%s=%lld (%lld threads and processes exist now, %lld kept for the rest of "
             "the machine)",
             name, limit, existing, margin);
    return limit - existing - margin;
}

double limits_mem_available_kib(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    double kib = -1;

    while (f != NULL && fgets(line, sizeof(line), f) != NULL)
        if (sscanf(line, "MemAvailable: %lf kB", &kib) == 1)
            break;
    if (f != NULL)
        fclose(f);
    return kib;
}
