/* `concbench sweep`: every model over growing N (bench/sweep.c), a table per workload, and one
 * results file for the whole sweep, rewritten after every point. */
#include <stdio.h>

#include "bench/results.h"
#include "bench/sweep.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "cmd/sweep_opts.h"
#include "common/outfile.h"
#include "bench/progress.h"
#include "report/sweep_table.h"

void sweep_usage(FILE *out)
{
    fprintf(out,
            "Usage: concbench sweep [-w WORKLOADS] [-m MODELS] [--tasks-list N,N,...]\n"
            "                       [options]\n"
            "\n"
            "Runs every model at growing N and shows how its cost grows: per N and model, the\n"
            "median wall time, the efficiency against the least time the waits allow, CPU per\n"
            "task and memory per task. Each point is a `run` of its own (a fresh child per\n"
            "repetition, interleaved rounds, every task validated), all in one results file.\n"
            "\n"
            "Options:\n"
            "  -w, --workload LIST    comma-separated (default sleep); each with its own N:\n"
            "                         sleep 10,100,1000,10000,100000,1000000\n"
            "                         io_bound 10,100,1000,10000; cpu_bound 10,100,1000\n"
            "  -m, --models LIST      as for run (default all,green:sched=mn: every model\n"
            "                         built, and green's M:N scheduler; options too:\n"
            "                         green:stack=separate)\n"
            "      --tasks-list LIST  N for every workload, smallest first (1 to 1000000)\n"
            "  -r, --reps N           measured repetitions per point (default 3)\n"
            "      --warmup N         unmeasured repetitions first (default 1)\n"
            "  -j, --workers N        pools of N (default: one task per\n"
            "                         thread/process/coroutine; cpu_bound: one worker per\n"
            "                         CPU)\n"
            "  -p, --param KEY=VALUE  workload parameter, as for run (sleep ms=100 by\n"
            "                         default)\n"
            "  -o, --json FILE        the results file, rewritten after every point (- =\n"
            "                         stdout)\n"
            "      --max-seconds S    leave out a point whose predicted wall time per\n"
            "                         repetition passes S (default 60); the prediction scales\n"
            "                         the model's last point: its least possible time plus\n"
            "                         its overhead x N\n"
            "      --sequential-max-seconds S\n"
            "                         the same for sequential, which waits N times as long\n"
            "                         (default 10: sleep ms=100 stops after N=100)\n"
            "      --timeout SEC      kill a repetition that runs longer (default 300)\n"
            "      --timeline N       tasks kept per case's timeline (default 0: none)\n"
            "  -q, --quiet            no table\n"
            "  -h, --help             this text\n"
            "\n"
            "Where a model stops: at its first point that fails (a limit hit: RLIMIT_NPROC,\n"
            "RLIMIT_NOFILE, vm.max_map_count, memory; a timeout), named in the table and the\n"
            "JSON; its larger N are not tried and the other models go on. Points that would\n"
            "pass kernel.pid_max (a thread or process per task, %d kept for the rest of the\n"
            "machine) or use more than %.0f%% of the available memory are left out before they\n"
            "run, and said so. Everything left out is in the file's \"sweep\" object with why.\n"
            "\n"
            "A point's repetitions stop once one fails or takes longer than its bound.\n"
            "\n"
            "Cost, on the shared 2-core machine this was written on (pid_max 32768, load 4.5\n"
            "to 11): `sweep` (sleep, all models, 10 to 1,000,000) took 1.7 minutes in one\n"
            "run, with processes left out from 10,000 (predicted 102 s a repetition from 10.3\n"
            "s at 1,000), and 7.8 minutes in another, where processes ran at 10,000 at 101 s\n"
            "a repetition (~5 ms of CPU per process; the bound above now stops such a point\n"
            "after its warmup and one repetition); pthreads were left out from 100,000\n"
            "(pid_max), sequential from 100. `sweep -w io_bound` (10 to 10,000) took 3.3\n"
            "minutes, with processes left out from 10,000 (predicted 79 s), and 10.4 minutes\n"
            "in an earlier run without that bound where processes ran there (102 s a\n"
            "repetition).\n"
            "Leave processes out (-m sequential,pthreads,green,evloop) to skip the slowest\n"
            "points. Draw a sweep with concbench plot FILE -o FILE.png.\n"
            "\n"
            "Examples:\n"
            "  concbench sweep -o sweep.json                         # sleep, 10 to 1M\n"
            "  concbench sweep -w io_bound -m evloop,green,pthreads -o io.json\n"
            "  concbench sweep -w sleep -p ms=1 --tasks-list 10,100 -r 1 --warmup 0\n"
            "\n"
            "Exit status: 0 every point that ran validated; 1 a point failed (a limit\n"
            "included) or the sweep was interrupted; 2 bad usage.\n",
            SWEEP_PID_MARGIN, 100 * SWEEP_MEMORY_SHARE);
}

/* What the command does as the sweep goes: a line per point, the progress line, the file. */
struct sweep_watch {
    const struct config *base;
    struct progress progress;
    int write_failed;
};

static void sweep_point_started(void *arg, struct bench *b)
{
    struct sweep_watch *w = arg;

    if (!w->base->quiet) {
        fprintf(stderr, "sweep: %s N=%d:", b->cfg->wls[0].wl->name, b->cfg->tasks);
        for (int i = 0; i < b->cfg->nmodels; i++)
            fprintf(stderr, " %s", b->cfg->models[i].label);
        fputc('\n', stderr);
    }
    progress_init(&w->progress);
    bench_observe(b, &w->progress.observer);
}

static void sweep_point_done(void *arg, const struct rm_file *f)
{
    struct sweep_watch *w = arg;
    const char *path = w->base->json_path;
    char err[1024];

    if (path == NULL || outfile_is_stdout(path) || w->write_failed)
        return;
    if (rm_write(f, path, err, sizeof(err)) != 0) {
        cli_error("sweep", err);
        w->write_failed = 1;
    }
}

int cmd_sweep(int argc, char **argv)
{
    struct sweep_opts o;
    struct sweep_watch w = {0};
    struct sweep_observer obs = {sweep_point_started, sweep_point_done, &w};
    struct rm_file *f;
    const char *path;
    char err[1024];
    int rc = sweep_parse(argc, argv, &o);

    if (rc != 0) {
        config_free(&o.cfg.base);
        return rc == 1 ? 0 : 2;
    }
    path = o.cfg.base.json_path;
    if (path != NULL && results_check_writable(path, err, sizeof(err)) != 0) {
        cli_error("sweep", err);
        config_free(&o.cfg.base);
        return 2;
    }
    w.base = &o.cfg.base;
    rc = sweep_run(&o.cfg, &obs, &f);
    if (path != NULL && (outfile_is_stdout(path) || !w.write_failed) &&
        rm_write(f, path, err, sizeof(err)) != 0) {
        cli_error("sweep", err);
        w.write_failed = 1;
    }
    if (f->interrupted)
        fprintf(stderr, "concbench: interrupted; finished points are kept%s%s\n",
                path ? " in " : "", path ? path : "");
    if (!o.cfg.base.quiet) {
        FILE *out = path != NULL && outfile_is_stdout(path) ? stderr : stdout;
        sweep_table(f, NULL, out);
        sweep_legend(out);
    }
    rm_free(f);
    config_free(&o.cfg.base);
    return rc || w.write_failed;
}
