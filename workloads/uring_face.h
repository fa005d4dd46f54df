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

/* How the model's ring receives from sockets (its recv= option), for workloads that do. */
enum uring_recv {
    URING_RECV_AUTO,      /* the best this kernel has, in the order below */
    URING_RECV_MULTISHOT, /* one multishot recv per connection, into a provided-buffer ring */
    URING_RECV_PROVIDED,  /* a recv per read, into a provided-buffer ring */
    URING_RECV_PLAIN,     /* a recv per read, into the connection's own buffer */
};

/* The model's ring as the workload sees it. enters counts io_uring_enter calls (uring_get_sqe
 * adds its own); state is the workload's, from ring_init. */
struct uring_ring {
    struct io_uring ring;
    unsigned long long enters;
    enum uring_recv recv;
    void *state;
};

/* The model's per-task room for one wait (a timeout, say): filled by the model with ring and t,
 * the rest the workload's while the wait is under way. */
struct uring_wait {
    struct uring_op op; /* first: user_data of the wait's request */
    struct uring_ring *ur;
    struct task_ctx *t;
    struct __kernel_timespec ts;
    double due_s;
};

struct workload_uring {
    /* Optional: 1 when this prepared instance's waits go on the ring; 0 (why says so) has them
     * run blocking on the model's pool. NULL = always on the ring. */
    int (*usable)(const void *instance, char *why, size_t len);
    /* Optional: the workload's per-ring state (ur->state), made once the ring is up; note (may be
     * left empty) tells the reader how it runs. 0, or a negative errno with err filled. */
    int (*ring_init)(void *instance, struct uring_ring *ur, char *note, size_t len);
    /* After the model's last task: ends what is still under way on the ring (the completions
     * are reaped here) and frees ur->state. note as ring_init's, with what the run saw. */
    void (*ring_fini)(void *instance, struct uring_ring *ur, char *note, size_t len);
    /* Starts wait step t->step (w->t == t) on w->ur and returns 0; t->env->done(t, status) is
     * called once, from a completion. A negative return: not started, done will not be called. */
    int (*step_start)(void *instance, struct task_ctx *t, struct uring_wait *w);
};

/* An SQE of ur's ring, submitting what is queued first when the submission queue is full (an
 * io_uring_enter, counted); NULL only when that submission fails. */
static inline struct io_uring_sqe *uring_get_sqe(struct uring_ring *ur)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ur->ring);

    if (sqe == NULL) {
        ur->enters++;
        if (io_uring_submit(&ur->ring) >= 0)
            sqe = io_uring_get_sqe(&ur->ring);
    }
    return sqe;
}

#endif
