/* concbench: one program, subcommands. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/bench.h"
#include "harness/commands.h"
#include "harness/config.h"
#include "harness/report.h"
#include "harness/results.h"
#include "runners/green/switch_cost.h"
#include "server/server.h"

static void usage(FILE *out)
{
    fprintf(out, "Usage: concbench COMMAND [options]\n"
                 "\n"
                 "Runs the same workloads under five execution models - sequential, pthreads,\n"
                 "fork-based processes, green threads and a libuv event loop - and compares what\n"
                 "each costs on this machine: wall time, CPU time, memory, context switches.\n"
                 "\n"
                 "Commands:\n"
                 "  run         run a workload under the models and print a table (and JSON)\n"
                 "  list        the models and workloads, with their options and defaults\n"
                 "  reproduce   the article's experiment: cpu_bound and io_bound, all models,\n"
                 "              next to its published figures (--with-python: Python too)\n"
                 "  report      the tables of a results file (and hyperfine's, side by side)\n"
                 "  plot        a results file as a PNG or SVG chart (gnuplot)\n"
                 "  serve       the embedded latency HTTP server used by io_bound\n"
                 "  switchcost  the cost of one green-thread context switch vs swapcontext\n"
                 "\n"
                 "  concbench COMMAND --help   options of one command\n"
                 "  concbench --version\n"
                 "\n"
                 "Start with:  concbench run            (the article's cpu_bound, all models)\n"
                 "             concbench run -w sleep   (pure waiting: everything overlaps)\n");
}

static int cmd_run(int argc, char **argv)
{
    struct config cfg;
    struct bench b = {0};
    char err[1024];
    int rc = config_parse_run(argc, argv, &cfg);

    if (rc != 0) {
        config_free(&cfg);
        return rc == 1 ? 0 : 2;
    }
    if (cfg.json_path != NULL && results_check_writable(cfg.json_path, err, sizeof(err)) != 0) {
        fprintf(stderr, "concbench run: %s\n", err);
        config_free(&cfg);
        return 2;
    }
    b.cfg = &cfg;
    b.context = context_json();
    /* Expected results (and io_bound's server) are prepared before anything is timed. */
    if (bench_prepare(&b, err, sizeof(err)) != 0) {
        fprintf(stderr, "concbench run: %s\n", err);
        bench_release(&b);
        json_decref(b.context);
        config_free(&cfg);
        return 2;
    }
    rc = bench_run(&b);
    if (!cfg.quiet)
        report_table(&b, stdout);
    bench_release(&b);
    bench_free(&b);
    json_decref(b.context);
    config_free(&cfg);
    return rc;
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;

    if (cmd == NULL) {
        usage(stderr);
        return 2;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("concbench %s (%s build)\n", CONCBENCH_VERSION, CONCBENCH_BUILD_TYPE);
        return 0;
    }
    /* Before any thread or fork: libcurl's global state must exist once, up front. */
    if (curl_global_init(CURL_GLOBAL_ALL) != CURLE_OK) {
        fprintf(stderr, "concbench: libcurl failed to initialise\n");
        return 1;
    }
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "list") == 0)
        return cmd_list(argc - 1, argv + 1);
    if (strcmp(cmd, "reproduce") == 0)
        return cmd_reproduce(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc - 1, argv + 1);
    if (strcmp(cmd, "plot") == 0)
        return cmd_plot(argc - 1, argv + 1);
    if (strcmp(cmd, "serve") == 0)
        return serve_main(argc - 1, argv + 1);
    if (strcmp(cmd, "switchcost") == 0)
        return switchcost_main(argc - 1, argv + 1);
    fprintf(stderr,
            "concbench: unknown command '%s' (valid: run, list, reproduce, report, plot, serve, "
            "switchcost; see "
            "concbench --help)\n",
            cmd);
    return 2;
}
