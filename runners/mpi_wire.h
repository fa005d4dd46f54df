#ifndef CONCBENCH_MPI_WIRE_H
#define CONCBENCH_MPI_WIRE_H

#include <stddef.h>
#include <stdio.h>

#include "workloads/task.h"

/* What rank 0 of the mpi model (runners/mpi_rank.c) tells the launcher (runners/mpi.c) on
 * mpirun's standard output, one line each, so that it travels wherever mpirun forwards output
 * (no shared file system, no port of ours):
 *   cbmpi rank R host H up T offset O uncertainty U   every rank, once all are past MPI_Init
 *   cbmpi task <hex record> [<hex detail>]            every task, its times on rank 0's clock
 *   cbmpi end
 * Anything else on that stream is not ours and is passed over. */

#define MPI_WIRE_TAG "cbmpi "
#define MPI_HOST_LEN 64
#define MPI_LINE_MAX (2 * (sizeof(struct task_record) + sizeof(struct task_detail)) + 64)

struct mpi_rank_info {
    int rank;
    char host[MPI_HOST_LEN];
    double up_s;          /* past MPI_Init, on rank 0's clock */
    double offset_s;      /* this rank's clock minus rank 0's (ping-pong estimate) */
    double uncertainty_s; /* half the best round trip: the offset is within +- this */
};

void mpi_wire_rank(FILE *out, const struct mpi_rank_info *r);
void mpi_wire_task(FILE *out, const struct task_record *rec, const struct task_detail *d);

/* Reads one line (without its newline). Returns 1 for a rank line (r filled), 2 for a task line
 * (rec filled, and d, *has_detail = 1 when it came with one), 3 for the end, 0 for anything
 * else, including a malformed line of ours. */
int mpi_wire_parse(const char *line, struct mpi_rank_info *r, struct task_record *rec,
                   struct task_detail *d, int *has_detail);

#endif
