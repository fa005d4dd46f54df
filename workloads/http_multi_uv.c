/* libcurl multi socket interface on a libuv loop. See http_multi_uv.h. */

#include "workloads/http_multi_uv.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

struct hmu {
    uv_loop_t *loop;
    CURLM *multi;
    int epfd;         /* the sockets curl watches: a private epoll set, itself watched by poll */
    uv_poll_t poll;   /* epfd readable: some socket is ready; unreferenced */
    uv_timer_t timer; /* curl's timeout; unreferenced */
    uv_timer_t hold;  /* referenced and armed while transfers are in flight */
    int active;       /* transfers in flight */
    int closing;      /* libuv handles whose close callback has not run yet */
    int tearing_down;
    struct hmu_xfer *xfers; /* in flight */
};

#define HOLD_PERIOD_MS (3600u * 1000u)
#define READY_BATCH    64 /* epoll events taken per epoll_wait */

static void hold_cb(uv_timer_t *h)
{
    (void)h; /* only there to keep uv_run going while transfers are in flight */
}

static void handle_closed(uv_handle_t *h)
{
    struct hmu *m = h->data;
    m->closing--;
}

static void xfer_unlink(struct hmu_xfer *x)
{
    struct hmu *m = x->owner;
    if (x->prev)
        x->prev->next = x->next;
    else
        m->xfers = x->next;
    if (x->next)
        x->next->prev = x->prev;
    x->prev = x->next = NULL;
    x->owner = NULL;
    if (--m->active == 0 && !m->tearing_down)
        uv_timer_stop(&m->hold);
}

/* Reports every finished transfer. A done callback may add transfers again (the next step). */
static void drain(struct hmu *m)
{
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(m->multi, &left)) != NULL) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        CURL *easy = msg->easy_handle;
        CURLcode result = msg->data.result; /* msg is invalid once the handle is removed */
        char *priv = NULL;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
        struct hmu_xfer *x = (struct hmu_xfer *)priv;
        curl_multi_remove_handle(m->multi, easy);
        if (x == NULL || x->owner != m)
            continue; /* not ours; cannot happen */
        xfer_unlink(x);
        x->done(x, result);
    }
}

/* What curl is told of a ready socket. An error or a hang-up as both directions, with no
 * CURL_CSELECT_ERR: curl then reads or writes, meets the error there and handles it as its own
 * poll would have (Curl_socket_check reports a read socket's POLLERR as readable), a reused
 * connection that the server closed included, which curl retries on a new one. CURL_CSELECT_ERR
 * alone fails the transfer at once ("select/poll returned error"), without that retry. */
static int ready_flags(uint32_t ev)
{
    if (ev & (EPOLLERR | EPOLLHUP))
        return CURL_CSELECT_IN | CURL_CSELECT_OUT;
    return ((ev & (EPOLLIN | EPOLLRDHUP)) ? CURL_CSELECT_IN : 0) |
           ((ev & EPOLLOUT) ? CURL_CSELECT_OUT : 0);
}

/* One ready socket. curl no longer watching it (an idle connection in its cache: curl 7.88
 * says CURL_POLL_REMOVE once a transfer ends, and a registration is left in place for the next
 * transfer on it) means the peer closed it or sent something unasked: it leaves the set, else it
 * would be reported on every turn; curl finds it dead when it next looks. */
static void socket_ready(struct hmu *m, curl_socket_t fd, uint32_t ev)
{
    if (curl_multi_assign(m->multi, fd, NULL) == CURLM_BAD_SOCKET) {
        epoll_ctl(m->epfd, EPOLL_CTL_DEL, fd, NULL);
        return;
    }
    int running;
    curl_multi_socket_action(m->multi, fd, ready_flags(ev), &running);
}

/* Tells curl of every socket of this multi handle that is ready now. */
static void take_ready(struct hmu *m)
{
    struct epoll_event ready[READY_BATCH];
    int n;
    do {
        n = epoll_wait(m->epfd, ready, READY_BATCH, 0);
        for (int i = 0; i < n; i++)
            socket_ready(m, ready[i].data.fd, ready[i].events);
        drain(m);
    } while (n == READY_BATCH && !m->tearing_down);
}

static void poll_cb(uv_poll_t *h, int status, int events)
{
    (void)status;
    (void)events;
    take_ready(h->data);
}

/* curl's timeout is where new transfers connect. Their sockets are looked at at once, not on the
 * loop's next turn: on loopback a connection is up when connect() returns, so the request leaves
 * now. Else every multi handle's timer of this turn runs first (libuv runs all due timers before
 * it polls), and with 1,000 new transfers the first request waited for the 1,000th connect: 86 ms
 * here. */
static void timeout_cb(uv_timer_t *h)
{
    struct hmu *m = h->data;
    int running;
    curl_multi_socket_action(m->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    drain(m);
    if (!m->tearing_down)
        take_ready(m);
}

/* CURLMOPT_SOCKETFUNCTION. A socket stays in the epoll set from the first time curl names it
 * until it is closed (the kernel then drops it): a kept-alive connection's next transfer costs
 * one epoll_ctl instead of a uv_poll_t's init, start, stop and close (six epoll_ctl and an
 * ioctl). CURL_POLL_REMOVE changes nothing; socket_ready handles what an idle one reports. */
static int socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
    (void)easy;
    (void)socketp;
    struct hmu *m = userp;

    if (what == CURL_POLL_REMOVE || m->tearing_down)
        return 0;
    struct epoll_event ev = {.events = 0, .data.fd = fd};
    if (what & CURL_POLL_IN)
        ev.events |= EPOLLIN;
    if (what & CURL_POLL_OUT)
        ev.events |= EPOLLOUT;
    if (epoll_ctl(m->epfd, EPOLL_CTL_MOD, fd, &ev) == 0)
        return 0;
    if (errno == ENOENT && epoll_ctl(m->epfd, EPOLL_CTL_ADD, fd, &ev) == 0)
        return 0;
    return -1;
}

/* CURLMOPT_TIMERFUNCTION: -1 = no timeout, 0 = act as soon as possible (from the loop, never from
 * inside this callback), else in timeout_ms. */
static int timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
    (void)multi;
    struct hmu *m = userp;
    if (m->tearing_down)
        return 0;
    if (timeout_ms < 0)
        uv_timer_stop(&m->timer);
    else
        uv_timer_start(&m->timer, timeout_cb, (uint64_t)timeout_ms, 0);
    return 0;
}

struct hmu *hmu_new(uv_loop_t *loop)
{
    struct hmu *m = calloc(1, sizeof *m);
    if (m == NULL)
        return NULL;
    m->loop = loop;
    m->multi = curl_multi_init();
    if (m->multi == NULL) {
        free(m);
        return NULL;
    }
    CURLMcode rc = CURLM_OK;
    if (rc == CURLM_OK)
        rc = curl_multi_setopt(m->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
    if (rc == CURLM_OK)
        rc = curl_multi_setopt(m->multi, CURLMOPT_SOCKETDATA, m);
    if (rc == CURLM_OK)
        rc = curl_multi_setopt(m->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
    if (rc == CURLM_OK)
        rc = curl_multi_setopt(m->multi, CURLMOPT_TIMERDATA, m);
    /* Thousands of parallel transfers each keep their connection: a large connection cache and
     * no cap on connections. */
    if (rc == CURLM_OK)
        rc = curl_multi_setopt(m->multi, CURLMOPT_MAXCONNECTS, 100000L);
    if (rc == CURLM_OK)
        rc = curl_multi_setopt(m->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 0L);
    if (rc == CURLM_OK)
        rc = curl_multi_setopt(m->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
    m->epfd = rc == CURLM_OK ? epoll_create1(EPOLL_CLOEXEC) : -1;
    if (m->epfd < 0 || uv_poll_init(loop, &m->poll, m->epfd) != 0) {
        if (m->epfd >= 0)
            close(m->epfd);
        curl_multi_cleanup(m->multi);
        free(m);
        return NULL;
    }
    m->poll.data = m;
    uv_poll_start(&m->poll, UV_READABLE, poll_cb);
    uv_unref((uv_handle_t *)&m->poll);
    uv_timer_init(loop, &m->timer);
    m->timer.data = m;
    uv_unref((uv_handle_t *)&m->timer);
    uv_timer_init(loop, &m->hold);
    m->hold.data = m;
    return m;
}

CURLMcode hmu_add(struct hmu *m, struct hmu_xfer *x)
{
    curl_easy_setopt(x->easy, CURLOPT_PRIVATE, (char *)x);
    x->owner = m;
    x->prev = NULL;
    x->next = m->xfers;
    if (m->xfers)
        m->xfers->prev = x;
    m->xfers = x;
    if (m->active++ == 0)
        uv_timer_start(&m->hold, hold_cb, HOLD_PERIOD_MS, HOLD_PERIOD_MS);
    CURLMcode rc = curl_multi_add_handle(m->multi, x->easy);
    if (rc != CURLM_OK)
        xfer_unlink(x);
    return rc;
}

void hmu_cancel(struct hmu_xfer *x)
{
    struct hmu *m = x->owner;
    if (m == NULL)
        return;
    curl_multi_remove_handle(m->multi, x->easy);
    xfer_unlink(x);
}

int hmu_active(const struct hmu *m)
{
    return m->active;
}

void hmu_free(struct hmu *m)
{
    if (m == NULL)
        return;
    while (m->xfers != NULL)
        hmu_cancel(m->xfers);
    m->tearing_down = 1;
    /* Closes the cached connections (the kernel drops them from the epoll set). */
    curl_multi_cleanup(m->multi);
    m->multi = NULL;
    uv_timer_stop(&m->timer);
    uv_timer_stop(&m->hold);
    m->closing += 3;
    uv_close((uv_handle_t *)&m->poll, handle_closed);
    uv_close((uv_handle_t *)&m->timer, handle_closed);
    uv_close((uv_handle_t *)&m->hold, handle_closed);
    /* Closing handles keep the loop alive, and their callbacks run at the end of an iteration. */
    while (m->closing > 0)
        uv_run(m->loop, UV_RUN_NOWAIT);
    close(m->epfd); /* after libuv took it out of the loop's own epoll set */
    free(m);
}
