/* mpi: the tasks spread over MPI ranks (Open MPI). run() starts `mpirun` itself: one rank per
 * task, or -j ranks with the tasks dealt round-robin; each rank (concbench-mpi-rank, the one
 * binary that links libmpi) prepares the workload from the case's parameters, runs its tasks with
 * their blocking face and hands its records to rank 0, which prints them on mpirun's output
 * (runners/mpi_wire.h). Tasks that no rank reported get the reason mpirun gave. Start-up (from
 * the fork of mpirun to the last rank past MPI_Init) is inside the wall time and told apart in
 * ctx->startup_s. Built only with Open MPI (libopenmpi-dev): runners/registry.c lists it then. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "runners/mpi_launch.h"
#include "runners/runner.h"

static const struct param_spec mpi_options[] = {
    {"hosts", PARAM_STRING, NULL, 0, 0, NULL,
     "spread the ranks over these hosts, mpirun's --host: h1:2,h2:2 (host:slots); default: this "
     "machine alone",
     0},
    {"hostfile", PARAM_STRING, NULL, 0, 0, NULL,
     "the same from an Open MPI hostfile (lines \"h1 slots=2\"), mpirun's --hostfile", 0},
    {"launch_timeout_s", PARAM_INT, "60", 1, 3600, NULL,
     "give up when not every rank is past MPI_Init this long after mpirun starts", 0},
    {0},
};

static int mpi_run(struct run_ctx *ctx)
{
    struct mpi_launch l = {0};
    int rc;

    if (ctx->tasks == 0)
        return 0; /* the memory baseline's run: no rank to start */
    l.ranks = ctx->workers > 0 ? ctx->workers : ctx->tasks;
    l.hosts = params_str(ctx->opts, mpi_options, "hosts");
    l.hostfile = params_str(ctx->opts, mpi_options, "hostfile");
    l.launch_timeout_s = (int)params_int(ctx->opts, mpi_options, "launch_timeout_s");
    rc = mpi_launch_argv(ctx, &l);
    if (rc == 0)
        rc = mpi_launch_run(ctx, &l);
    mpi_launch_free(&l);
    return rc;
}

const struct runner runner_mpi = {
    .name = "mpi",
    .summary = "MPI ranks (Open MPI's mpirun, here or over hosts=/hostfile=): one per task or -j "
               "ranks round-robin; rank 0 gathers the records",
    .options = mpi_options,
    .run = mpi_run,
    .pool = 1,
    .compute = RUNNER_COMPUTE_PROCESSES,
    .parallel = runner_parallel_always,
    .launched = 1,
};
