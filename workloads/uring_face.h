#ifndef CONCBENCH_URING_FACE_H
#define CONCBENCH_URING_FACE_H

/* The io_uring face of a workload's wait steps, for the uring model (runners/uring.c), built
 * with liburing only (CONCBENCH_HAVE_URING). A workload with this face starts its wait as
 * requests on the model's ring; one without it has its waits run blocking on the model's pool.
 *
 * Every request's user_data points to a struct uring_op; the model's loop calls its complete
 * with the completion's result and flags. */

#include <liburing.h>

#include "workloads/workload.h"

struct uring_op {
    void (*complete)(struct uring_op *op, int res, unsigned flags);
};

/* The model's per-task room for one wait (a timeout, say): filled by the model with ring and t,
 * the rest the workload's while the wait is under way. */
struct uring_wait {
    struct uring_op op; /* first: user_data of the wait's request */
    struct io_uring *ring;
    struct task_ctx *t;
    struct __kernel_timespec ts;
    double due_s;
};

struct workload_uring {
    /* Starts wait step t->step (w->t == t) on w->ring and returns 0; t->done(t, status) is called
     * once, from a completion. A negative return: not started, done will not be called. */
    int (*step_start)(void *instance, struct task_ctx *t, struct uring_wait *w);
};

/* An SQE of ring, submitting what is queued first when the submission queue is full; NULL only
 * when that submission fails. */
static inline struct io_uring_sqe *uring_get_sqe(struct io_uring *ring)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

    if (sqe == NULL && io_uring_submit(ring) >= 0)
        sqe = io_uring_get_sqe(ring);
    return sqe;
}

#endif
