/* run --count instructions (count.h): a case run again alone under callgrind, its count read
 * back from callgrind's output files. */
#define _GNU_SOURCE
#include "bench/count.h"

#include <dirent.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/run_captured.h"

#if defined(CONCBENCH_HAVE_CALLGRIND_H)
#include <valgrind/callgrind.h>
#endif

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define COUNT_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define COUNT_SANITIZED 1
#endif
#endif

#define COUNT_ARGS_MAX (24 + 2 * PARAMS_MAX)

int count_single_thread(const struct model_spec *m)
{
    const struct runner *r = m->runner;

    /* a pool's compute steps that parallel() says stay on the loop (evloop:compute=inline) */
    return r->spawn == NULL && !(r->parallel != NULL && r->parallel(&m->opts)) &&
           (r->compute == RUNNER_COMPUTE_SERIAL || r->compute == RUNNER_COMPUTE_TURNS ||
            r->compute == RUNNER_COMPUTE_POOL);
}

void count_region(int on)
{
#if defined(CONCBENCH_HAVE_CALLGRIND_H)
    (void)on;
    CALLGRIND_TOGGLE_COLLECT;
#else
    (void)on;
#endif
}

/* The valgrind on PATH, into buf; 0, or -1 when there is none. */
static int count_valgrind(char *buf, size_t len)
{
    const char *path = getenv("PATH");
    char dir[1024];

    for (const char *p = path ? path : "/usr/bin:/bin"; *p != '\0';) {
        size_t n = strcspn(p, ":");
        snprintf(dir, sizeof(dir), "%.*s", (int)n, p);
        snprintf(buf, len, "%s/valgrind", dir[0] ? dir : ".");
        if (access(buf, X_OK) == 0)
            return 0;
        p += n + (p[n] == ':');
    }
    return -1;
}

const char *count_unavailable(void)
{
    char vg[1100];

#if defined(COUNT_SANITIZED)
    return "this is an ASan/TSan build, which valgrind cannot run: build without "
           "CONCBENCH_SANITIZE/CONCBENCH_TSAN to count instructions";
#endif
#if !defined(CONCBENCH_HAVE_CALLGRIND_H)
    return "this build was made without valgrind/callgrind.h (Debian package valgrind)";
#endif
    if (count_valgrind(vg, sizeof(vg)) != 0)
        return "valgrind is not installed (Debian package valgrind)";
    return NULL;
}

int count_hw_probe(char *buf, size_t len)
{
    struct perf_event_attr a;
    long fd;

    memset(&a, 0, sizeof(a));
    a.size = sizeof(a);
    a.type = PERF_TYPE_HARDWARE;
    a.config = PERF_COUNT_HW_INSTRUCTIONS;
    a.disabled = 1;
    a.exclude_kernel = 1;
    a.exclude_hv = 1;
    fd = syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
    if (fd >= 0) {
        close((int)fd);
        snprintf(buf, len, "hardware instruction counter available");
        return 0;
    }
    snprintf(buf, len, "%s%s", strerror(errno),
             errno == ENOENT || errno == EOPNOTSUPP
                 ? ": no hardware counters (a virtual machine without a virtual PMU)"
                 : "");
    return -1;
}

/* Appends a copy of text to argv. */
static void count_arg(char **argv, int *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void count_arg(char **argv, int *n, const char *fmt, ...)
{
    va_list ap;

    if (*n >= COUNT_ARGS_MAX - 1)
        return;
    va_start(ap, fmt);
    if (vasprintf(&argv[*n], fmt, ap) < 0)
        abort();
    va_end(ap);
    (*n)++;
}

/* valgrind ... concbench run with this case alone, one repetition, no warmup. The calibrated
 * count of a cpu_bound task is passed as -p count=K: calibrating again under valgrind would
 * choose other work. */
static int count_argv(const struct config *cfg, const struct model_spec *m,
                      const struct workload_spec *ws, const struct rm_case *rc, const char *vg,
                      const char *dir, char **argv)
{
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
    int n = 0;

    if (len <= 0)
        return -1;
    self[len] = '\0';
    count_arg(argv, &n, "%s", vg);
    count_arg(argv, &n, "--tool=callgrind");
    count_arg(argv, &n, "--collect-atstart=no");
    count_arg(argv, &n, "--callgrind-out-file=%s/cg.%%p", dir);
    count_arg(argv, &n, "%s", self);
    count_arg(argv, &n, "run");
    count_arg(argv, &n, "-w%s", ws->wl->name);
    count_arg(argv, &n, "-m%s", m->label);
    count_arg(argv, &n, "-n%d", cfg->tasks);
    count_arg(argv, &n, "-j%d", cfg->workers);
    count_arg(argv, &n, "-r1");
    count_arg(argv, &n, "--warmup=0");
    count_arg(argv, &n, "-q");
    for (int i = 0; i < ws->params.count; i++) {
        const struct param_item *p = &ws->params.items[i];
        if (rc->calibration != NULL && strcmp(p->key, "target_ms") == 0)
            continue;
        if (p->index > 0)
            count_arg(argv, &n, "-p%s.%d=%s", p->key, p->index, p->value);
        else
            count_arg(argv, &n, "-p%s=%s", p->key, p->value);
    }
    if (rc->calibration != NULL && rc->calibration->count > 0)
        count_arg(argv, &n, "-pcount=%lld", rc->calibration->count);
    argv[n] = NULL;
    return n;
}

/* The sum of the "totals:" lines of callgrind's files in dir (each removed), and dir; -1 when
 * none was found. */
static long long count_read(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    long long sum = -1;
    char path[4200], line[512];

    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL) {
        FILE *f;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if ((f = fopen(path, "r")) != NULL) {
            long long v;
            while (fgets(line, sizeof(line), f) != NULL)
                if (sscanf(line, "totals: %lld", &v) == 1)
                    sum = (sum < 0 ? 0 : sum) + v;
            fclose(f);
        }
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
    return sum;
}

void count_case(const struct config *cfg, const struct model_spec *m,
                const struct workload_spec *ws, struct rm_case *rc)
{
    char vg[1100], dir[] = "/tmp/concbench-count-XXXXXX", *argv[COUNT_ARGS_MAX], text[768];
    char *out = NULL, *err = NULL, last[512] = "";
    const char *why = count_unavailable();
    int n, status = -3;
    long long count;

    if (why == NULL && (count_valgrind(vg, sizeof(vg)) != 0 || mkdtemp(dir) == NULL))
        why = "cannot make a folder for valgrind's output";
    if (why != NULL) {
        snprintf(text, sizeof(text), "instructions not counted: %s", why);
        rm_strs_note(&rc->warnings, text, 16);
        return;
    }
    n = count_argv(cfg, m, ws, rc, vg, dir, argv);
    if (n > 0)
        status = run_captured(argv, cfg->timeout_s > 0 ? cfg->timeout_s * 4 : 2400, &out, &err);
    for (int i = 0; i < n; i++)
        free(argv[i]);
    count = count_read(dir);
    if (status == 0 && count > 0) {
        rc->instructions = count;
    } else {
        last_line(err ? err : "", last, sizeof(last));
        snprintf(text, sizeof(text), "instructions not counted: valgrind's run %s%s%s",
                 status == 0 ? "left no count" : "failed", last[0] ? ": " : "", last);
        rm_strs_note(&rc->warnings, text, 16);
    }
    free(out);
    free(err);
}
