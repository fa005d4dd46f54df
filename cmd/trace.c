/* `concbench trace RESULTS.json -o TRACE.json [-w WORKLOAD]`: the task timelines of a results
 * file as a Chrome trace-event file for Perfetto or chrome://tracing. */
#include <stdio.h>

#include "cmd/cli.h"
#include "cmd/commands.h"
#include "report/trace.h"

static void trace_usage(FILE *out)
{
    fprintf(out,
            "Usage: concbench trace RESULTS.json -o TRACE.json [-w WORKLOAD]\n"
            "\n"
            "Writes the task timelines of a results file (`run -o`, `reproduce -o`) as Chrome\n"
            "trace-event JSON. Open it at https://ui.perfetto.dev (Open trace file) or in\n"
            "chrome://tracing: one process per case (\"io_bound · evloop\"), one track per task\n"
            "with its steps nested in it (compute or wait), the worker that ran it in its\n"
            "arguments, and an \"in flight\" counter of the tasks running. Times in\n"
            "microseconds from each case's first task start; the timeline is the case's last\n"
            "repetition.\n"
            "\n"
            "Options:\n"
            "  -o, --output FILE      where to write the trace (required)\n"
            "  -w, --workload WL      only the cases of this workload\n"
            "  -h, --help             this text\n"
            "\n"
            "`concbench run --trace FILE` writes the same straight from a run.\n"
            "Exit status: 0 written; 1 a file could not be read or written; 2 bad usage.\n");
}

int cmd_trace(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"workload", required_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *workload = NULL;
    struct rm_file *f;
    char err[1024];
    int c, rc = 0, first;
    struct cli cli;

    cli_init(&cli, "trace", argc, argv, "o:w:h", longopts);
    while ((c = cli_next(&cli)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            if (cli_output("trace", out) == CLI_USAGE)
                return 2;
            break;
        case 'w':
            workload = optarg;
            break;
        case 'h':
            trace_usage(stdout);
            return 0;
        default: /* CLI_USAGE: said */
            return 2;
        }
    }
    first =
        cli_operands(&cli, 1, 1, "which results file? (concbench trace RESULTS.json -o T.json)");
    if (first == CLI_USAGE)
        return 2;
    if (out == NULL) {
        fprintf(stderr, "concbench trace: where to? -o TRACE.json is required (see concbench "
                        "trace --help)\n");
        return 2;
    }
    f = rm_load(argv[first], err, sizeof(err));
    if (f == NULL) {
        cli_error("trace", err);
        return 1;
    }
    if (workload != NULL && !rm_has_workload(f, NULL, workload)) {
        char msg[1024];
        snprintf(msg, sizeof(msg), "no case of workload '%s' in %s", workload, argv[first]);
        cli_error("trace", msg);
        rc = 1;
    } else if (trace_write(f, workload, out, err, sizeof(err)) != 0) {
        cli_error("trace", err);
        rc = 1;
    }
    rm_free(f);
    return rc;
}
