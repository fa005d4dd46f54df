/* `concbench compare BASE.json HEAD.json`: did a change make a model faster or slower, for
 * real? Pairs the cases of two results files and gives each pair a verdict (analysis/compare.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/commands.h"
#include "cmd/compare_opts.h"

static void compare_usage(FILE *out)
{
    fprintf(out,
            "Usage: concbench compare BASE.json HEAD.json [options]\n"
            "\n"
            "Compares two results files of `concbench run -o` case by case: base and head\n"
            "median, the change (+12%% (worse), -8%% (better): the same direction for every\n"
            "metric), the two-sided Mann-Whitney U p-value over the repetitions' samples,\n"
            "and a verdict. For CI: run base and head on the same machine, interleaved,\n"
            "with -r 10 or more; on shared runners prefer --metric speedup.\n"
            "\n"
            "Options:\n"
            "%s"
            "\n"
            "Examples:\n"
            "  concbench compare base.json head.json\n"
            "  concbench compare base.json head.json --metric speedup --format markdown \\\n"
            "      >> \"$GITHUB_STEP_SUMMARY\"\n"
            "  concbench compare base.json head.json --threshold 10 --fail-on none\n",
            cmpo_help);
}

int cmd_compare(int argc, char **argv)
{
    static const struct option longopts[] = {
        CMPO_LONGOPTS,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct cmpo o;
    struct rm_file *base, *head;
    struct cli cli;
    int c, first, rc;
    char err[1024];

    cmpo_defaults(&o);
    cli_init(&cli, "compare", argc, argv, "h", longopts);
    while ((c = cli_next(&cli)) != -1) {
        if (c == 'h') {
            compare_usage(stdout);
            return 0;
        }
        if (c == CLI_USAGE || cmpo_option(&o, "compare", c, optarg) != 1)
            return CMPO_EXIT_USAGE;
    }
    first = cli_operands(&cli, 2, 2, "expected two results files, BASE.json HEAD.json");
    if (first == CLI_USAGE)
        return CMPO_EXIT_USAGE;
    base = rm_load(argv[first], err, sizeof(err));
    if (base == NULL) {
        cli_error("compare", err);
        return CMPO_EXIT_INPUT;
    }
    head = rm_load(argv[first + 1], err, sizeof(err));
    if (head == NULL) {
        cli_error("compare", err);
        rm_free(base);
        return CMPO_EXIT_INPUT;
    }
    rc = cmpo_compare(&o, "compare", base, argv[first], head, argv[first + 1]);
    rm_free(base);
    rm_free(head);
    return rc;
}
