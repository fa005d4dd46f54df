#include "bench/checkpoint.h"

#include <stdio.h>

#include "common/outfile.h"

static void checkpoint_write(struct checkpoint *c, const struct rm_file *f)
{
    char err[512];

    if (rm_write(f, c->path, err, sizeof(err)) == 0)
        return;
    if (!c->failed)
        fprintf(stderr, "concbench: %s\n", err);
    c->failed = 1;
}

static void checkpoint_case(void *arg, const struct rm_file *f, int case_index)
{
    struct checkpoint *c = arg;

    (void)case_index;
    if (!outfile_is_stdout(c->path)) /* stdout gets one document, at the end */
        checkpoint_write(c, f);
}

static void checkpoint_finished(void *arg, const struct rm_file *f)
{
    checkpoint_write(arg, f);
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
