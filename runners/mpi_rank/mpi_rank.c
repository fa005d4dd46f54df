/* concbench-mpi-rank: one rank of the mpi model (runners/mpi.c starts it through mpirun).
 *   concbench-mpi-rank WORKLOAD TASKS MARKS_EVERY CANCEL_AT [KEY=VALUE...]
 * (CANCEL_AT: run --cancel-after's deadline on the launcher's clock, 0 = none)
 *   concbench-mpi-rank --up | --exit
 * (`concbench primitives`: past MPI_Init and out again, for mpi_spawn; or out at once, never
 * touching MPI, for exec_spawn10, the same program started without mpirun)
 * Every rank prepares the workload from the parameters it is given, runs tasks rank, rank + size,
 * ... (round-robin) with their blocking face, and hands its records to rank 0 (MPI_Gatherv),
 * which prints them for the launcher (runners/mpi_wire.h) with their times moved onto its own
 * clock by a ping-pong offset estimate. Its own file and binary: libmpi is linked here alone, the
 * harness and every other model never load it. */
#include <errno.h>
#include <mpi.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "runners/mpi_wire.h"
#include "runners/runner.h"
#include "workloads/wait_timer.h"

#define PINGS 8 /* round trips per rank; the shortest gives the offset */

/* What each rank sends rank 0 about itself. */
struct rank_hello {
    double up_s; /* past MPI_Init, own clock */
    char host[MPI_HOST_LEN];
};

/* One task as gathered. */
struct rank_slot {
    struct task_record rec;
    int32_t has_detail, unused;
    struct task_detail d;
};

#ifdef __SANITIZE_ADDRESS__
/* Under ASan, leak detection alone is off in the ranks: Open MPI's components are dlopened and
 * unloaded again by MPI_Finalize, so what they leave shows as "<unknown module>" frames that no
 * suppression by library name can match (and the job would fail for libmpi's leaks). Everything
 * else of ASan and UBSan still acts here; the code a rank runs is the core's, leak-checked by
 * the other tests. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "detect_leaks=0";
}
#endif

static int my_count(int tasks, int rank, int size)
{
    return tasks > rank ? (tasks - rank + size - 1) / size : 0;
}

/* Waits for req without spinning: Open MPI polls in its blocking calls, and a hostfile's slots
 * tell it there is a CPU per rank, so on an oversubscribed machine ranks that wait (their turn
 * at the clock, the others' tasks) would take the CPU from ranks that work. 1 ms naps instead. */
static int quiet_wait(MPI_Request *req)
{
    const struct timespec nap = {0, 1000000};
    int done = 0, rc;

    while ((rc = MPI_Test(req, &done, MPI_STATUS_IGNORE)) == MPI_SUCCESS && !done)
        nanosleep(&nap, NULL);
    return rc;
}

/* Every rank here: a barrier that naps while it waits (quiet_wait). */
static int quiet_barrier(void)
{
    MPI_Request req;
    int rc = MPI_Ibarrier(MPI_COMM_WORLD, &req);

    return rc == MPI_SUCCESS ? quiet_wait(&req) : rc;
}

/* Rank 0 and rank k exchange PINGS messages; rank 0 keeps the offset of the shortest round
 * trip: k's clock read in the middle of it, minus the middle on rank 0's clock. */
static void clock_offsets(int rank, int size, double *offset, double *uncert)
{
    for (int k = 1; k < size; k++) {
        double best = -1, t0, t1, tk = 0;
        for (int i = 0; i < PINGS; i++) {
            if (rank == 0) {
                t0 = clock_now_s();
                MPI_Send(&t0, 1, MPI_DOUBLE, k, 1, MPI_COMM_WORLD);
                MPI_Recv(&tk, 1, MPI_DOUBLE, k, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                t1 = clock_now_s();
                if (best < 0 || t1 - t0 < best) {
                    best = t1 - t0;
                    offset[k] = tk - (t0 + t1) / 2;
                    uncert[k] = best / 2;
                }
            } else if (rank == k) {
                MPI_Request req;
                MPI_Irecv(&t0, 1, MPI_DOUBLE, 0, 1, MPI_COMM_WORLD, &req);
                if (i == 0)
                    quiet_wait(&req); /* its turn may be long in coming: nap */
                else
                    MPI_Wait(&req, MPI_STATUS_IGNORE); /* in its turn: answer at once */
                tk = clock_now_s();
                MPI_Send(&tk, 1, MPI_DOUBLE, 0, 2, MPI_COMM_WORLD);
            }
        }
    }
}

/* The workload as the launcher prepared it; NULL with the reason in err. */
static void *prepare(const struct workload *wl, int argc, char **argv, char *err, size_t len)
{
    struct param_set ps = {0};
    void *inst = NULL;

    for (int i = 0; i < argc; i++)
        if (params_add(&ps, wl->params, argv[i], err, len) != 0)
            return NULL;
    if (wl->prepare(&ps, &inst, err, len) != 0)
        inst = NULL;
    params_clear(&ps);
    return inst;
}

/* Runs this rank's tasks into slots; a workload that could not be prepared fails them all. */
static void run_mine(struct run_ctx *ctx, int rank, int size, const char *err,
                     struct rank_slot *slots)
{
    int n = 0;

    for (int i = rank; i < ctx->tasks; i += size, n++) {
        struct task_record *rec = &ctx->env.table->records[i];
        struct task_detail *d;
        if (ctx->wl_instance != NULL) {
            task_run_blocking(ctx, i, rank);
        } else {
            rec->worker = rank;
            task_fail(ctx->env.table, rec, -EINVAL, "rank %d: %s", rank, err);
        }
        memset(&slots[n], 0, sizeof(slots[n]));
        slots[n].rec = *rec;
        d = task_detail_of(ctx->env.table, rec, 0);
        if (d != NULL) {
            slots[n].d = *d;
            slots[n].has_detail = 1;
        }
    }
}

/* Rank 0, once every rank is past MPI_Init: every rank's line, at once (the launcher's timeout
 * on the launch ends there). */
static void report_ranks(int size, const struct rank_hello *hello, const double *offset,
                         const double *uncert)
{
    for (int k = 0; k < size; k++) {
        struct mpi_rank_info r = {.rank = k,
                                  .up_s = hello[k].up_s - offset[k],
                                  .offset_s = offset[k],
                                  .uncertainty_s = uncert[k]};
        snprintf(r.host, sizeof(r.host), "%.*s", MPI_HOST_LEN - 1, hello[k].host);
        mpi_wire_rank(stdout, &r);
    }
    fflush(stdout);
}

/* Rank 0: every task's line, its times on rank 0's clock. */
static void report_tasks(int tasks, int size, const double *offset, struct rank_slot *all,
                         const int *displ)
{
    for (int k = 0; k < size; k++) {
        struct rank_slot *s = (struct rank_slot *)((char *)all + displ[k]);
        for (int j = 0; j < my_count(tasks, k, size); j++, s++) {
            s->rec.start_s -= offset[k];
            s->rec.end_s -= offset[k];
            for (int m = 0; s->has_detail && m < TASK_STEP_MARKS; m++)
                if (s->d.step_end_s[m] > 0)
                    s->d.step_end_s[m] -= offset[k];
            mpi_wire_task(stdout, &s->rec, s->has_detail ? &s->d : NULL);
        }
    }
    fputs(MPI_WIRE_TAG "end\n", stdout);
    fflush(stdout);
}

/* --cancel-after: the launcher's deadline (rank 0's clock shares it on the launcher's host) moved
 * onto this rank's clock by its offset, which rank 0 hands out. */
static void cancel_at(const char *text, int rank, const double *offset)
{
    double at = atof(text), mine = 0;

    MPI_Scatter(offset, 1, MPI_DOUBLE, &mine, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    if (at > 0)
        wait_timer_cancel_at(at + (rank == 0 ? 0 : mine));
}

/* Rank 0 receives every rank's slots; the others send theirs. 0, or an MPI error. */
static int gather(int rank, int size, int tasks, struct rank_slot *mine, struct rank_slot **all,
                  int *counts, int *displ)
{
    int rc = MPI_SUCCESS, total = 0;

    for (int k = 0; k < size; k++) {
        counts[k] = my_count(tasks, k, size) * (int)sizeof(struct rank_slot);
        displ[k] = total;
        total += counts[k];
    }
    if (rank == 0 && (*all = malloc(total > 0 ? (size_t)total : 1)) == NULL)
        MPI_Abort(MPI_COMM_WORLD, 3);
    if (rc == MPI_SUCCESS)
        rc = MPI_Gatherv(mine, counts[rank], MPI_BYTE, *all, counts, displ, MPI_BYTE, 0,
                         MPI_COMM_WORLD);
    return rc;
}

static int usage(void)
{
    fprintf(
        stderr,
        "usage: concbench-mpi-rank WORKLOAD TASKS MARKS_EVERY CANCEL_AT [KEY=VALUE...] (started "
        "by `concbench run -m mpi` through mpirun), or --up | --exit (concbench primitives)\n");
    return 2;
}

int main(int argc, char **argv)
{
    struct rank_hello me = {0}, *hello;
    struct rank_slot *mine, *all = NULL;
    const struct workload *wl = argc >= 5 ? workload_find(argv[1]) : NULL;
    int rank, size, tasks = argc >= 5 ? atoi(argv[2]) : -1, *counts, *displ, len = 0, rc;
    double *offset, *uncert;
    char err[256] = "";
    struct run_ctx ctx = {0};

    prctl(PR_SET_PDEATHSIG, SIGKILL); /* its launcher gone (mpirun or orted): gone too */
    if (getppid() == 1)
        return 1; /* the launcher died while this process was still loading its libraries */
    if (argc == 2 && strcmp(argv[1], "--exit") == 0)
        return 0;
    if (argc == 2 && strcmp(argv[1], "--up") == 0) {
        MPI_Init(&argc, &argv);
        return MPI_Finalize() == MPI_SUCCESS ? 0 : 1;
    }
    if (wl == NULL || tasks < 0)
        return usage();
    MPI_Init(&argc, &argv);
    me.up_s = clock_now_s();
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Get_processor_name(me.host, &len);
    me.host[MPI_HOST_LEN - 1] = '\0';
    offset = calloc((size_t)size, sizeof(*offset));
    uncert = calloc((size_t)size, sizeof(*uncert));
    hello = calloc((size_t)size, sizeof(*hello));
    counts = calloc((size_t)size, sizeof(*counts));
    displ = calloc((size_t)size, sizeof(*displ));
    mine = calloc((size_t)my_count(tasks, rank, size) + 1, sizeof(*mine));
    ctx.env.table = task_table_new(tasks, atoi(argv[3]), 0);
    if (!offset || !uncert || !hello || !counts || !displ || !mine || !ctx.env.table)
        MPI_Abort(MPI_COMM_WORLD, 3);
    clock_offsets(rank, size, offset, uncert);
    rc = quiet_barrier(); /* the last rank's turn at the clock */
    if (rc == MPI_SUCCESS)
        rc = MPI_Gather(&me, sizeof(me), MPI_BYTE, hello, sizeof(me), MPI_BYTE, 0, MPI_COMM_WORLD);
    if (rank == 0 && rc == MPI_SUCCESS)
        report_ranks(size, hello, offset, uncert);
    cancel_at(argv[4], rank, offset);
    ctx.wl = wl;
    ctx.tasks = tasks;
    ctx.workers = size;
    ctx.wl_instance = prepare(wl, argc - 5, argv + 5, err, sizeof(err));
    run_mine(&ctx, rank, size, err, mine);
    if (rc == MPI_SUCCESS)
        rc = quiet_barrier(); /* the other ranks' tasks */
    if (rc == MPI_SUCCESS)
        rc = gather(rank, size, tasks, mine, &all, counts, displ);
    if (rank == 0 && rc == MPI_SUCCESS)
        report_tasks(tasks, size, offset, all, displ);
    if (ctx.wl_instance != NULL)
        wl->release(ctx.wl_instance);
    task_table_free(ctx.env.table);
    free(all), free(mine), free(displ), free(counts), free(hello), free(uncert), free(offset);
    MPI_Finalize();
    return rc == MPI_SUCCESS ? 0 : 1;
}
