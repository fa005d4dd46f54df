#ifndef CONCBENCH_HTTP_MULTI_UV_H
#define CONCBENCH_HTTP_MULTI_UV_H

#include <curl/curl.h>
#include <uv.h>

/* libcurl's multi socket interface driven by a libuv loop: one CURLM, the sockets curl asks us to
 * watch in a private epoll set (Linux) that one uv_poll_t watches, one uv_timer_t for curl's
 * timeout. A socket stays in the set until it is closed, so a kept-alive connection costs one
 * epoll_ctl per transfer. Completed transfers are removed from the multi handle and reported
 * through their own callback.
 *
 * Liveness: the poll and timer handles are unreferenced, so an idle multi (kept-alive connections
 * in its cache, a pending curl timer) never keeps uv_run from returning. A separate referenced
 * "hold" timer is armed exactly while at least one transfer is in flight.
 *
 * Not thread safe: an hmu is used from its loop's thread only; a loop may have several. */

struct hmu;
struct hmu_xfer;

/* Called once per transfer, from a loop callback, after the easy handle has been removed from
 * the multi handle (it may be added again right away). */
typedef void (*hmu_done_fn)(struct hmu_xfer *x, CURLcode result);

/* A transfer in flight; embed it in the caller's per-transfer state. */
struct hmu_xfer {
    CURL *easy;
    hmu_done_fn done;
    /* private to hmu */
    struct hmu *owner;
    struct hmu_xfer *prev, *next;
};

/* Creates the multi handle, its epoll set and its libuv handles on loop. Returns NULL on failure
 * (out of memory or descriptors, or a libcurl error). */
struct hmu *hmu_new(uv_loop_t *loop);

/* Starts x->easy (configured by the caller) and arranges for x->done to be called when it ends.
 * Sets CURLOPT_PRIVATE of the easy handle to x. Returns CURLM_OK, or the error from
 * curl_multi_add_handle (done will then not be called). */
CURLMcode hmu_add(struct hmu *m, struct hmu_xfer *x);

/* Detaches a transfer still in flight without calling its done callback; no-op otherwise. */
void hmu_cancel(struct hmu_xfer *x);

/* Transfers in flight. */
int hmu_active(const struct hmu *m);

/* Detaches every transfer still in flight (no done callbacks), cleans up the multi handle,
 * closes the libuv handles and runs the loop (UV_RUN_NOWAIT) until they are closed, so that
 * uv_loop_close can follow. Must not be called from inside uv_run on the same loop. */
void hmu_free(struct hmu *m);

#endif
