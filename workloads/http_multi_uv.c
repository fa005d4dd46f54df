/* libcurl multi socket interface on a libuv loop. See http_multi_uv.h. */

#include "workloads/http_multi_uv.h"

#include <stdlib.h>

/* One socket curl asked us to watch. */
struct hmu_sock {
    uv_poll_t poll; /* poll.data = this */
    curl_socket_t fd;
    struct hmu *m;
    struct hmu_sock *prev, *next;
};

struct hmu {
    uv_loop_t *loop;
    CURLM *multi;
    uv_timer_t timer; /* curl's timeout; unreferenced */
    uv_timer_t hold;  /* referenced and armed while transfers are in flight */
    int active;       /* transfers in flight */
    int closing;      /* libuv handles whose close callback has not run yet */
    int tearing_down;
    struct hmu_xfer *xfers; /* in flight */
    struct hmu_sock *socks; /* watched */
};

#define HOLD_PERIOD_MS (3600u * 1000u)

static void hold_cb(uv_timer_t *h)
{
    (void)h; /* only there to keep uv_run going while transfers are in flight */
}

static void handle_closed(uv_handle_t *h)
{
    struct hmu *m = h->data;
    m->closing--;
}

static void sock_closed(uv_handle_t *h)
{
    struct hmu_sock *s = h->data;
    s->m->closing--;
    free(s);
}

static void sock_close(struct hmu_sock *s)
{
    struct hmu *m = s->m;
    if (s->prev)
        s->prev->next = s->next;
    else
        m->socks = s->next;
    if (s->next)
        s->next->prev = s->prev;
    uv_poll_stop(&s->poll);
    m->closing++;
    uv_close((uv_handle_t *)&s->poll, sock_closed);
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

static void poll_cb(uv_poll_t *h, int status, int events)
{
    struct hmu_sock *s = h->data;
    struct hmu *m = s->m;
    int flags = 0;
    if (status < 0) {
        flags = CURL_CSELECT_ERR;
    } else {
        if (events & UV_READABLE)
            flags |= CURL_CSELECT_IN;
        if (events & UV_WRITABLE)
            flags |= CURL_CSELECT_OUT;
    }
    int running;
    /* s may be closed (CURL_POLL_REMOVE) inside this call: do not touch it afterwards. */
    curl_multi_socket_action(m->multi, s->fd, flags, &running);
    drain(m);
}

static void timeout_cb(uv_timer_t *h)
{
    struct hmu *m = h->data;
    int running;
    curl_multi_socket_action(m->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    drain(m);
}

/* CURLMOPT_SOCKETFUNCTION */
static int socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
    (void)easy;
    struct hmu *m = userp;
    struct hmu_sock *s = socketp;

    if (what == CURL_POLL_REMOVE) {
        if (s != NULL) {
            sock_close(s);
            curl_multi_assign(m->multi, fd, NULL);
        }
        return 0;
    }
    if (m->tearing_down)
        return 0;
    if (s == NULL) {
        s = calloc(1, sizeof *s);
        if (s == NULL)
            return -1;
        if (uv_poll_init_socket(m->loop, &s->poll, fd) != 0) {
            free(s);
            return -1;
        }
        s->poll.data = s;
        s->fd = fd;
        s->m = m;
        uv_unref((uv_handle_t *)&s->poll);
        s->next = m->socks;
        if (m->socks)
            m->socks->prev = s;
        m->socks = s;
        curl_multi_assign(m->multi, fd, s);
    }
    int events = 0;
    if (what & CURL_POLL_IN)
        events |= UV_READABLE;
    if (what & CURL_POLL_OUT)
        events |= UV_WRITABLE;
    if (uv_poll_start(&s->poll, events, poll_cb) != 0)
        return -1;
    return 0;
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
    if (rc != CURLM_OK) {
        curl_multi_cleanup(m->multi);
        free(m);
        return NULL;
    }
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
    /* Closes the cached connections; curl may report CURL_POLL_REMOVE for them meanwhile. */
    curl_multi_cleanup(m->multi);
    m->multi = NULL;
    while (m->socks != NULL)
        sock_close(m->socks);
    uv_timer_stop(&m->timer);
    uv_timer_stop(&m->hold);
    m->closing += 2;
    uv_close((uv_handle_t *)&m->timer, handle_closed);
    uv_close((uv_handle_t *)&m->hold, handle_closed);
    /* Closing handles keep the loop alive, and their callbacks run at the end of an iteration. */
    while (m->closing > 0)
        uv_run(m->loop, UV_RUN_NOWAIT);
    free(m);
}
