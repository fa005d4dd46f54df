#ifndef CONCBENCH_COMPARE_INTERNAL_H
#define CONCBENCH_COMPARE_INTERNAL_H

/* What the files of compare share. */

#include "analysis/compare.h"

/* Fills a row's medians, ratio, p and verdict from two cases with the same key. */
void cmpi_pair(const struct rm_file *bf, const struct rm_case *b, const struct rm_file *hf,
               const struct rm_case *h, const struct cmp_opts *o, struct cmp_row *row);

#endif
