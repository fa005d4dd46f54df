#include "cmd/cli.h"

#include <stdio.h>
#include <string.h>

void cli_init(struct cli *c, const char *cmd, int argc, char **argv, const char *shortopts,
              const struct option *longopts)
{
    *c = (struct cli){cmd, argc, argv, shortopts, longopts};
    optind = 1;
    opterr = 0;
}

int cli_next(struct cli *c)
{
    char shortopts[128];
    int opt;

    snprintf(shortopts, sizeof(shortopts), ":%s", c->shortopts);
    opt = getopt_long(c->argc, c->argv, shortopts, c->longopts, NULL);
    if (opt == ':') {
        fprintf(stderr, "concbench %s: %s needs a value (see concbench %s --help)\n", c->cmd,
                c->argv[optind - 1], c->cmd);
        return CLI_USAGE;
    }
    if (opt == '?') {
        fprintf(stderr, "concbench %s: unknown option '%s' (see concbench %s --help)\n", c->cmd,
                c->argv[optind - 1], c->cmd);
        return CLI_USAGE;
    }
    return opt;
}

int cli_operands(struct cli *c, int min, int max, const char *missing)
{
    int n = c->argc - optind;

    if (n < min) {
        fprintf(stderr, "concbench %s: %s (see concbench %s --help)\n", c->cmd, missing, c->cmd);
        return CLI_USAGE;
    }
    if (n > max) {
        fprintf(stderr, "concbench %s: unexpected argument '%s' (see concbench %s --help)\n",
                c->cmd, c->argv[optind + max], c->cmd);
        return CLI_USAGE;
    }
    return optind;
}
