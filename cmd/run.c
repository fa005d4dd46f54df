/* `concbench run`: the models on the workloads, a table, and the results file. */
#include <stdio.h>

#include "bench/bench.h"
#include "bench/config.h"
#include "bench/results.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "cmd/run_options.h"
#include "cmd/launch_notes.h"
#include "cmd/spawn_notes.h"
#include "common/cpulist.h"
#include "common/outfile.h"
#include "common/term_width.h"
#include "bench/checkpoint.h"
#include "bench/count.h"
#include "report/gantt.h"
#include "report/trace.h"
#include "bench/progress.h"
#include "report/report.h"
#include "report/report_sections.h"

/* --cpus: pins this process before the server starts and any repetition is forked, so the
 * harness, every child and every thread share the mask; warns where it caps a speed-up. */
static int run_pin(const struct config *cfg)
{
    char err[512];

    if (cpulist_pin(cfg->cpus, err, sizeof(err)) != 0) {
        cli_error("run", err);
        return -1;
    }
    for (int i = 0; i < cfg->nmodels; i++)
        if (config_pin_warning(cfg, &cfg->models[i], err, sizeof(err)))
            fprintf(stderr, "concbench run: warning: %s\n", err);
    return 0;
}

/* --count instructions: how they will be counted, or why they cannot be. */
static void run_count_note(void)
{
    char hw[256];
    const char *why = count_unavailable();

    count_hw_probe(hw, sizeof(hw));
    if (why != NULL)
        fprintf(stderr, "concbench run: warning: --count instructions: %s\n", why);
    else
        fprintf(stderr,
                "concbench run: --count instructions: single-thread cases run once more under "
                "valgrind's callgrind after the rounds (perf_event_open: %s)\n",
                hw);
}

int cmd_run(int argc, char **argv)
{
    struct config cfg;
    struct bench b;
    struct progress progress;
    struct checkpoint checkpoint;
    const struct rm_file *f;
    char err[1024];
    int rc = config_parse_run(argc, argv, &cfg);

    if (rc != 0) {
        config_free(&cfg);
        return rc == 1 ? 0 : 2;
    }
    /* every file it will write, before any work */
    if (cli_output("run", cfg.json_path) == CLI_USAGE ||
        cli_output("run", cfg.trace_path) == CLI_USAGE) {
        config_free(&cfg);
        return 2;
    }
    if (cfg.cpus != NULL && run_pin(&cfg) != 0) {
        config_free(&cfg);
        return 2;
    }
    if (cfg.count_instructions)
        run_count_note();
    bench_init(&b, &cfg);
    /* Expected results (and io_bound's server) are prepared before anything is timed. */
    if (bench_prepare(&b, err, sizeof(err)) != 0) {
        cli_error("run", err);
        bench_release(&b);
        bench_free(&b);
        config_free(&cfg);
        return 2;
    }
    progress_init(&progress);
    bench_observe(&b, &progress.observer);
    if (cfg.json_path != NULL) {
        checkpoint_init(&checkpoint, cfg.json_path);
        bench_observe(&b, &checkpoint.observer);
    }
    rc = bench_run(&b);
    f = b.results;
    if (b.error[0] != '\0')
        fprintf(stderr, "concbench run: %s\n", b.error);
    if (b.interrupted)
        fprintf(stderr, "concbench: interrupted; finished repetitions are kept%s%s\n",
                cfg.json_path ? " in " : "", cfg.json_path ? cfg.json_path : "");
    if (cfg.json_path != NULL && checkpoint.failed)
        rc = 1;
    if (!cfg.quiet) {
        FILE *out = outfile_is_stdout(cfg.json_path) ? stderr : stdout; /* -o -: JSON's */
        const struct render_opts ro = {.width = cfg.wide ? 0 : term_width(fileno(out))};
        report_cases(f, &ro, out);
        repro_notes(f, NULL, out);
        if (!b.interrupted)
            spawn_notes(f, out);
        launch_notes(f, out);
        report_legend(&ro, out);
    } else { /* -q drops the table, never the errors and warnings */
        repro_notes(f, NULL, stderr);
    }
    if (cfg.gantt || cfg.trace_path != NULL) {
        struct gantt_style st;
        gantt_style_init(&st, stdout, 0);
        if (cfg.gantt) {
            putchar('\n');
            gantt_report(f, NULL, &st, stdout, err, sizeof(err));
        }
        if (cfg.trace_path != NULL && trace_write(f, NULL, cfg.trace_path, err, sizeof(err))) {
            cli_error("run", err);
            rc = 1;
        }
    }
    bench_release(&b);
    bench_free(&b);
    config_free(&cfg);
    return rc;
}
