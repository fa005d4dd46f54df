/* `concbench export FILE --format gab|gab-speedup|bmf [-o OUT]`: a results file for
 * github-action-benchmark or Bencher (report/export.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/commands.h"
#include "report/export.h"

static void export_usage(FILE *out)
{
    fputs("Usage: concbench export RESULTS.json --format FORMAT [-o OUT]\n"
          "\n"
          "Writes a results file in the format of a performance tracker, one benchmark per case,\n"
          "named by its stable key workload/label/n=TASKS/w=WORKERS/sorted params (the same\n"
          "across runs, so the tracker's history lines up).\n"
          "\n"
          "Formats:\n"
          "  gab          github-action-benchmark with tool: customSmallerIsBetter:\n"
          "               [{name, unit \"s\", value: median wall seconds, range: \"± half the 95%\n"
          "               interval\", extra: reps, stddev, speedup, validity}]\n"
          "  gab-speedup  the same for tool: customBiggerIsBetter, value: the speed-up over\n"
          "               sequential (unit \"x\"; cases without a sequential case are left out)\n"
          "  bmf          Bencher Metric Format (bencher run --adapter json): {name: {latency:\n"
          "               {value, lower_value, upper_value} in ns, speedup (x), max-rss (KiB)}};\n"
          "               bounds are the 95% interval clamped to the samples' [min, max]\n"
          "\n"
          "Options:\n"
          "  -f, --format FORMAT   gab, gab-speedup or bmf\n"
          "  -o, --output FILE     write there (default: standard output)\n"
          "  -h, --help            this text\n"
          "\n"
          "Invalid cases (a wrong result, an error, no repetition) are left out: a tracker must\n"
          "not chart a wrong program's time. Each is named on standard error.\n"
          "\n"
          "Exit status: 0 every case exported; 1 the file cannot be read, or a case was left out\n"
          "as invalid (the others are still written); 2 bad usage.\n",
          out);
}

/* Writes doc to path (or stdout); 0 or 1 after a message. */
static int export_write(json_t *doc, const char *path)
{
    FILE *out = path ? fopen(path, "w") : stdout;
    int bad;

    if (out == NULL) {
        fprintf(stderr, "concbench export: cannot write %s: %m\n", path);
        return 1;
    }
    bad = json_dumpf(doc, out, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0 ||
          fputc('\n', out) == EOF;
    if (path != NULL)
        bad |= fclose(out) != 0;
    if (bad)
        fprintf(stderr, "concbench export: writing %s failed\n", path ? path : "the output");
    return bad;
}

static int export_parse(int argc, char **argv, int *format, const char **output, int *first)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct cli cli;
    int c;

    cli_init(&cli, "export", argc, argv, "f:o:h", longopts);
    while ((c = cli_next(&cli)) != -1) {
        if (c == 'h') {
            export_usage(stdout);
            return 0;
        } else if (c == 'o') {
            *output = optarg;
        } else if (c == 'f' && (*format = exp_format_parse(optarg)) < 0) {
            fprintf(stderr, "concbench export: --format '%s': expected gab, gab-speedup or bmf\n",
                    optarg);
            return 2;
        } else if (c != 'f') {
            return 2; /* CLI_USAGE: said */
        }
    }
    *first = cli_operands(&cli, 1, 1,
                          "which results file? (concbench export RESULTS.json "
                          "--format gab|gab-speedup|bmf)");
    if (*first == CLI_USAGE)
        return 2;
    if (*format < 0) {
        fprintf(stderr, "concbench export: which format? --format gab, gab-speedup or bmf (see "
                        "concbench export --help)\n");
        return 2;
    }
    return -1;
}

int cmd_export(int argc, char **argv)
{
    const char *output = NULL;
    int format = -1, first = 0, rc = export_parse(argc, argv, &format, &output, &first);
    struct rm_strs skipped = {NULL, 0};
    struct rm_file *f;
    json_t *doc;
    char err[1024];

    if (rc >= 0)
        return rc;
    f = rm_load(argv[first], err, sizeof(err));
    if (f == NULL) {
        fprintf(stderr, "concbench export: %s\n", err);
        return 1;
    }
    doc =
        format == EXP_BMF ? exp_bmf(f, &skipped) : exp_gab(f, format == EXP_GAB_SPEEDUP, &skipped);
    rc = export_write(doc, output);
    for (int i = 0; i < skipped.n; i++)
        fprintf(stderr, "concbench export: %s\n", skipped.v[i]);
    /* a case without a speed-up is not an error; an invalid one is */
    for (int i = 0; i < skipped.n; i++)
        if (strstr(skipped.v[i], ": invalid (") != NULL)
            rc = 1;
    json_decref(doc);
    rm_strs_clear(&skipped);
    rm_free(f);
    return rc;
}
