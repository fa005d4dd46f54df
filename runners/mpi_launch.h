#ifndef CONCBENCH_MPI_LAUNCH_H
#define CONCBENCH_MPI_LAUNCH_H

#include "runners/runner.h"

/* The mpi model's launcher (runners/mpi.c): mpirun's command line, then its run. */
struct mpi_launch {
    int ranks;
    const char *hosts, *hostfile; /* NULL: this machine */
    int launch_timeout_s;
    char **argv; /* built by mpi_launch_argv, every string owned; NULL-terminated */
    int argc;
    int failed; /* out of memory while building it */
};

/* Builds l->argv: mpirun, its options (with notes in ctx->warning: oversubscribed, as root),
 * the rank binary and the workload's parameters. 0, or a negative errno with ctx->error set
 * (mpirun or the rank binary missing, an unreadable hostfile). */
int mpi_launch_argv(struct run_ctx *ctx, struct mpi_launch *l);
/* Its first part: mpirun, its options and the rank program's path, with room for `room` more
 * arguments (pushed by the caller into argv[argc++], strings it owns then). Only ctx's error and
 * warning are used. */
int mpi_launch_base(struct run_ctx *ctx, struct mpi_launch *l, int room);
/* Runs it and takes in rank 0's records; tasks never reported fail with mpirun's reason. */
int mpi_launch_run(struct run_ctx *ctx, struct mpi_launch *l);
void mpi_launch_free(struct mpi_launch *l);
/* The rank program: $CONCBENCH_MPI_RANK, else beside this executable, else where it was built.
 * Its path in path, and 0 when it is there to run. */
int mpi_rank_binary(char *path, size_t len);
/* mpirun's standard error in one line: its non-empty lines but the boxes' rules, squeezed. */
void mpi_err_summary(const char *errs, char *out, size_t len);

#endif
