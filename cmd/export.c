/* `concbench export FILE --format FORMAT [-o OUT]`: a results file for a performance tracker
 * (github-action-benchmark, Bencher), in a format of report/export.h's table. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/commands.h"
#include "common/outfile.h"
#include "common/termsafe.h"
#include "rmodel/case_key.h"
#include "report/export.h"

static void export_usage(FILE *out)
{
    char names[128];

    exp_format_names(names, sizeof(names), ", ", " or ");
    fputs("Usage: concbench export RESULTS.json --format FORMAT [-o OUT]\n"
          "\n"
          "Writes a results file in the format of a performance tracker, one benchmark per\n"
          "case, named by its stable key workload/label/n=TASKS/w=WORKERS/sorted params\n"
          "(the same across runs, so the tracker's history lines up).\n"
          "\n"
          "Formats:\n",
          out);
    for (int i = 0; exp_formats[i] != NULL; i++) {
        const char *line = exp_formats[i]->help, *nl;

        fprintf(out, "  %-12s ", exp_formats[i]->name);
        while ((nl = strchr(line, '\n')) != NULL) {
            fprintf(out, "%.*s\n%15s", (int)(nl - line), line, "");
            line = nl + 1;
        }
        fprintf(out, "%s\n", line);
    }
    fprintf(out,
            "\n"
            "Options:\n"
            "  -f, --format FORMAT   %s\n"
            "  -o, --output FILE     write there (default: standard output)\n"
            "  -h, --help            this text\n"
            "\n"
            "Invalid cases (a wrong result, an error, no repetition) are left out: a tracker\n"
            "must not chart a wrong program's time. Each is named on standard error.\n"
            "\n"
            "Exit status: 0 every case exported; 1 the file cannot be read, or a case was\n"
            "left out as invalid (the others are still written); 2 bad usage.\n",
            names);
}

/* outfile_write's writer: the document at arg. */
static int export_dump(FILE *out, void *arg)
{
    return json_dumpf(arg, out, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0 ||
                   fputc('\n', out) == EOF
               ? -1
               : 0;
}

/* Writes doc to path (or stdout), atomically; 0 or 1 after a message. */
static int export_write(json_t *doc, const char *path)
{
    char err[1024];

    if (outfile_write(path ? path : "-", export_dump, doc, err, sizeof(err)) != 0) {
        cli_error("export", err);
        return 1;
    }
    return 0;
}

static int export_parse(int argc, char **argv, const struct exp_format **format,
                        const char **output, int *first)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char names[128], bars[128], missing[256];
    struct cli cli;
    int c;

    exp_format_names(names, sizeof(names), ", ", " or ");
    cli_init(&cli, "export", argc, argv, "f:o:h", longopts);
    while ((c = cli_next(&cli)) != -1) {
        if (c == 'h') {
            export_usage(stdout);
            return 0;
        } else if (c == 'o') {
            *output = optarg;
            if (cli_output("export", optarg) == CLI_USAGE)
                return 2;
        } else if (c == 'f' && (*format = exp_format_find(optarg)) == NULL) {
            fprintf(stderr, "concbench export: --format '%s': expected %s\n", optarg, names);
            return 2;
        } else if (c != 'f') {
            return 2; /* CLI_USAGE: said */
        }
    }
    exp_format_names(bars, sizeof(bars), "|", "|");
    snprintf(missing, sizeof(missing),
             "which results file? (concbench export RESULTS.json --format %s)", bars);
    *first = cli_operands(&cli, 1, 1, missing);
    if (*first == CLI_USAGE)
        return 2;
    if (*format == NULL) {
        fprintf(stderr,
                "concbench export: which format? --format %s (see concbench export --help)\n",
                names);
        return 2;
    }
    return -1;
}

int cmd_export(int argc, char **argv)
{
    const struct exp_format *format = NULL;
    const char *output = NULL;
    int first = 0, rc = export_parse(argc, argv, &format, &output, &first);
    struct rm_strs skipped = {NULL, 0};
    struct rm_file *f;
    json_t *doc;
    char err[1024];

    if (rc >= 0)
        return rc;
    f = rm_load(argv[first], err, sizeof(err));
    if (f == NULL) {
        cli_error("export", err);
        return 1;
    }
    doc = format->doc(f, &skipped);
    rc = export_write(doc, output);
    for (int i = 0; i < skipped.n; i++) {
        char safe[CK_KEY_MAX * TERM_SAFE_GROWTH + 256];
        fprintf(stderr, "concbench export: %s\n", term_safe(skipped.v[i], 0, safe, sizeof(safe)));
    }
    /* a case without a speed-up is not an error; an invalid one is */
    for (int i = 0; i < skipped.n; i++)
        if (strstr(skipped.v[i], ": invalid (") != NULL)
            rc = 1;
    json_decref(doc);
    rm_strs_clear(&skipped);
    rm_free(f);
    return rc;
}
