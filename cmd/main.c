/* concbench: one program, subcommands, dispatched from one table. */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <uv.h>

#include "cmd/commands.h"
#include "common/limits.h"
#include "common/suggest.h"

const struct command commands[] = {
    {"run", "run a workload under the models and print a table (and JSON)", cmd_run},
    {"list", "the models and workloads, with their options and defaults", cmd_list},
    {"reproduce",
     "the article's experiment: cpu_bound and io_bound, all models,\n"
     "next to its published figures (--with-python: Python too)",
     cmd_reproduce},
    {"report", "the tables of a results file (and hyperfine's, side by side)", cmd_report},
    {"plot", "a results file as a PNG or SVG chart (gnuplot)", cmd_plot},
    {"compare", "two results files case by case: ratio, p-value, verdict", cmd_compare},
    {"export", "a results file for github-action-benchmark or Bencher", cmd_export},
    {"history", "results kept in SQLite: add, list, show, compare runs", cmd_history},
    {"system", "what on this machine makes timings noisy, with hints", cmd_system},
    {"trace", "a results file's task timelines for Perfetto / chrome://tracing", cmd_trace},
    {"demo", "the articles' examples, live: timelines and what they show", cmd_demo},
    {"serve", "the embedded latency HTTP server used by io_bound", cmd_serve},
    {"switchcost", "an alias of primitives --only green_switch,swapcontext", cmd_switchcost},
    {"primitives", "ns per spawn, switch and timer of each model next to the raw calls",
     cmd_primitives},
    {"sweep", "every model at N = 10 to 1,000,000: how time and memory grow", cmd_sweep},
    {NULL, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out, "Usage: concbench COMMAND [options]\n"
                 "\n"
                 "Runs the same workloads under five execution models - sequential, pthreads,\n"
                 "fork-based processes, green threads and a libuv event loop - and compares what\n"
                 "each costs on this machine: wall time, CPU time, memory, context switches.\n"
                 "\n"
                 "Commands:\n");
    for (const struct command *c = commands; c->name != NULL; c++) {
        const char *nl = strchr(c->summary, '\n');
        if (nl == NULL)
            fprintf(out, "  %-11s %s\n", c->name, c->summary);
        else
            fprintf(out, "  %-11s %.*s\n  %-11s %s\n", c->name, (int)(nl - c->summary), c->summary,
                    "", nl + 1);
    }
    fprintf(out, "\n"
                 "  concbench COMMAND --help   options of one command\n"
                 "  concbench --version\n"
                 "\n"
                 "Start with:  concbench run            (the article's cpu_bound, all models)\n"
                 "             concbench run -w sleep   (pure waiting: everything overlaps)\n");
}

static void unknown_command(const char *name)
{
    struct suggest s;
    char near[96];

    suggest_init(&s, name);
    fprintf(stderr, "concbench: unknown command '%s' (valid:", name);
    for (const struct command *c = commands; c->name != NULL; c++) {
        fprintf(stderr, "%s %s", c == commands ? "" : ",", c->name);
        suggest_offer(&s, c->name);
    }
    fprintf(stderr, "; see concbench --help)%s\n", suggest_text(&s, "", near, sizeof(near)));
}

/* The open files concbench needs to start at all (a pipe and a loop's descriptors, below). */
#define MIN_OPEN_FILES 8

/* libuv's first loop opens a pipe for its signal handling and aborts the process when it cannot
 * (libuv 1.44: uv__signal_global_init). Made now, while descriptors are free, the pipe exists
 * before a command can run short of them, so a lack of descriptors later is an error that names
 * the limit (`serve` under ulimit -n 6 and 7 aborted, silently). */
static int libuv_global_init(void)
{
    struct rlimit rl;
    uv_loop_t loop;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < MIN_OPEN_FILES) {
        fprintf(stderr,
                "concbench: too few open files allowed: RLIMIT_NOFILE=%llu (ulimit -n); "
                "concbench needs at least %d\n",
                (unsigned long long)rl.rlim_cur, MIN_OPEN_FILES);
        return -1;
    }
    int rc = uv_loop_init(&loop);
    if (rc != 0) {
        char why[256];
        fprintf(stderr, "concbench: libuv failed to initialise: %s\n",
                limits_explain(-rc, uv_strerror(rc), why, sizeof why));
        return -1;
    }
    uv_loop_close(&loop);
    return 0;
}

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : NULL;

    if (name == NULL) {
        usage(stderr);
        return 2;
    }
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf("concbench %s (%s build)\n", CONCBENCH_VERSION, CONCBENCH_BUILD_TYPE);
        return 0;
    }
    for (const struct command *c = commands; c->name != NULL; c++) {
        if (strcmp(name, c->name) != 0)
            continue;
        if (libuv_global_init() != 0)
            return 1;
        /* Before any thread or fork: libcurl's global state must exist once, up front. */
        if (curl_global_init(CURL_GLOBAL_ALL) != CURLE_OK) {
            fprintf(stderr, "concbench: libcurl failed to initialise\n");
            return 1;
        }
        return c->run(argc - 1, argv + 1);
    }
    unknown_command(name);
    return 2;
}
