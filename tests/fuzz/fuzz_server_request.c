/* libFuzzer target: the embedded server's request handling, bytes in, responses out, no socket.
 * The input is fed to one connection's parser in chunks (sizes taken from the input itself, so
 * requests and URLs split anywhere), exactly as conn.c's on_read does; every queued request is
 * then answered with response_build, and each response head is checked. */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/server.h"
#include "server/server_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Not FUZZ_CHECK(): the checks must hold in every build type. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

/* Answers and frees every queued request, checking what a client would receive. */
static void answer_all(struct conn *c)
{
    while (c->head != NULL) {
        struct request *r = c->head;

        response_build(c, r);
        FUZZ_CHECK(c->hdr_len > 12 && c->hdr_len < HDR_CAP);
        FUZZ_CHECK(memcmp(c->hdr, "HTTP/1.1 ", 9) == 0);
        FUZZ_CHECK(r->status >= 200 && r->status <= 599);
        FUZZ_CHECK(memmem(c->hdr, c->hdr_len, "\r\n\r\n", 4) != NULL);
        FUZZ_CHECK(r->kind != REQ_BODY || r->nbytes <= (uint64_t)SERVER_MAX_BYTES);
        c->head = r->next;
        c->nqueued--;
        free(r);
    }
    c->tail = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct server srv; /* only header_ms is read by the parser */
    struct conn *c = calloc(1, sizeof *c);
    size_t off = 1, chunk;

    if (c == NULL || size == 0) {
        free(c);
        return 0;
    }
    http_parser_set_max_header_size(SERVER_MAX_HEADER_BYTES);
    srv.header_ms = SERVER_DEFAULT_HEADER_TIMEOUT_MS;
    c->srv = &srv;
    http_parser_init(&c->parser, HTTP_REQUEST);
    c->parser.data = c;
    chunk = (size_t)data[0] % 64 + 1; /* 1..64 bytes per read; 64 reads whole buffers */
    if (data[0] >= 192)
        chunk = size;
    while (off < size && !c->no_more && !c->closing) {
        size_t n = size - off < chunk ? size - off : chunk;

        request_parse(c, (const char *)data + off, n);
        off += n;
        answer_all(c);
    }
    answer_all(c);
    free(c);
    return 0;
}
