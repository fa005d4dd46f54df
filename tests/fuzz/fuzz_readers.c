/* libFuzzer target: the readers of files that come from elsewhere, hyperfine's export
 * (hf_load) and the published figures (published_load, then every row's fields as the
 * reproduction table reads them). The first byte picks the reader; the rest is the file, handed
 * over through a memfd so the readers open it by path as they do in use. */
#define _GNU_SOURCE /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rmodel/article.h"
#include "rmodel/hyperfine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Loads the figures and reads every field the reproduction table reads. */
static void read_published(const char *path)
{
    char err[512];
    struct rm_published *p = published_load(path, err, sizeof err);
    volatile double sum = 0;

    for (int i = 0; p != NULL && i < p->nrows; i++) {
        const struct rm_pub_row *r = &p->rows[i];
        sum += r->cpu_bound_s + r->io_bound_s;
        sum += (r->model != NULL ? strlen(r->model) : 0) +
               (r->article_model != NULL ? strlen(r->article_model) : 0) +
               (r->python != NULL ? strlen(r->python) : 0);
    }
    (void)sum; /* read, so the fields are touched */
    rm_published_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1; /* one memfd for all inputs, rewritten each time */
    char path[64], err[512];

    if (size == 0)
        return 0;
    if (fd < 0 && (fd = memfd_create("fuzz_readers", 0)) < 0)
        abort();
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data + 1, size - 1, 0) != (ssize_t)(size - 1))
        abort();
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    if (data[0] & 1)
        read_published(path);
    else {
        struct hf_export hf;
        hf_load(path, &hf, err, sizeof err);
        hf_free(&hf);
    }
    return 0;
}
