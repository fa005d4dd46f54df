#ifndef CONCBENCH_COMPARE_OPTS_H
#define CONCBENCH_COMPARE_OPTS_H

/* What `compare` and `history compare` share: their options (--metric, --alpha, --threshold,
 * --format, --fail-on), the text of those options for --help, and the comparison itself with its
 * output and exit status, so both give the same answer the same way. */

#include "bench/compare.h"

enum cmpo_format { CMPO_TEXT, CMPO_MARKDOWN, CMPO_JSON };

/* Exit statuses (also in --help). */
#define CMPO_EXIT_OK         0
#define CMPO_EXIT_INPUT      1
#define CMPO_EXIT_USAGE      2
#define CMPO_EXIT_REGRESSION 3

struct cmpo {
    struct cmp_opts cmp;
    enum cmpo_format format;
    int fail_on_regression; /* 0 with --fail-on none */
};

void cmpo_defaults(struct cmpo *o);
/* Handles one of the shared long options (name without "--"); 1 when it was one, 0 when not
 * ours, -1 after printing why its value is wrong (cmd names the command in the message). */
int cmpo_option(struct cmpo *o, const char *cmd, const char *name, const char *value);
/* The shared options and the exit statuses, for a --help text. */
extern const char cmpo_help[];

/* Compares, prints in the chosen format and returns the exit status. */
int cmpo_compare(const struct cmpo *o, const char *cmd, const struct rm_file *base,
                 const char *base_name, const struct rm_file *head, const char *head_name);

#endif
