/* `concbench system`: what on this machine makes timings noisy, each fact with its value and a
 * hint, like `pyperf system show`. It reads and changes nothing. */
#include <stdio.h>
#include <string.h>

#include "bench/sysfacts.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "report/report_text.h"

static void system_usage(FILE *out)
{
    fputs("Usage: concbench system\n"
          "\n"
          "Shows what on this machine makes benchmark timings noisy, each with its value\n"
          "and a hint: CPU frequency governor and boost, SMT, isolated CPUs, ASLR, load\n"
          "average against the CPU count, the cgroup's CPU quota, the CPUs this process may\n"
          "use, and the limits that bound the scale runs (vm.max_map_count, pid_max, open\n"
          "files). Lines marked '!' probably make timings noisier than they need be.\n"
          "\n"
          "It changes nothing (the hints say how, for those who own the machine). Every\n"
          "results file keeps the same values in context.system, and the CI variables in\n"
          "context.ci, so `concbench compare` can tell when two runs were made differently.\n"
          "\n"
          "Exit status: 0; 2 bad usage.\n",
          out);
}

int cmd_system(int argc, char **argv)
{
    struct sysfact facts[SYSF_MAX];
    const char *keys[32], *values[32];
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct cli cli;
    int n, nci, c, marked = 0;

    cli_init(&cli, "system", argc, argv, "h", longopts);
    while ((c = cli_next(&cli)) != -1) {
        if (c != 'h')
            return 2; /* CLI_USAGE: said */
        system_usage(stdout);
        return 0;
    }
    if (cli_operands(&cli, 0, 0, "") == CLI_USAGE)
        return 2;
    n = sysf_read(facts);
    for (int i = 0; i < n; i++) {
        printf("%c %-28s %s\n", facts[i].attention ? '!' : ' ', facts[i].label, facts[i].value);
        text_print_wrapped(stdout, facts[i].hint, "      ", "      ");
        marked += facts[i].attention;
    }
    nci = sysf_ci(keys, values, 32);
    printf("\nCI: %s\n", nci > 0 ? "" : "none detected (no CI, GITHUB_SHA, CI_COMMIT_SHA...)");
    for (int i = 0; i < nci; i++)
        printf("  %s=%s\n", keys[i], values[i]);
    printf("\n%d of %d facts marked '!'. Whatever the machine, compare models within one run, "
           "as ratios (--metric speedup in compare).\n",
           marked, n);
    return 0;
}
