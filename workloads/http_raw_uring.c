/* The raw client on io_uring. A link (a socket and its requests on the ring) is kept by the
 * connection while it may carry requests; closed, it cancels what it has under way and its
 * memory goes with its last completion, so a late completion never meets freed memory. The
 * requests' deadlines are a queue of the ring's own under one timeout request: every request has
 * the same time limit, so the queue is in deadline order by construction, and a request costs no
 * timeout request of its own (the kernel keeps timeouts in a list it walks on each insertion, and
 * 10,000 of them made every request O(N)). See http_raw_uring.h. */

#include "workloads/http_raw_uring.h"
#include "workloads/deadline_list.h"
#include "workloads/http_errors.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/container_of.h"
#include "common/clock.h"

#define UR_BUF_SIZE  HRAW_BLOCK_BUF /* a provided buffer, as curl's receive buffer */
#define UR_BUF_COUNT 256            /* provided buffers of a ring (a power of two) */
#define UR_BGID      1
#define UR_PLAIN_BUF 4096 /* recv=plain: each link's own buffer */
#define UR_DRAIN_S   2    /* the wait for cancelled requests' last completions, at the end */
#define OP_CONNECT   1
#define OP_SEND      2
#define OP_RECV      4

struct ur_link {
    struct uring_op connect_op, send_op, recv_op;
    struct hraw_ur_ring *ring;
    struct hraw_ur *owner; /* NULL once closing: late completions see that */
    struct ur_link *prev, *next;
    struct ur_link *sprev, *snext; /* among the ring's links waiting for buffers */
    int fd, starved;
    unsigned pending; /* OP_* requests under way */
    int connected;
    char *buf; /* recv=plain */
};

struct hraw_ur {
    struct hraw_ur_ring *ring;
    struct ur_link *link;
    struct hraw_ur *prev, *next;
    const struct hraw_target *tg;
    const struct hraw_options *opt;
    hraw_uv_done_fn done;
    struct hraw_resp resp;
    struct hraw_result res;
    struct deadline_item deadline; /* in the ring's deadlines while busy, in clock_now_ns() */
    int busy, retried;
    size_t req_len, sent;
    char req[256];
};

struct hraw_ur_ring {
    struct uring_ring *ur;
    enum uring_recv mode, asked;
    struct io_uring_buf_ring *br;
    char *bufs;
    struct ur_link *links, *links_tail; /* every link not yet freed */
    struct hraw_ur *conns, *conns_tail; /* every connection not yet freed */
    long inflight;                      /* requests whose last completion has not come */
    unsigned long long rearms;          /* multishot recvs armed again (out of buffers, say) */
    unsigned long long nobufs;          /* recvs that found every provided buffer taken */
    /* Links whose recv found no buffer: armed again, UR_BUF_COUNT at most, in the round after
     * (a NOP's completion), once the buffers of this round's completions are back. Arming them
     * at once would fail again while the round's buffers are still out, over and over. */
    struct ur_link *starved, *starved_tail;
    struct uring_op rearm_op;
    int rearm_queued;
    /* The busy connections, earliest deadline first, and the one timeout request for the head */
    struct deadline_list deadlines;
    struct uring_op dl_op;
    struct __kernel_timespec dl_ts;
    int dl_armed;
    char fallback[96]; /* why auto ended below multishot, if it did */
};

/* A queue with head and tail through the fields pv and nx of its elements. */
#define QUEUE_PUSH(head, tail, x, pv, nx)                                                          \
    do {                                                                                           \
        (x)->nx = NULL;                                                                            \
        (x)->pv = (tail);                                                                          \
        if ((tail) != NULL)                                                                        \
            (tail)->nx = (x);                                                                      \
        else                                                                                       \
            (head) = (x);                                                                          \
        (tail) = (x);                                                                              \
    } while (0)
#define QUEUE_DEL(head, tail, x, pv, nx)                                                           \
    do {                                                                                           \
        if ((x)->pv != NULL)                                                                       \
            (x)->pv->nx = (x)->nx;                                                                 \
        else                                                                                       \
            (head) = (x)->nx;                                                                      \
        if ((x)->nx != NULL)                                                                       \
            (x)->nx->pv = (x)->pv;                                                                 \
        else                                                                                       \
            (tail) = (x)->pv;                                                                      \
    } while (0)

static const char *mode_name(enum uring_recv m)
{
    return m == URING_RECV_MULTISHOT  ? "multishot"
           : m == URING_RECV_PROVIDED ? "provided"
                                      : "plain";
}

/* The completion of a request nobody waits for (a cancel, a timeout's removal). */
static void ignore_done(struct uring_op *op, int res, unsigned flags)
{
    (void)op;
    (void)res;
    (void)flags;
}

static struct uring_op ignore_op = {.complete = ignore_done};

static struct io_uring_sqe *ur_sqe(struct hraw_ur_ring *r, struct uring_op *op)
{
    struct io_uring_sqe *sqe = uring_get_sqe(r->ur);

    if (sqe != NULL)
        io_uring_sqe_set_data(sqe, op);
    return sqe;
}

static void starve_del(struct hraw_ur_ring *r, struct ur_link *l)
{
    if (!l->starved)
        return;
    QUEUE_DEL(r->starved, r->starved_tail, l, sprev, snext);
    l->starved = 0;
}

/* The round after this one re-arms the starved links (rearm_done). */
static void rearm_queue(struct hraw_ur_ring *r)
{
    struct io_uring_sqe *sqe;

    if (r->rearm_queued || (sqe = ur_sqe(r, &r->rearm_op)) == NULL)
        return;
    io_uring_prep_nop(sqe);
    r->rearm_queued = 1;
    r->inflight++;
}

static void starve_add(struct hraw_ur_ring *r, struct ur_link *l)
{
    if (l->starved)
        return;
    QUEUE_PUSH(r->starved, r->starved_tail, l, sprev, snext);
    l->starved = 1;
    rearm_queue(r);
}

static void link_free(struct ur_link *l)
{
    starve_del(l->ring, l);
    QUEUE_DEL(l->ring->links, l->ring->links_tail, l, prev, next);
    free(l->buf);
    free(l);
}

/* One of l's requests is over: 1 when l was closing and is now gone. */
static int link_op_over(struct ur_link *l, unsigned op)
{
    l->pending &= ~op;
    l->ring->inflight--;
    if (l->owner != NULL)
        return 0;
    if (l->pending == 0)
        link_free(l);
    return 1;
}

/* Cancels l's requests under way; their completions still come (-ECANCELED, or what they did). */
static void link_cancel(struct ur_link *l)
{
    struct uring_op *ops[] = {&l->connect_op, &l->send_op, &l->recv_op};

    for (unsigned i = 0; i < 3; i++) {
        struct io_uring_sqe *sqe;
        if ((l->pending & (1u << i)) && (sqe = ur_sqe(l->ring, &ignore_op)) != NULL) {
            io_uring_prep_cancel(sqe, ops[i], 0);
            io_uring_sqe_set_data(sqe, &ignore_op);
        }
    }
}

/* Closes c's link: its requests under way are cancelled, its socket closed now. */
static void link_close(struct hraw_ur *c)
{
    struct ur_link *l = c->link;

    if (l == NULL)
        return;
    c->link = NULL;
    l->owner = NULL;
    link_cancel(l);
    close(l->fd);
    l->fd = -1;
    if (l->pending == 0)
        link_free(l);
}

/* Arms the ring's timeout for the queue's head, unless it is armed (for an earlier deadline, or
 * one whose request ended: deadline_done then arms it again). */
static void deadline_arm(struct hraw_ur_ring *r)
{
    struct io_uring_sqe *sqe;
    uint64_t due;

    if (r->dl_armed || r->deadlines.head == NULL || (sqe = ur_sqe(r, &r->dl_op)) == NULL)
        return;
    due = r->deadlines.head->at;
    r->dl_ts.tv_sec = (long long)(due / 1000000000u);
    r->dl_ts.tv_nsec = (long long)(due % 1000000000u);
    io_uring_prep_timeout(sqe, &r->dl_ts, 0, IORING_TIMEOUT_ABS);
    r->dl_armed = 1;
    r->inflight++;
}

/* c's request joins the ring's deadlines (at the tail, all limits being equal). */
static void deadline_add(struct hraw_ur *c, uint64_t at)
{
    deadline_list_add(&c->ring->deadlines, &c->deadline, at);
    deadline_arm(c->ring);
}

static void deadline_del(struct hraw_ur *c)
{
    deadline_list_remove(&c->ring->deadlines, &c->deadline);
}

/* Ends the request under way: done is the last thing that touches c (it may start the next
 * request or free c). */
static void finish(struct hraw_ur *c, int ok)
{
    deadline_del(c);
    c->busy = 0;
    if (!ok || !c->opt->reuse || !c->resp.keep_alive)
        link_close(c);
    c->done(c->opt->arg, &c->res);
}

static int arm_recv(struct ur_link *l)
{
    struct hraw_ur_ring *r = l->ring;
    struct io_uring_sqe *sqe;

    if (l->pending & OP_RECV)
        return 0;
    if ((sqe = ur_sqe(r, &l->recv_op)) == NULL)
        return -EBUSY;
    if (r->mode == URING_RECV_PLAIN) {
        io_uring_prep_recv(sqe, l->fd, l->buf, UR_PLAIN_BUF, 0);
    } else {
        if (r->mode == URING_RECV_MULTISHOT)
            io_uring_prep_recv_multishot(sqe, l->fd, NULL, 0, 0);
        else
            io_uring_prep_recv(sqe, l->fd, NULL, UR_BUF_SIZE, 0);
        sqe->flags |= IOSQE_BUFFER_SELECT;
        sqe->buf_group = UR_BGID;
    }
    l->pending |= OP_RECV;
    r->inflight++;
    return 0;
}

static int send_request(struct hraw_ur *c)
{
    struct ur_link *l = c->link;
    struct io_uring_sqe *sqe = ur_sqe(c->ring, &l->send_op);

    if (sqe == NULL)
        return -EBUSY;
    io_uring_prep_send(sqe, l->fd, c->req + c->sent, c->req_len - c->sent, MSG_NOSIGNAL);
    l->pending |= OP_SEND;
    c->ring->inflight++;
    return 0;
}

static int start_request(struct hraw_ur *c);

/* The connection ended before any byte of the response: on a kept-alive connection the server
 * had closed it meanwhile, so try once more on a new one, as curl does. */
static int retry_fresh(struct hraw_ur *c)
{
    link_close(c);
    if (c->retried)
        return 0;
    c->retried = 1;
    if (start_request(c) != 0)
        finish(c, 0);
    return 1;
}

static void connect_done(struct uring_op *op, int res, unsigned flags)
{
    struct ur_link *l = container_of(op, struct ur_link, connect_op);
    struct hraw_ur *c = l->owner;
    int rc;

    (void)flags;
    if (link_op_over(l, OP_CONNECT))
        return;
    if (res < 0) {
        hraw_fail_connect(&c->res, c->tg, -res);
        finish(c, 0);
        return;
    }
    l->connected = 1;
    if ((rc = arm_recv(l)) == 0)
        rc = send_request(c);
    if (rc != 0) {
        hraw_fail(&c->res, -EIO, "Send failure: %s", strerror(-rc));
        finish(c, 0);
    }
}

static void send_done(struct uring_op *op, int res, unsigned flags)
{
    struct ur_link *l = container_of(op, struct ur_link, send_op);
    struct hraw_ur *c = l->owner;
    int rc = 0;

    (void)flags;
    if (link_op_over(l, OP_SEND) || !c->busy)
        return;
    if (res < 0 && (res == -EPIPE || res == -ECONNRESET) && retry_fresh(c))
        return;
    if (res >= 0 && (c->sent += (size_t)res) < c->req_len)
        rc = send_request(c); /* the rest of a short send */
    else if (res < 0)
        rc = res;
    if (rc != 0) {
        hraw_fail(&c->res, -EIO, "Send failure: %s", strerror(-rc));
        finish(c, 0);
    }
}

/* Where a completed recv's bytes are: a provided buffer (its id in the flags) or the link's. */
static const char *recv_data(const struct ur_link *l, int res, unsigned flags)
{
    if (res <= 0)
        return NULL;
    if (flags & IORING_CQE_F_BUFFER)
        return l->ring->bufs + (size_t)(flags >> IORING_CQE_BUFFER_SHIFT) * UR_BUF_SIZE;
    return l->buf;
}

/* A provided buffer parsed: back in the ring for the next recv. */
static void buf_recycle(struct hraw_ur_ring *r, unsigned flags)
{
    unsigned bid = flags >> IORING_CQE_BUFFER_SHIFT;

    if (!(flags & IORING_CQE_F_BUFFER))
        return;
    io_uring_buf_ring_add(r->br, r->bufs + (size_t)bid * UR_BUF_SIZE, UR_BUF_SIZE,
                          (unsigned short)bid, io_uring_buf_ring_mask(UR_BUF_COUNT), 0);
    io_uring_buf_ring_advance(r->br, 1);
}

/* What a recv brought, on a link its connection still has. */
static void on_recv(struct ur_link *l, const char *data, int res)
{
    struct hraw_ur *c = l->owner;
    struct hraw_ur_ring *r = l->ring;
    int rc;

    if (res == -ENOBUFS) /* every provided buffer was full: armed again once they are back */
        return;
    if (res == -EINVAL && r->mode == URING_RECV_MULTISHOT && r->asked == URING_RECV_AUTO) {
        r->mode = URING_RECV_PROVIDED; /* a kernel with buffer rings but no multishot recv */
        snprintf(r->fallback, sizeof(r->fallback), " (multishot recv: %s)", strerror(EINVAL));
        return;
    }
    if (!c->busy) { /* data or a close while idle: the connection is not fit for reuse */
        link_close(c);
        return;
    }
    if (hraw_resp_fresh(&c->resp, res) && retry_fresh(c))
        return;
    if ((rc = hraw_resp_read(&c->resp, data, res)) != 0)
        finish(c, rc > 0);
}

/* Arms l's recv again, on a link its connection still has. */
static void rearm(struct ur_link *l)
{
    if (l->ring->mode == URING_RECV_MULTISHOT)
        l->ring->rearms++;
    if (arm_recv(l) != 0 && l->owner->busy) {
        hraw_fail(&l->owner->res, -EIO, "Recv failure: %s", strerror(EBUSY));
        finish(l->owner, 0);
    }
}

/* The round after some recvs found no buffer: the buffers of that round are back. */
static void rearm_done(struct uring_op *op, int res, unsigned flags)
{
    struct hraw_ur_ring *r = container_of(op, struct hraw_ur_ring, rearm_op);

    (void)res;
    (void)flags;
    r->rearm_queued = 0;
    r->inflight--;
    for (int i = 0; i < UR_BUF_COUNT && r->starved != NULL; i++) {
        struct ur_link *l = r->starved;
        starve_del(r, l);
        if (l->owner != NULL)
            rearm(l);
    }
    if (r->starved != NULL)
        rearm_queue(r);
}

/* The link stays counted until its recv's last completion (no IORING_CQE_F_MORE), so on_recv
 * may close it, and even free its connection, without freeing it. */
static void recv_done(struct uring_op *op, int res, unsigned flags)
{
    struct ur_link *l = container_of(op, struct ur_link, recv_op);
    struct hraw_ur_ring *r = l->ring;
    int more = (flags & IORING_CQE_F_MORE) != 0;

    if (l->owner != NULL && res != -ECANCELED)
        on_recv(l, recv_data(l, res, flags), res);
    buf_recycle(r, flags);
    if (more || link_op_over(l, OP_RECV))
        return;
    if (res == -ENOBUFS) {
        r->nobufs++;
        starve_add(r, l);
        return;
    }
    rearm(l);
}

static void conn_free(struct hraw_ur *c)
{
    deadline_del(c);
    QUEUE_DEL(c->ring->conns, c->ring->conns_tail, c, prev, next);
    free(c);
}

/* The request of c is over its time limit. */
static void timed_out(struct hraw_ur *c)
{
    if (c->link != NULL && !c->link->connected)
        hraw_fail_connect(&c->res, c->tg, ETIMEDOUT);
    else
        hraw_fail_timeout(&c->res, &c->resp, c->opt->timeout_ms);
    finish(c, 0);
}

/* The ring's timeout fired (or was removed): every request past its deadline fails, and the
 * timeout is armed again for the next deadline. */
static void deadline_done(struct uring_op *op, int res, unsigned flags)
{
    struct hraw_ur_ring *r = container_of(op, struct hraw_ur_ring, dl_op);
    uint64_t now = clock_now_ns();

    (void)flags;
    r->dl_armed = 0;
    r->inflight--;
    if (res == -ECANCELED)
        return;
    while (r->deadlines.head != NULL && r->deadlines.head->at <= now)
        timed_out(container_of(r->deadlines.head, struct hraw_ur, deadline));
    deadline_arm(r);
}

/* Opens a link and connects it; the request goes out once connected. */
static int open_link(struct hraw_ur *c)
{
    struct hraw_ur_ring *r = c->ring;
    struct ur_link *l = calloc(1, sizeof(*l));
    struct io_uring_sqe *sqe;
    int one = 1; /* as curl: a request is one small write, never held back by Nagle */

    if (l == NULL || (r->mode == URING_RECV_PLAIN && (l->buf = malloc(UR_PLAIN_BUF)) == NULL)) {
        free(l);
        return hraw_fail(&c->res, -ENOMEM, "out of memory");
    }
    if ((l->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        c->res.sys_errno = errno;
        free(l->buf);
        free(l);
        return hraw_fail(&c->res, -c->res.sys_errno, "cannot open a socket: %s",
                         strerror(c->res.sys_errno));
    }
    setsockopt(l->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    l->ring = r;
    l->owner = c;
    l->connect_op.complete = connect_done;
    l->send_op.complete = send_done;
    l->recv_op.complete = recv_done;
    QUEUE_PUSH(r->links, r->links_tail, l, prev, next);
    c->link = l;
    if ((sqe = ur_sqe(r, &l->connect_op)) == NULL) {
        link_close(c);
        return hraw_fail_connect(&c->res, c->tg, EBUSY);
    }
    io_uring_prep_connect(sqe, l->fd, (const struct sockaddr *)&c->tg->addr, sizeof(c->tg->addr));
    l->pending |= OP_CONNECT;
    r->inflight++;
    return 0;
}

static int start_request(struct hraw_ur *c)
{
    hraw_resp_begin(&c->resp, c->opt, &c->res);
    c->sent = 0;
    if (c->link == NULL)
        return open_link(c);
    if (send_request(c) == 0)
        return 0;
    link_close(c);
    return open_link(c);
}

struct hraw_ur *hraw_ur_new(struct hraw_ur_ring *r, const struct hraw_target *tg,
                            const struct hraw_options *opt, hraw_uv_done_fn done)
{
    struct hraw_ur *c = calloc(1, sizeof(*c));

    if (c == NULL)
        return NULL;
    c->ring = r;
    c->tg = tg;
    c->opt = opt;
    c->done = done;
    QUEUE_PUSH(r->conns, r->conns_tail, c, prev, next);
    return c;
}

int hraw_ur_get(struct hraw_ur *c, const char *path, struct hraw_result *res)
{
    int n = hraw_request(c->req, sizeof(c->req), c->tg, path, c->opt->reuse), rc;
    uint64_t due = clock_now_ns() + (uint64_t)c->opt->timeout_ms * 1000000u;

    memset(res, 0, sizeof(*res));
    if (n < 0)
        return hraw_fail(res, -EINVAL, "URL too long for the raw client");
    c->req_len = (size_t)n;
    c->retried = 0;
    if ((rc = start_request(c)) != 0) {
        *res = c->res;
        return rc;
    }
    c->busy = 1;
    deadline_add(c, due);
    return 0;
}

void hraw_ur_free(struct hraw_ur *c)
{
    if (c == NULL)
        return;
    if (c->link != NULL && !c->busy)
        hraw_close_with_reset(c->link->fd); /* the task is over: no TIME_WAIT left behind */
    link_close(c);
    conn_free(c);
}

/* The provided-buffer ring, registered as group UR_BGID. 0 or a negative errno. */
static int bufs_register(struct hraw_ur_ring *r)
{
    struct io_uring_buf_reg reg = {.ring_entries = UR_BUF_COUNT, .bgid = UR_BGID};
    size_t bytes = UR_BUF_COUNT * sizeof(struct io_uring_buf);
    void *br = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    int rc;

    if (br == MAP_FAILED)
        return -errno;
    if ((r->bufs = malloc((size_t)UR_BUF_COUNT * UR_BUF_SIZE)) == NULL) {
        munmap(br, bytes);
        return -ENOMEM;
    }
    reg.ring_addr = (unsigned long)(uintptr_t)br;
    if ((rc = io_uring_register_buf_ring(&r->ur->ring, &reg, 0)) != 0) {
        munmap(br, bytes);
        free(r->bufs);
        r->bufs = NULL;
        return rc;
    }
    r->br = br;
    io_uring_buf_ring_init(r->br);
    for (int i = 0; i < UR_BUF_COUNT; i++)
        io_uring_buf_ring_add(r->br, r->bufs + (size_t)i * UR_BUF_SIZE, UR_BUF_SIZE,
                              (unsigned short)i, io_uring_buf_ring_mask(UR_BUF_COUNT), i);
    io_uring_buf_ring_advance(r->br, UR_BUF_COUNT);
    return 0;
}

static void note_mode(const struct hraw_ur_ring *r, char *note, size_t len)
{
    if (r->mode == URING_RECV_PLAIN)
        snprintf(note, len, "io_bound receives: plain recv into each connection's %d bytes%s",
                 UR_PLAIN_BUF, r->fallback);
    else
        snprintf(note, len,
                 "io_bound receives: %s recv, provided-buffer ring of %d x %d KiB%s; %llu "
                 "recvs out of buffers, %llu re-armed",
                 mode_name(r->mode), UR_BUF_COUNT, UR_BUF_SIZE / 1024, r->fallback, r->nobufs,
                 r->rearms);
}

struct hraw_ur_ring *hraw_ur_ring_new(struct uring_ring *ur, char *note, size_t len)
{
    struct hraw_ur_ring *r = calloc(1, sizeof(*r));
    int rc;

    if (r == NULL) {
        snprintf(note, len, "out of memory");
        return NULL;
    }
    r->ur = ur;
    r->rearm_op.complete = rearm_done;
    r->dl_op.complete = deadline_done;
    r->asked = ur->recv;
    r->mode = ur->recv == URING_RECV_AUTO ? URING_RECV_MULTISHOT : ur->recv;
    if (r->mode != URING_RECV_PLAIN && (rc = bufs_register(r)) != 0) {
        if (r->asked != URING_RECV_AUTO) {
            snprintf(note, len,
                     "recv=%s needs a provided-buffer ring (Linux 5.19): "
                     "io_uring_register_buf_ring: %s",
                     mode_name(r->asked), strerror(-rc));
            free(r);
            return NULL;
        }
        r->mode = URING_RECV_PLAIN;
        snprintf(r->fallback, sizeof(r->fallback), " (no provided-buffer ring: %s)", strerror(-rc));
    }
    note_mode(r, note, len);
    return r;
}

/* Cancels every request still under way and reaps completions until the last has come (or
 * UR_DRAIN_S has passed), so nothing the kernel still holds is freed. */
static void drain(struct hraw_ur_ring *r)
{
    struct __kernel_timespec ts = {.tv_sec = UR_DRAIN_S};
    struct io_uring_sqe *sqe;

    for (struct hraw_ur *c = r->conns; c != NULL; c = c->next) {
        deadline_del(c); /* no task waits any more: nothing is done now */
        c->busy = 0;
        link_close(c);
    }
    if (r->dl_armed && (sqe = ur_sqe(r, &ignore_op)) != NULL)
        io_uring_prep_timeout_remove(sqe, (__u64)(uintptr_t)&r->dl_op, 0);
    for (struct ur_link *l = r->links; l != NULL; l = l->next)
        link_cancel(l);
    while (r->inflight > 0) {
        struct io_uring_cqe *cqe;
        unsigned head;

        r->ur->enters++;
        if (io_uring_submit_and_wait_timeout(&r->ur->ring, &cqe, 1, &ts, NULL) < 0)
            break;
        io_uring_for_each_cqe(&r->ur->ring, head, cqe)
        {
            struct uring_op *op = io_uring_cqe_get_data(cqe);
            int res = cqe->res;
            unsigned flags = cqe->flags;

            io_uring_cqe_seen(&r->ur->ring, cqe);
            op->complete(op, res, flags);
        }
    }
}

void hraw_ur_ring_free(struct hraw_ur_ring *r, char *note, size_t len)
{
    if (r == NULL)
        return;
    drain(r);
    note_mode(r, note, len);
    while (r->links != NULL) {
        struct ur_link *l = r->links;
        if (l->fd >= 0)
            close(l->fd);
        link_free(l);
    }
    while (r->conns != NULL)
        conn_free(r->conns);
    if (r->br != NULL) {
        io_uring_unregister_buf_ring(&r->ur->ring, UR_BGID);
        munmap(r->br, UR_BUF_COUNT * sizeof(struct io_uring_buf));
    }
    free(r->bufs);
    free(r);
}
