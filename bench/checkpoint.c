#include "bench/checkpoint.h"

#include <stdio.h>

#include "bench/results.h"
#include "common/outfile.h"

static void checkpoint_write(struct checkpoint *c, struct bench *b)
{
    char err[512];

    if (results_write(b, c->path, err, sizeof(err)) == 0)
        return;
    if (!c->failed)
        fprintf(stderr, "concbench: %s\n", err);
    c->failed = 1;
}

static void checkpoint_case(void *arg, struct bench *b, int case_index)
{
    struct checkpoint *c = arg;

    (void)case_index;
    if (!outfile_is_stdout(c->path)) /* stdout gets one document, at the end */
        checkpoint_write(c, b);
}

static void checkpoint_finished(void *arg, struct bench *b)
{
    checkpoint_write(arg, b);
}

void checkpoint_init(struct checkpoint *c, const char *path)
{
    *c = (struct checkpoint){
        .path = path,
        .observer = {.case_updated = checkpoint_case,
                     .run_finished = checkpoint_finished,
                     .arg = c},
    };
}
