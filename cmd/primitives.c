/* `concbench primitives`: what each model's building blocks cost on this machine (spawn a
 * no-op task, switch between two tasks, arm and fire a timer), next to the raw calls, in one
 * run (bench/primitives.h); a table (report/prim_table.h) and, with -o, a results file. And
 * `concbench switchcost`, its alias for the two context switches. */
#include <stdio.h>
#include <string.h>

#include "bench/primitives.h"
#include "bench/results.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "report/prim_table.h"
#include "report/report_text.h"
#include "runners/primitives/primitives.h"

static void prim_help(void)
{
    fputs("Usage: concbench primitives [--runs N] [--target-ms MS] [--only NAME,...]\n"
          "                            [-o FILE] [-q]\n"
          "\n"
          "Times the building blocks of the models one at a time, next to the raw calls\n"
          "they rest on: spawning and joining a task that does nothing, handing control\n"
          "from one task to another, arming the shortest timer and waiting for it. Each is\n"
          "calibrated to about --target-ms per run, then timed --runs times; the table\n"
          "shows the median ns per operation and half its 95% interval.\n"
          "\n"
          "pthreads_task and processes_task are the models' own spawn path: the pthreads\n"
          "and processes runners, unchanged, running tasks that do nothing (the noop\n"
          "workload), 10 per call as `run -n 10` does, records checked. Each is timed\n"
          "with the same shape without the runner (pthread_spawn10, fork_spawn10: ten\n"
          "created, then ten joined), which --only brings along, their runs alternating;\n"
          "its row shows the ratios of their medians, wall time and CPU time (user +\n"
          "system, children's too; steadier on a busy machine): what the runner adds per\n"
          "task. pthread_spawn and fork_spawn, one at a time, show what having ten alive\n"
          "at once costs on top. Every measurement runs in a fresh child process, as\n"
          "`run` starts every repetition (see the README, Spawn cost).\n"
          "\n"
          "mn_wake and mn_steal are green:sched=mn's own costs, on two workers: a\n"
          "coroutine woken by one on the other worker and waking it back (a round trip,\n"
          "timed with futex_wake, two threads doing the same through a futex), and the\n"
          "time from a push on a busy worker's deque until the idle worker has stolen\n"
          "the coroutine and runs it.\n"
          "\n"
          "mpi_spawn is the mpi model's launch: mpirun starting ten ranks that do nothing\n"
          "but MPI_Init and MPI_Finalize, per rank, next to exec_spawn10 (the same program\n"
          "started ten times by fork + exec, no MPI): what mpirun and MPI_Init add to\n"
          "starting processes. It takes seconds, so only --only runs it (as run's -m all\n"
          "leaves mpi out); a build without Open MPI skips it with a line on stderr.\n"
          "\n"
          "Options:\n"
          "      --runs N        timed runs per primitive, 2..100 (default 5)\n"
          "      --target-ms MS  length of one run, 1..10000 (default 100)\n"
          "      --only LIST     comma-separated primitive names (default all below but\n"
          "                      exec_spawn10 and mpi_spawn)\n"
          "  -o, --json FILE     write the results file (one case per primitive:\n"
          "                      implementation \"c\", workload \"primitive:NAME\",\n"
          "                      wall_s = seconds per operation)\n"
          "  -q, --quiet         no table\n"
          "  -h, --help          this text\n"
          "\n"
          "Primitives (group, the model they belong to, what one operation is):\n",
          stdout);
    for (const struct prim *p = prims; p->name != NULL; p++) {
        char first[64];
        snprintf(first, sizeof first, "  %-21s %-6s %-9s ", p->name, p->group, p->model);
        text_print_wrapped_at(stdout, p->what, first, "                                         ",
                              80);
    }
    fputs("\nA primitive this build does not have (green_yield_copy under a sanitizer) is\n"
          "skipped with a line on stderr.\n"
          "\nExit status: 0 every primitive measured or skipped, 1 some failed, 2 bad usage.\n",
          stdout);
}

static int prim_unknown(const char *name)
{
    fprintf(stderr,
            "concbench primitives: unknown primitive '%s' in --only (valid primitives:", name);
    for (const struct prim *p = prims; p->name != NULL; p++)
        fprintf(stderr, " %s", p->name);
    fputs(")\n", stderr);
    return CLI_USAGE;
}

struct prim_cmd {
    struct primrun_opts run;
    int quiet;
    const char *json_path;
};

/* 0 to go on, 1 after --help, CLI_USAGE on bad usage (said). */
static int prim_parse(int argc, char **argv, struct prim_cmd *o)
{
    static const struct option longs[] = {
        {"runs", required_argument, NULL, 'r'},
        {"target-ms", required_argument, NULL, 't'},
        {"only", required_argument, NULL, 'O'},
        {"json", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    const struct cli_number numbers[] = {
        {'r', "--runs", 2, PRIMRUN_MAX_RUNS, NULL, &o->run.runs},
        {'t', "--target-ms", 1, 10000, NULL, &o->run.target_ms},
        {0},
    };
    struct cli cli;
    char bad[128];
    int c, rc;

    *o = (struct prim_cmd){0};
    primrun_defaults(&o->run);
    cli_init(&cli, "primitives", argc, argv, "o:qh", longs);
    while ((c = cli_next(&cli)) != -1) {
        if (c == CLI_USAGE || (rc = cli_number_option(&cli, numbers, c)) == CLI_USAGE)
            return CLI_USAGE;
        if (rc == 1)
            continue;
        if (c == 'h') {
            prim_help();
            return 1;
        } else if (c == 'O' && primrun_select(&o->run, optarg, bad, sizeof(bad)) != 0) {
            return prim_unknown(bad);
        } else if (c == 'o') {
            o->json_path = optarg;
        } else if (c == 'q') {
            o->quiet = 1;
        }
    }
    return cli_operands(&cli, 0, 0, "") == CLI_USAGE ? CLI_USAGE : 0;
}

/* The observer: a row as each case is filed, a line on stderr for one failed or skipped. */
static void prim_filed(void *arg, const struct rm_file *f, const struct rm_case *c)
{
    const struct prim_cmd *o = arg;

    if (!rm_valid(c))
        fprintf(stderr, "concbench primitives: %s: %s\n", c->label,
                c->errors.n > 0 ? c->errors.v[0] : "failed");
    else if (!o->quiet)
        ptable_row(f, c, stdout);
    fflush(stdout);
}

static void prim_skipped(void *arg, const char *name, const char *why)
{
    (void)arg;
    fprintf(stderr, "concbench primitives: %s: skipped: %s\n", name, why);
}

int cmd_primitives(int argc, char **argv)
{
    struct prim_cmd o;
    struct primrun_observer obs = {prim_filed, prim_skipped, &o};
    struct rm_file *f;
    char err[256];
    int rc = prim_parse(argc, argv, &o), failed;

    if (rc != 0)
        return rc == 1 ? 0 : 2;
    if (o.json_path != NULL && results_check_writable(o.json_path, err, sizeof(err)) != 0) {
        cli_error("primitives", err);
        return 2;
    }
    if (!o.quiet)
        ptable_header(stdout);
    f = primrun(&o.run, &obs, &failed);
    if (o.json_path != NULL && rm_write(f, o.json_path, err, sizeof(err)) != 0) {
        cli_error("primitives", err);
        failed = 1;
    }
    rm_free(f);
    return failed;
}

/* `concbench switchcost [OPTIONS]` is `concbench primitives --only green_switch,swapcontext
 * [OPTIONS]`, said on stderr. */
int cmd_switchcost(int argc, char **argv)
{
    char *args[argc + 3];

    fprintf(stderr, "concbench switchcost: an alias of primitives --only "
                    "green_switch,swapcontext\n");
    args[0] = "primitives";
    args[1] = "--only";
    args[2] = "green_switch,swapcontext";
    for (int i = 1; i < argc; i++)
        args[i + 2] = argv[i];
    args[argc + 2] = NULL;
    return cmd_primitives(argc + 2, args);
}
