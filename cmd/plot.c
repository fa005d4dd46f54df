/* `concbench plot RESULTS.json -o FILE.png|FILE.svg [--timeline WORKLOAD]`: options; the
 * drawing is report/plot.c's. */
#include <stdio.h>

#include "rmodel/article.h"
#include "common/outfile.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "report/plot.h"

static void plot_usage(FILE *out)
{
    fprintf(out,
            "Usage: concbench plot RESULTS.json -o FILE.png|FILE.svg [--timeline WORKLOAD]\n"
            "                      [--slides]\n"
            "\n"
            "Draws a results file with gnuplot.\n"
            "\n"
            "  default          grouped bars: per model, the speedup against sequential for\n"
            "                   cpu_bound and io_bound; C next to the article's published\n"
            "                   figures and our Python variants when the file has them\n"
            "                   (concbench reproduce --with-python). Ratios, not seconds, so\n"
            "                   that different machines compare.\n"
            "  --timeline WL    one bar per task from its start to its end, one panel per\n"
            "                   model, for workload WL (cpu_bound, io_bound, sleep, ...): the\n"
            "                   last repetition's timeline, on one time axis for every panel\n"
            "\n"
            "Options:\n"
            "  -o, --output FILE   the picture; .png or .svg decides the format\n"
            "      --timeline WL   the task timeline of one workload instead of the bars\n"
            "      --slides        for a projector: 1920x1080, every text 28 px or more,\n"
            "                      titles broken into lines that fit; timelines colour\n"
            "                      each step by what the task did (compute, waiting,\n"
            "                      runnable before its start) in Okabe-Ito colours,\n"
            "                      which colour-blind readers tell apart\n"
            "      --published F   the article's figures (default: those embedded by\n"
            "                      reproduce, else %s)\n"
            "      --keep          keep the gnuplot script and data (their folder is printed)\n"
            "  -h, --help          this text\n"
            "\n"
            "Needs gnuplot on PATH (Debian: apt-get install gnuplot-nox).\n"
            "Exit status: 0 drawn; 1 unreadable input, gnuplot missing or failing; 2 bad\n"
            "usage.\n",
            PUBLISHED_REL_PATH);
}

int cmd_plot(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"timeline", required_argument, NULL, 't'},
        {"published", required_argument, NULL, 'P'},
        {"keep", no_argument, NULL, 'k'},
        {"slides", no_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *output = NULL, *timeline = NULL, *published_path = NULL, *path;
    char err[1024];
    int keep = 0, slides = 0, c, first;
    struct cli cli;

    cli_init(&cli, "plot", argc, argv, "o:h", longopts);
    while ((c = cli_next(&cli)) != -1) {
        switch (c) {
        case 'o':
            output = optarg;
            break;
        case 't':
            timeline = optarg;
            break;
        case 'P':
            published_path = optarg;
            break;
        case 'k':
            keep = 1;
            break;
        case 's':
            slides = 1;
            break;
        case 'h':
            plot_usage(stdout);
            return 0;
        default: /* CLI_USAGE: said */
            return 2;
        }
    }
    first =
        cli_operands(&cli, 1, 1, "which results file? (concbench plot RESULTS.json -o FILE.png)");
    if (first == CLI_USAGE)
        return 2;
    path = argv[first];
    if (output == NULL) {
        fprintf(stderr, "concbench plot: where to? give -o FILE.png or -o FILE.svg\n");
        return 2;
    }
    if (!plot_output_ok(output)) {
        fprintf(stderr, "concbench plot: %s: the output must end in .png or .svg\n", output);
        return 2;
    }
    if (outfile_check(output, err, sizeof(err)) != 0) {
        cli_error("plot", err);
        return 2;
    }
    return plot_render(path, output, timeline, published_path, keep, slides);
}
