#ifndef CONCBENCH_SOURCE_TREE_H
#define CONCBENCH_SOURCE_TREE_H

#include <stddef.h>

/* Finds a file of the source tree (rel, e.g. "results/published/article_003.json") from
 * $CONCBENCH_ROOT, the binary's folder and its parents, the folder the sources were compiled
 * from, and the current folder. Returns 0 with the path in out, or -1. */
int repro_find_file(const char *rel, char *out, size_t outlen);

#endif
