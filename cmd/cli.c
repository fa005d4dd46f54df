#include "cmd/cli.h"

#include "common/outfile.h"
#include "common/params.h"
#include "common/termsafe.h"
#include "common/suggest.h"

#include <stdio.h>
#include <string.h>

void cli_init(struct cli *c, const char *cmd, int argc, char **argv, const char *shortopts,
              const struct option *longopts)
{
    *c = (struct cli){cmd, argc, argv, shortopts, longopts};
    optind = 1;
    opterr = 0;
}

/* "; did you mean --wide?" for a misspelt long option ("--wdie", "--wdie=1"), else "". */
static const char *near_option(const struct cli *c, const char *arg, char *buf, size_t len)
{
    char word[64];
    struct suggest s;

    buf[0] = '\0';
    if (strncmp(arg, "--", 2) != 0 || c->longopts == NULL)
        return buf;
    snprintf(word, sizeof word, "%.*s", (int)strcspn(arg + 2, "="), arg + 2);
    suggest_init(&s, word);
    for (const struct option *o = c->longopts; o->name != NULL; o++)
        suggest_offer(&s, o->name);
    return suggest_text(&s, "--", buf, len);
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
        char near[96];
        fprintf(stderr, "concbench %s: unknown option '%s' (see concbench %s --help)%s\n", c->cmd,
                c->argv[optind - 1], c->cmd,
                near_option(c, c->argv[optind - 1], near, sizeof near));
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

int cli_number_option(const struct cli *c, const struct cli_number *table, int opt)
{
    long long v;

    for (const struct cli_number *n = table; n->opt != 0; n++) {
        if (n->opt != opt)
            continue;
        if (parse_ll(optarg, n->min, n->max, &v) != 0) {
            char expected[96];

            parse_ll_expected(optarg, n->min, n->max, expected, sizeof expected);
            fprintf(stderr, "concbench %s: %s '%s': %s\n", c->cmd, n->flag, optarg, expected);
            return CLI_USAGE;
        }
        if (n->ll != NULL)
            *n->ll = v;
        else
            *n->i = (int)v;
        return 1;
    }
    return 0;
}

int cli_append(const struct cli *c, const char *flag, const char **list, int *n, int max)
{
    if (*n >= max) {
        fprintf(stderr, "concbench %s: too many %s (at most %d)\n", c->cmd, flag, max);
        return CLI_USAGE;
    }
    list[(*n)++] = optarg;
    return 1;
}

int cli_output(const char *cmd, const char *path)
{
    char err[1024];

    if (path == NULL || outfile_check(path, err, sizeof(err)) == 0)
        return 0;
    cli_error(cmd, err);
    return CLI_USAGE;
}

void cli_error(const char *cmd, const char *msg)
{
    char safe[TERM_SAFE_GROWTH * 1024 + 1];

    fprintf(stderr, "concbench %s: %s\n", cmd, term_safe(msg, 0, safe, sizeof(safe)));
}
