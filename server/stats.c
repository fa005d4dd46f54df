/* The server's record: responses and their lateness per thread, in memory that may be shared with
 * the process that started the server (server.h). */
#include <string.h>
#include <sys/mman.h>

#include "server/server.h"

struct server_stats *server_stats_new(void)
{
    void *p = mmap(NULL, sizeof(struct server_stats), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);

    return p == MAP_FAILED ? NULL : p;
}

void server_stats_free(struct server_stats *s)
{
    if (s != NULL)
        munmap(s, sizeof *s);
}

static uint64_t load(const uint64_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* Single writer per slot: a plain read-modify-write, published with a relaxed atomic store so that
 * a reader in another process never sees a torn value. */
static void bump(uint64_t *p, uint64_t by)
{
    __atomic_store_n(p, *p + by, __ATOMIC_RELAXED);
}

void server_stats_total(const struct server_stats *s, struct server_thread_stats *out)
{
    int n = s->threads < SERVER_MAX_THREADS ? s->threads : SERVER_MAX_THREADS;

    memset(out, 0, sizeof *out);
    for (int i = 0; i < n; i++) {
        const struct server_thread_stats *t = &s->t[i];
        uint64_t mx = load(&t->late_max_us);

        out->responses += load(&t->responses);
        out->accepted += load(&t->accepted);
        out->late_sum_us += load(&t->late_sum_us);
        if (mx > out->late_max_us)
            out->late_max_us = mx;
        for (int b = 0; b < SERVER_LATE_BUCKETS; b++)
            out->late[b] += load(&t->late[b]);
    }
}

void server_stats_diff(const struct server_thread_stats *after,
                       const struct server_thread_stats *before, struct server_thread_stats *out)
{
    out->responses = after->responses - before->responses;
    out->accepted = after->accepted - before->accepted;
    out->late_sum_us = after->late_sum_us - before->late_sum_us;
    for (int b = 0; b < SERVER_LATE_BUCKETS; b++)
        out->late[b] = after->late[b] - before->late[b];
    /* the maximum of the difference is not known exactly: the largest bucket added bounds it */
    out->late_max_us = 0;
    for (int b = SERVER_LATE_BUCKETS - 1; b >= 0; b--) {
        if (out->late[b] != 0) {
            uint64_t hi = server_late_bucket_max(b);
            out->late_max_us = hi < after->late_max_us ? hi : after->late_max_us;
            break;
        }
    }
}

void server_stats_add(struct server_thread_stats *into, const struct server_thread_stats *add)
{
    into->responses += add->responses;
    into->accepted += add->accepted;
    into->late_sum_us += add->late_sum_us;
    if (add->late_max_us > into->late_max_us)
        into->late_max_us = add->late_max_us;
    for (int b = 0; b < SERVER_LATE_BUCKETS; b++)
        into->late[b] += add->late[b];
}

int server_late_bucket(uint64_t us)
{
    int e, b;

    if (us < SERVER_LATE_SUB)
        return (int)us;
    e = 63 - __builtin_clzll(us); /* us in [2^e, 2^(e+1)), e >= 3 */
    b = SERVER_LATE_SUB + (e - 3) * SERVER_LATE_SUB +
        (int)((us >> (e - 3)) & (SERVER_LATE_SUB - 1));
    return b < SERVER_LATE_BUCKETS ? b : SERVER_LATE_BUCKETS - 1;
}

uint64_t server_late_bucket_max(int b)
{
    int e, sub;

    if (b < SERVER_LATE_SUB)
        return (uint64_t)b;
    if (b >= SERVER_LATE_BUCKETS - 1)
        return UINT64_MAX;
    e = (b - SERVER_LATE_SUB) / SERVER_LATE_SUB + 3;
    sub = (b - SERVER_LATE_SUB) % SERVER_LATE_SUB;
    return ((uint64_t)(SERVER_LATE_SUB + sub + 1) << (e - 3)) - 1;
}

void server_late_record(struct server_thread_stats *t, uint64_t late_us)
{
    bump(&t->late[server_late_bucket(late_us)], 1);
    bump(&t->late_sum_us, late_us);
    if (late_us > t->late_max_us)
        __atomic_store_n(&t->late_max_us, late_us, __ATOMIC_RELAXED);
    bump(&t->responses, 1);
}

uint64_t server_late_quantile(const struct server_thread_stats *t, double q)
{
    uint64_t n = 0, want, seen = 0;

    for (int b = 0; b < SERVER_LATE_BUCKETS; b++)
        n += t->late[b];
    if (n == 0)
        return 0;
    if (q < 0)
        q = 0;
    want = (uint64_t)(q * (double)n + 0.999999);
    if (want < 1)
        want = 1;
    if (want > n)
        want = n;
    for (int b = 0; b < SERVER_LATE_BUCKETS; b++) {
        seen += t->late[b];
        if (seen >= want) {
            uint64_t hi = server_late_bucket_max(b);
            return hi < t->late_max_us ? hi : t->late_max_us;
        }
    }
    return t->late_max_us;
}
