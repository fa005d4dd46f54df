#ifndef CONCBENCH_DEMO_STORY_H
#define CONCBENCH_DEMO_STORY_H

#include <stdio.h>

#include "report/render.h"
#include "rmodel/rmodel.h"

/* What each demo scenario showed, in a few sentences from the measured numbers, next to the
 * article's claim (report/demo_story.c). */
void story_await_chain(const struct rm_file *f, const struct render_opts *ro, FILE *out);
void story_gather(const struct rm_file *f, const struct render_opts *ro, FILE *out);
void story_wait_timeout(const struct rm_file *f, const struct render_opts *ro, FILE *out);
void story_executor(const struct rm_file *f, const struct render_opts *ro, FILE *out);
void story_blocking(const struct rm_file *f, const struct render_opts *ro, FILE *out);
void story_cpu_vs_io(const struct rm_file *f, const struct render_opts *ro, FILE *out);

#endif
