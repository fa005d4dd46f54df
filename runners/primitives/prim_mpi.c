/* The mpi model's spawn primitive: mpirun launching ranks that do nothing, next to the same
 * program started as plain processes. Both need a build with Open MPI and its mpirun; without
 * them each is skipped (-ENOTSUP) with a message naming the packages. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "runners/primitives/primitives.h"

#define MPI_MISSING                                                                                \
    "this build has no mpi model (apt-get install libopenmpi-dev openmpi-bin, rebuild)"

#ifdef CONCBENCH_HAVE_MPI
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/die_with_parent.h"
#include "common/proc_status.h"
#include "runners/mpi_launch.h"

#define PRIM_MPI_TIMEOUT_S 120 /* one launch of ten ranks, however busy the machine */

/* Whole launches of PRIM_MODEL_BATCH ranks that n operations (ranks) round up to. */
static long long launches_for(long long n)
{
    return (n + PRIM_MODEL_BATCH - 1) / PRIM_MODEL_BATCH;
}

/* Waits for pid at most PRIM_MPI_TIMEOUT_S (then kills it): 0 and its status, or -ETIMEDOUT. */
static int wait_bounded(pid_t pid, int *status)
{
    const struct timespec nap = {0, 2000000};
    double until = clock_now_s() + PRIM_MPI_TIMEOUT_S;
    pid_t got;

    while ((got = waitpid(pid, status, WNOHANG)) == 0 || (got < 0 && errno == EINTR)) {
        if (clock_now_s() > until) {
            kill(pid, SIGKILL);
            waitpid(pid, status, 0);
            return -ETIMEDOUT;
        }
        nanosleep(&nap, NULL);
    }
    return 0;
}

/* Why mpirun failed: its status and the start of what it wrote to errfd. */
static int launch_error(int status, int errfd, char *err, size_t errlen)
{
    char said[1024] = "", line[200], how[64];
    ssize_t got = pread(errfd, said, sizeof(said) - 1, 0);

    said[got > 0 ? got : 0] = '\0';
    mpi_err_summary(said, line, sizeof(line));
    proc_status_text(status, how, sizeof(how));
    snprintf(err, errlen, "mpirun %s%s%s", how, line[0] ? ": " : "", line);
    return -ECHILD;
}

/* One mpirun of l's ranks to its end; its standard error kept in errfd for a failure. */
static int launch_once(struct mpi_launch *l, int errfd, char *err, size_t errlen)
{
    pid_t parent = getpid(), pid;
    int status = 0;

    if (ftruncate(errfd, 0) != 0 || (pid = fork()) < 0)
        return prim_error(err, errlen, "starting mpirun", errno);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        die_with_parent(parent);
        dup2(null, 0);
        dup2(null, 1);
        dup2(errfd, 2);
        execvp(l->argv[0], l->argv);
        _exit(127);
    }
    if (wait_bounded(pid, &status) != 0) {
        snprintf(err, errlen, "mpirun: not done after %d s, killed", PRIM_MPI_TIMEOUT_S);
        return -ETIMEDOUT;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0
                                                         : launch_error(status, errfd, err, errlen);
}

/* mpirun's command line for PRIM_MODEL_BATCH ranks of `concbench-mpi-rank --up`. A missing
 * mpirun or rank program is -ENOTSUP: nothing to measure here. */
static int spawn_argv(struct mpi_launch *l, char *err, size_t errlen)
{
    struct run_ctx ctx = {0};
    int rc;

    l->ranks = PRIM_MODEL_BATCH;
    rc = mpi_launch_base(&ctx, l, 1);
    if (rc == 0 && (l->argv[l->argc] = strdup("--up")) != NULL)
        l->argc++;
    if (rc == -ENOENT) {
        snprintf(err, errlen, "%s", ctx.error);
        return -ENOTSUP;
    }
    if (rc != 0 || l->argv[l->argc - 1] == NULL || strcmp(l->argv[l->argc - 1], "--up") != 0)
        return prim_error(err, errlen, "mpirun's command line", rc != 0 ? -rc : ENOMEM);
    return 0;
}

int prim_mpi_spawn(long long n, double *seconds, char *err, size_t errlen)
{
    struct mpi_launch l = {0};
    long long launches = launches_for(n);
    FILE *errs = NULL;
    int rc = spawn_argv(&l, err, errlen);
    double t0;

    if (rc == 0 && (errs = tmpfile()) == NULL)
        rc = prim_error(err, errlen, "tmpfile for mpirun's messages", errno);
    t0 = clock_now_s();
    for (long long i = 0; i < launches && rc == 0; i++)
        rc = launch_once(&l, fileno(errs), err, errlen);
    /* per rank: whole launches of ten, the time scaled back to the n asked for */
    *seconds = (clock_now_s() - t0) * (double)n / (double)(launches * PRIM_MODEL_BATCH);
    if (errs != NULL)
        fclose(errs);
    mpi_launch_free(&l);
    return rc;
}

int prim_exec_spawn_batch(long long n, double *seconds, char *err, size_t errlen)
{
    char rank[4096];
    char *const argv[] = {rank, "--exit", NULL};
    pid_t kids[PRIM_MODEL_BATCH];
    long long launches = launches_for(n);
    double t0;
    int e = 0;

    if (mpi_rank_binary(rank, sizeof(rank)) != 0) {
        snprintf(err, errlen, "the rank program %.180s is missing (rebuild)", rank);
        return -ENOTSUP;
    }
    t0 = clock_now_s();
    for (long long b = 0; b < launches && e == 0; b++) {
        int k = 0, status = 0;
        for (; k < PRIM_MODEL_BATCH; k++) {
            if ((kids[k] = fork()) < 0) {
                e = errno;
                break;
            }
            if (kids[k] == 0) {
                execv(rank, argv);
                _exit(127);
            }
        }
        for (int i = 0; i < k; i++) {
            while (waitpid(kids[i], &status, 0) < 0 && errno == EINTR)
                ;
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                e = e ? e : ENOEXEC;
        }
    }
    *seconds = (clock_now_s() - t0) * (double)n / (double)(launches * PRIM_MODEL_BATCH);
    return e != 0 ? prim_error(err, errlen, "fork + exec of the rank program", e) : 0;
}

#else

int prim_mpi_spawn(long long n, double *seconds, char *err, size_t errlen)
{
    (void)n;
    *seconds = 0;
    snprintf(err, errlen, "%s", MPI_MISSING);
    return -ENOTSUP;
}

int prim_exec_spawn_batch(long long n, double *seconds, char *err, size_t errlen)
{
    return prim_mpi_spawn(n, seconds, err, errlen);
}

#endif
