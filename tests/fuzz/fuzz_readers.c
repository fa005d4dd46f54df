/* libFuzzer target: the readers of files that come from elsewhere, hyperfine's export
 * (hyperfine_load) and the published figures (published_load, then published_seconds as the
 * reproduction table reads them). The first byte picks the reader; the rest is the file, handed
 * over through a memfd so the readers open it by path as they do in use. */
#define _GNU_SOURCE /* memfd_create */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench/article.h"
#include "bench/results_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_published(const char *path)
{
    static const char *const workloads[] = {"cpu_bound", "io_bound", "sleep", ""};
    char err[512];
    json_t *p = published_load(path, err, sizeof err);

    for (int m = 0; p != NULL && m < REPRO_NMODELS; m++)
        for (size_t w = 0; w < sizeof workloads / sizeof *workloads; w++)
            (void)published_seconds(p, repro_article[m], workloads[w]);
    json_decref(p);
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
    else
        json_decref(hyperfine_load(path, err, sizeof err));
    return 0;
}
