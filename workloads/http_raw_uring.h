#ifndef CONCBENCH_HTTP_RAW_URING_H
#define CONCBENCH_HTTP_RAW_URING_H

/* The raw client (http_raw.h) on io_uring, for the uring model: connect, send and recv as
 * requests on the model's ring, responses parsed by http_raw.c as the other faces' are, and
 * failures in the same words. A connection ("link") receives for its whole life, as the libuv
 * face's does: with a multishot recv into a provided-buffer ring where the kernel has both, else
 * a recv per read (into that ring, or into the link's own buffer). Built with liburing only. */

#include "workloads/http_raw.h"
#include "workloads/uring_face.h"

/* What every connection of one ring shares: the provided buffers, the receive mode, and the
 * links still under way, reaped by hraw_ur_ring_free. */
struct hraw_ur_ring;

/* Makes ur's shared part for the mode asked (URING_RECV_AUTO: the best the kernel has); note
 * says which mode that is. NULL when out of memory or when the mode asked is not on this kernel
 * (note says why). */
struct hraw_ur_ring *hraw_ur_ring_new(struct uring_ring *ur, char *note, size_t len);
/* Cancels what is still under way, reaps its completions and frees everything; note says the
 * receive mode and how often a multishot recv had to be armed again. */
void hraw_ur_ring_free(struct hraw_ur_ring *r, char *note, size_t len);

struct hraw_ur;

/* A connection to tg, none opened before the first request. NULL when out of memory. */
struct hraw_ur *hraw_ur_new(struct hraw_ur_ring *r, const struct hraw_target *tg,
                            const struct hraw_options *opt, hraw_uv_done_fn done);
/* Starts GET path: done(opt->arg, res) is called once, from a completion. A negative return (res
 * filled) means it did not start and done will not be called. */
int hraw_ur_get(struct hraw_ur *c, const char *path, struct hraw_result *res);
/* Closes the connection and abandons a request under way (no done call); the memory goes once
 * the ring has said the last of its requests is over. */
void hraw_ur_free(struct hraw_ur *c);

#endif
