/* `concbench report RESULTS.json [--hyperfine HF.json]...`: the tables of a results file, the
 * article's published figures next to them, and hyperfine's whole-process timings next to the
 * harness's in-process ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rmodel/article.h"
#include "cmd/launch_notes.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "common/term_width.h"
#include "report/gantt.h"
#include "common/termsafe.h"
#include "report/html.h"
#include "report/report_sections.h"
#include "report/report.h"
#include "report/report_text.h"
#include "report/sweep_table.h"
#include "rmodel/hyperfine.h"

/* "Results: FILE (concbench 0.1.0; DATE, CPU, 2 logical CPUs, load 0.84; commit X)" */
/* One line, or wrapped to width when there is one. */
static void print_header(const struct rm_file *f, const char *path, int width)
{
    const struct rm_context *x = f->context;
    struct text_buf line = {0};
    char p[4096], tool[256], date[128], cpu[512], commit[256], partial[1024];

    text_append(&line, "Results: %s (%s; %s, %s, %lld logical CPUs, load %.2f; commit %s)%s",
                term_safe(path, 0, p, sizeof(p)), term_safe(f->tool, 0, tool, sizeof(tool)),
                term_safe(x ? x->date : NULL, 0, date, sizeof(date)),
                term_safe(x ? x->cpu_model : NULL, 0, cpu, sizeof(cpu)), x ? x->logical_cpus : 0,
                x ? x->load_avg[0] : 0.0,
                term_safe(x ? x->git_commit : NULL, 0, commit, sizeof(commit)),
                f->interrupted ? " INTERRUPTED" : "");
    if (width > 0)
        text_print_wrapped_at(stdout, line.s, "", "  ", (size_t)width);
    else
        printf("%s\n", line.s);
    free(line.s);
    if (!rm_complete(f))
        printf("PARTIAL: %s\n", f->partial ? term_safe(f->partial, 0, partial, sizeof(partial))
                                           : "the run did not finish");
}

static void report_usage(FILE *out)
{
    fprintf(out,
            "Usage: concbench report RESULTS.json [--hyperfine HF.json]... [--published FILE]\n"
            "       concbench report RESULTS.json --timeline [WORKLOAD] [--ascii]\n"
            "       concbench report RESULTS.json --html FILE\n"
            "\n"
            "Prints the tables of a results file written by `concbench run -o` or `concbench\n"
            "reproduce -o`: every case with its wall time, speedup, CPU time, memory and\n"
            "validation; for cpu_bound and io_bound, the comparison with the article's\n"
            "published figures and a plain reading of it; with --hyperfine, hyperfine's\n"
            "whole-process medians next to the harness's in-process medians.\n"
            "\n"
            "Options:\n"
            "      --hyperfine FILE   a hyperfine --export-json file (scripts/hyperfine.sh\n"
            "                         writes results/hyperfine-WORKLOAD.json); repeatable\n"
            "      --published FILE   the article's figures (default: the file embedded in a\n"
            "                         reproduce result, else\n"
            "                         %s)\n"
            "      --timeline [WL]    instead of the tables, the task timelines as text: one\n"
            "                         panel per model on one time axis, a row per task (at\n"
            "                         most %d), compute and waits drawn apart, the worker of\n"
            "                         each task, the tasks in flight and their overlap; WL:\n"
            "                         only that workload\n"
            "      --ascii            ASCII instead of Unicode blocks (colour: only on a\n"
            "                         terminal, never with NO_COLOR set; width: $COLUMNS,\n"
            "                         else 80)\n"
            "      --wide             every column of the tables, however narrow the terminal\n"
            "                         (else, when $COLUMNS or the terminal is narrower than\n"
            "                         a table, its least needed columns are left out)\n"
            "      --html FILE        instead of the tables, one self-contained page: per\n"
            "                         workload the table, bar charts with intervals, CPU,\n"
            "                         memory and the timelines (written atomically; never\n"
            "                         replaces a directory, device, FIFO, symbolic link or\n"
            "                         read-only file); a large file is summed up: the\n"
            "                         first %d cases of each workload, at most %d in all,\n"
            "                         and a note says how many are left out\n"
            "      --html-cases N     show the first N cases of each workload instead\n"
            "  -h, --help             this text\n"
            "\n"
            "In-process vs whole-process: the harness times only creating, running and\n"
            "joining the tasks; hyperfine times the whole program, start-up and set-up\n"
            "included (the expected results, the embedded server). The difference is that\n"
            "fixed cost.\n"
            "\n"
            "Exit status: 0 printed; 1 a file is missing, not JSON or of another shape or\n"
            "schema version; 2 bad usage.\n",
            PUBLISHED_REL_PATH, GANTT_MAX_ROWS, HTML_CASES_PER_WORKLOAD, HTML_CASES_MAX);
}

#define REPORT_MAX_HF 16

static const struct option report_longopts[] = {
    {"hyperfine", required_argument, NULL, 'H'},
    {"published", required_argument, NULL, 'P'},
    {"timeline", no_argument, NULL, 'T'},
    {"ascii", no_argument, NULL, 'A'},
    {"wide", no_argument, NULL, 'V'},
    {"html", required_argument, NULL, 'M'},
    {"html-cases", required_argument, NULL, 'N'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* What `report` was asked for. */
struct report_opts {
    const char *path, *workload, *published_path, *html;
    const char *hf_paths[REPORT_MAX_HF];
    int nhf, timeline, ascii, wide, html_cases;
};

/* 0, 1 after --help, or 2 after a usage message. */
static int report_parse(int argc, char **argv, struct report_opts *o)
{
    struct cli cli;
    int c, first;

    memset(o, 0, sizeof(*o));
    const struct cli_number numbers[] = {
        {'N', "--html-cases", 1, 1000000, NULL, &o->html_cases},
        {0, NULL, 0, 0, NULL, NULL},
    };

    cli_init(&cli, "report", argc, argv, "h", report_longopts);
    while ((c = cli_next(&cli)) != -1) {
        int number = cli_number_option(&cli, numbers, c);
        if (number == CLI_USAGE)
            return 2;
        if (number == 1)
            continue;
        switch (c) {
        case 'H':
            if (cli_append(&cli, "--hyperfine", o->hf_paths, &o->nhf, REPORT_MAX_HF) == CLI_USAGE)
                return 2;
            break;
        case 'P':
            o->published_path = optarg;
            break;
        case 'T':
            o->timeline = 1;
            break;
        case 'A':
            o->ascii = 1;
            break;
        case 'V':
            o->wide = 1;
            break;
        case 'M':
            o->html = optarg;
            if (cli_output("report", optarg) == CLI_USAGE)
                return 2;
            break;
        case 'h':
            report_usage(stdout);
            return 1;
        default: /* CLI_USAGE: said */
            return 2;
        }
    }
    /* the file, and with --timeline a workload */
    first = cli_operands(&cli, 1, 1 + o->timeline,
                         "which results file? (concbench report RESULTS.json)");
    if (first == CLI_USAGE)
        return 2;
    o->path = argv[first];
    o->workload = first + 1 < argc ? argv[first + 1] : NULL;
    return 0;
}

/* The tables, the reproduction and its reading, hyperfine's comparison, the notes. */
static void report_text(const struct report_opts *o, const struct rm_file *f,
                        const struct rm_published *published, const struct hf_export *hf,
                        const char *err)
{
    const struct render_opts ro = {.published = published,
                                   .width = o->wide ? 0 : term_width(STDOUT_FILENO)};

    print_header(f, o->path, ro.width);
    if (f->sweep != NULL) { /* cases at several N: the sweep's own table */
        sweep_table(f, NULL, stdout);
        sweep_legend(stdout);
        return;
    }
    report_cases(f, &ro, stdout);
    launch_notes(f, stdout); /* mpi: the start-up inside the wall time, the hosts */
    if (rm_has_workload(f, NULL, "cpu_bound") || rm_has_workload(f, NULL, "io_bound")) {
        if (published == NULL)
            cli_error("report", err);
        repro_table(f, &ro, stdout);
        repro_reading(f, &ro, stdout);
    }
    hyperfine_table(f, hf, o->hf_paths, o->nhf, stdout);
    repro_notes(f, NULL, stdout);
}

/* The page, the Gantt or the text; 0 or 1. */
static int report_render(const struct report_opts *o, const struct rm_file *f,
                         const struct hf_export *hf)
{
    struct rm_published *loaded = NULL;
    const struct rm_published *published;
    char err[1024];
    int rc = 0;

    published = published_for(f, o->published_path, &loaded, err, sizeof(err));
    if (published == NULL && o->published_path != NULL) {
        cli_error("report", err);
        return 1;
    }
    if (o->html != NULL) {
        rc = html_write(f, o->path, o->html_cases, o->html, err, sizeof(err)) != 0;
    } else if (o->timeline) {
        struct gantt_style st;
        gantt_style_init(&st, stdout, o->ascii);
        rc = gantt_report(f, o->workload, &st, stdout, err, sizeof(err)) != 0;
    } else {
        report_text(o, f, published, hf, err);
    }
    if (rc != 0)
        cli_error("report", err);
    rm_published_free(loaded);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    struct report_opts o;
    struct hf_export hf[REPORT_MAX_HF] = {0};
    struct rm_file *f;
    char err[1024];
    int rc = report_parse(argc, argv, &o), nhf;

    if (rc != 0)
        return rc == 1 ? 0 : 2;
    f = rm_load(o.path, err, sizeof(err));
    if (f == NULL) {
        cli_error("report", err);
        return 1;
    }
    for (nhf = 0; nhf < o.nhf && rc == 0; nhf++) {
        if (hf_load(o.hf_paths[nhf], &hf[nhf], err, sizeof(err)) != 0) {
            cli_error("report", err);
            rc = 1;
        }
    }
    if (rc == 0)
        rc = report_render(&o, f, hf);
    while (nhf-- > 0)
        hf_free(&hf[nhf]);
    rm_free(f);
    return rc;
}
