/* mpirun's command line for the mpi model (runners/mpi_launch.h). */
#include "runners/mpi_launch.h"
#include "workloads/wait_timer.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CONCBENCH_MPI_RANK_PATH
#define CONCBENCH_MPI_RANK_PATH "concbench-mpi-rank"
#endif

/* The rank binary: $CONCBENCH_MPI_RANK, else beside this executable, else where it was built. */
int mpi_rank_binary(char *path, size_t len)
{
    const char *env = getenv("CONCBENCH_MPI_RANK");
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

    if (env != NULL && env[0] != '\0') {
        snprintf(path, len, "%s", env);
        return access(path, X_OK);
    }
    if (n > 0) {
        char *slash;
        self[n] = '\0';
        slash = strrchr(self, '/');
        if (slash != NULL) {
            snprintf(path, len, "%.*s/concbench-mpi-rank", (int)(slash - self), self);
            if (access(path, X_OK) == 0)
                return 0;
        }
    }
    snprintf(path, len, "%s", CONCBENCH_MPI_RANK_PATH);
    return access(path, X_OK);
}

/* 0 when `name` is an executable file in $PATH. */
static int in_path(const char *name)
{
    const char *p = getenv("PATH");
    char dir[PATH_MAX];

    while (p != NULL && *p != '\0') {
        size_t n = strcspn(p, ":");
        snprintf(dir, sizeof(dir), "%.*s/%s", (int)n, n > 0 ? p : ".", name);
        if (access(dir, X_OK) == 0)
            return 0;
        p += n + (p[n] == ':');
    }
    return -1;
}

static void note(struct run_ctx *ctx, const char *text)
{
    size_t have = strlen(ctx->warning);

    snprintf(ctx->warning + have, sizeof(ctx->warning) - have, "%s%s", have ? "; " : "", text);
}

/* Appends a copy of text to argv (room was made for every argument). */
static void push(struct mpi_launch *l, const char *text)
{
    l->argv[l->argc] = strdup(text);
    if (l->argv[l->argc] != NULL)
        l->argc++;
    else
        l->failed = 1;
}

/* Where ranks go: mpirun's --host or --hostfile, else this machine, oversubscribed (and said
 * so) when there are more ranks than CPUs. */
static int placement(struct run_ctx *ctx, struct mpi_launch *l)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    char text[160];

    if (l->hosts != NULL && l->hostfile != NULL) {
        snprintf(ctx->error, sizeof(ctx->error),
                 "mpi: hosts= and hostfile= name the hosts "
                 "twice: give one of them");
        return -EINVAL;
    }
    if (l->hostfile != NULL && access(l->hostfile, R_OK) != 0) {
        int err = errno;
        snprintf(ctx->error, sizeof(ctx->error), "mpi: hostfile=%.150s: %s", l->hostfile,
                 strerror(err));
        return -err;
    }
    if (l->hosts != NULL) {
        push(l, "--host");
        push(l, l->hosts);
    } else if (l->hostfile != NULL) {
        push(l, "--hostfile");
        push(l, l->hostfile);
    } else if (cpus > 0 && l->ranks > cpus) {
        push(l, "--oversubscribe");
        snprintf(text, sizeof(text),
                 "%d ranks on %ld CPUs: oversubscribed (mpirun "
                 "--oversubscribe)",
                 l->ranks, cpus);
        note(ctx, text);
    }
    return 0;
}

/* Parameters that prepare the same workload in a rank: as given, then what the instance set up
 * (a calibrated count, the embedded server's URL). */
static void add_params(struct run_ctx *ctx, struct mpi_launch *l)
{
    const struct param_set *ps = ctx->wl_params;
    struct workload_calibration cal;
    char kv[600];

    for (int i = 0; ps != NULL && i < ps->count; i++) {
        if (ps->items[i].index > 0)
            snprintf(kv, sizeof(kv), "%s.%d=%s", ps->items[i].key, ps->items[i].index,
                     ps->items[i].value);
        else
            snprintf(kv, sizeof(kv), "%s=%s", ps->items[i].key, ps->items[i].value);
        push(l, kv);
    }
    if (ctx->wl->calibration != NULL && ctx->wl->calibration(ctx->wl_instance, &cal) == 0 &&
        cal.target_ms > 0 && params_find_spec(ctx->wl->params, "count") != NULL) {
        snprintf(kv, sizeof(kv), "count=%lld", cal.count);
        push(l, kv);
    }
    if (ctx->wl->share != NULL && ctx->wl->share(ctx->wl_instance, kv, sizeof(kv)) == 0) {
        push(l, kv);
        if ((l->hosts != NULL || l->hostfile != NULL) &&
            (strstr(kv, "://127.") != NULL || strstr(kv, "://localhost") != NULL))
            note(ctx, "ranks on other hosts cannot reach a server on the loopback address: "
                      "io_bound's -p server_host=ADDR makes it listen where they can");
    }
}

/* mpirun's own options: ranks, no binding (the kernel places them, as for processes), shared
 * memory without CMA (refused in many containers), root allowed only when root, with a note. */
static void mpirun_options(struct run_ctx *ctx, struct mpi_launch *l)
{
    char n[24];

    snprintf(n, sizeof(n), "%d", l->ranks);
    push(l, "mpirun");
    push(l, "-n");
    push(l, n);
    push(l, "--bind-to");
    push(l, "none");
    push(l, "--mca");
    push(l, "btl_vader_single_copy_mechanism");
    push(l, "none");
    if (geteuid() == 0) {
        push(l, "--allow-run-as-root");
        note(ctx, "run as root: mpirun --allow-run-as-root");
    }
}

int mpi_launch_base(struct run_ctx *ctx, struct mpi_launch *l, int room)
{
    char rank[PATH_MAX];
    int rc;

    if (in_path("mpirun") != 0) {
        snprintf(ctx->error, sizeof(ctx->error),
                 "mpi: mpirun not found in PATH: apt-get install "
                 "openmpi-bin (scripts/install-deps.sh)");
        return -ENOENT;
    }
    if (mpi_rank_binary(rank, sizeof(rank)) != 0) {
        snprintf(ctx->error, sizeof(ctx->error),
                 "mpi: the rank program %.180s is missing (set "
                 "CONCBENCH_MPI_RANK, or rebuild)",
                 rank);
        return -ENOENT;
    }
    /* mpirun's ~12, the rank program, what the caller adds, the NULL */
    l->argv = calloc((size_t)room + 16, sizeof(char *));
    if (l->argv == NULL)
        return -ENOMEM;
    mpirun_options(ctx, l);
    rc = placement(ctx, l);
    if (rc != 0)
        return rc;
    push(l, rank);
    return l->failed ? -ENOMEM : 0;
}

int mpi_launch_argv(struct run_ctx *ctx, struct mpi_launch *l)
{
    char num[24];
    /* the rank's 4 arguments, the parameters and the 2 a workload adds */
    int rc = mpi_launch_base(ctx, l, (ctx->wl_params ? ctx->wl_params->count : 0) + 6);

    if (rc != 0)
        return rc;
    push(l, ctx->wl->name);
    snprintf(num, sizeof(num), "%d", ctx->tasks);
    push(l, num);
    snprintf(num, sizeof(num), "%d", ctx->env.table->marks_every);
    push(l, num);
    /* --cancel-after's deadline on this clock (0 = none); each rank moves it onto its own */
    snprintf(num, sizeof(num), "%.6f",
             isinf(wait_timer_until(INFINITY)) ? 0.0 : wait_timer_until(INFINITY));
    push(l, num);
    add_params(ctx, l);
    return l->failed ? -ENOMEM : 0;
}

void mpi_launch_free(struct mpi_launch *l)
{
    for (int i = 0; i < l->argc; i++)
        free(l->argv[i]);
    free(l->argv);
    l->argv = NULL;
    l->argc = 0;
}
