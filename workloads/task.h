#ifndef CONCBENCH_TASK_H
#define CONCBENCH_TASK_H

#include <stdint.h>

/* What one task leaves behind. Plain data with no pointers: records live in memory shared with
 * the harness and cross pipes from forked children, so they must mean the same in any process. */

#define TASK_STEP_MARKS 8 /* per-step end times kept for the first steps of a task */
#define TASK_ERROR_LEN  112

struct task_record {
    int32_t task;   /* index 0..N-1 */
    int32_t worker; /* thread, process, coroutine or loop slot that ran it; -1 = never ran */
    int32_t status; /* 0 = ran to the end; else a negative errno-like code */
    uint32_t steps_done;
    double start_s, end_s;              /* CLOCK_MONOTONIC */
    double step_end_s[TASK_STEP_MARKS]; /* end of step k (k < TASK_STEP_MARKS) */
    uint64_t digest;                    /* workload-defined fingerprint of the result */
    char error[TASK_ERROR_LEN];         /* first error, human readable */
};

/* Fills rec->status and rec->error (first error wins) and returns status. */
int task_fail(struct task_record *rec, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
