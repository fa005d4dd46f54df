/* `concbench list`: what can be run, with every option, its default and its range. */
#include <stdio.h>

#include "cmd/cli.h"
#include "cmd/commands.h"
#include "runners/runner.h"
#include "workloads/workload.h"

static void print_specs(const struct param_spec *specs, const char *indent)
{
    if (specs == NULL || specs->key == NULL) {
        printf("%s(no options)\n", indent);
        return;
    }
    for (const struct param_spec *s = specs; s->key != NULL; s++) {
        char range[96];
        if (s->type == PARAM_INT)
            snprintf(range, sizeof(range), "%lld..%lld", s->min, s->max);
        else if (s->type == PARAM_CHOICE)
            snprintf(range, sizeof(range), "%s", s->choices);
        else
            snprintf(range, sizeof(range), "text");
        printf("%s%-12s default %-8s %s%s%s\n%s    %s\n", indent, s->key, s->def ? s->def : "-",
               range, s->repeatable == PARAM_REPEATABLE ? ", repeatable" : "",
               s->repeatable == PARAM_PER_POSITION ? ", also KEY.N= for position N" : "", indent,
               s->help);
    }
}

int cmd_list(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct cli cli;
    int c;

    cli_init(&cli, "list", argc, argv, "h", longopts);
    while ((c = cli_next(&cli)) != -1) {
        if (c != 'h')
            return 2; /* CLI_USAGE: said */
        printf("Usage: concbench list\n\nLists the models (-m) with their options "
               "(-m model:key=value)\nand the workloads (-w) with their parameters "
               "(-p key=value).\n");
        return 0;
    }
    if (cli_operands(&cli, 0, 0, "") == CLI_USAGE)
        return 2;
    printf("Models (-m NAME[:KEY=VALUE...], comma-separated, or all):\n");
    for (int i = 0; runners[i] != NULL; i++) {
        printf("  %-11s %s\n", runners[i]->name, runners[i]->summary);
        print_specs(runners[i]->options, "      ");
    }
    for (int i = 0; runners_missing[i].name != NULL; i++)
        printf("  (%s is not in this build: %s)\n", runners_missing[i].name,
               runners_missing[i].why);
    printf("\nWorkloads (-w NAME, parameters -p KEY=VALUE):\n");
    for (int i = 0; workloads[i] != NULL; i++) {
        printf("  %-11s %s\n", workloads[i]->name, workloads[i]->summary);
        print_specs(workloads[i]->params, "      ");
    }
    printf("\n-j/--workers N turns one-per-task models into pools of N (threads, processes,\n"
           "coroutines; for evloop the size of libuv's thread pool).\n");
    return 0;
}
