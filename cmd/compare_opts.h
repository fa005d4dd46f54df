#ifndef CONCBENCH_COMPARE_OPTS_H
#define CONCBENCH_COMPARE_OPTS_H

/* What `compare` and `history compare` share: their options (--metric, --alpha, --threshold,
 * --format, --fail-on), the text of those options for --help, and the comparison itself with its
 * output and exit status, so both give the same answer the same way. */

#include "analysis/compare.h"

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

/* The shared long options, for a command's getopt table (values above any character). */
enum {
    CMPO_OPT_METRIC = 0x100,
    CMPO_OPT_ALPHA,
    CMPO_OPT_THRESHOLD,
    CMPO_OPT_FORMAT,
    CMPO_OPT_FAIL_ON
};
#define CMPO_LONGOPTS                                                                              \
    {"metric", required_argument, NULL, CMPO_OPT_METRIC},                                          \
        {"alpha", required_argument, NULL, CMPO_OPT_ALPHA},                                        \
        {"threshold", required_argument, NULL, CMPO_OPT_THRESHOLD},                                \
        {"format", required_argument, NULL, CMPO_OPT_FORMAT},                                      \
    {                                                                                              \
        "fail-on", required_argument, NULL, CMPO_OPT_FAIL_ON                                       \
    }

void cmpo_defaults(struct cmpo *o);
/* Handles one of the shared options (opt as getopt returned it); 1 when it was one, 0 when not
 * ours, -1 after printing why its value is wrong (cmd names the command in the message). */
int cmpo_option(struct cmpo *o, const char *cmd, int opt, const char *value);
/* The shared options and the exit statuses, for a --help text. */
extern const char cmpo_help[];

/* Compares, prints in the chosen format and returns the exit status. */
int cmpo_compare(const struct cmpo *o, const char *cmd, const struct rm_file *base,
                 const char *base_name, const struct rm_file *head, const char *head_name);

#endif
