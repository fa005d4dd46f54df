/* `concbench demo [SCENARIO] [--scale F] [-m MODELS]`: the articles' examples run for real
 * through the harness (one repetition, no warmup), the timeline drawn as each model finishes,
 * then what happened, from the numbers, next to the article's claim. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "cmd/demo_live.h"
#include "cmd/run_options.h"
#include "common/params.h"
#include "common/term_width.h"
#include "report/demo.h"
#include "report/report_text.h"

static void demo_list(FILE *out)
{
    fprintf(out, "Scenarios (concbench demo NAME [--scale F] [-m MODELS]):\n");
    for (const struct demo_scenario *s = demo_scenarios; s->name != NULL; s++) {
        char first[32];
        snprintf(first, sizeof first, "  %-17s ", s->name);
        text_print_wrapped_at(out, s->summary, first, "                    ", 80);
    }
}

static void demo_usage(FILE *out)
{
    fprintf(out,
            "Usage: concbench demo [SCENARIO] [--scale F] [-m MODELS] [--step] [--ascii]\n"
            "       concbench demo SCENARIO --code\n"
            "\n"
            "Runs one of the articles' examples for real under the models that make sense for\n"
            "it, draws every model's tasks on one board as they run (redrawn in place on a\n"
            "terminal; into a pipe, a file or TERM=dumb the board once at the end), then says\n"
            "what happened, from the measured numbers, next to the article's claim. Without a\n"
            "scenario: the list.\n"
            "\n"
            "Options:\n"
            "      --scale F          multiply every planned time by F (0.001..10; default\n"
            "                         1): --scale 0.1 makes a 6 s demo take 0.6 s\n"
            "  -m, --models LIST      the models to run, in this order (default: the\n"
            "                         scenario's own; --model is the same)\n"
            "      --code             print the article's Python for the scenario, quoted\n"
            "                         from its file in ../shared/seeds, and what the C demo\n"
            "                         does for each construct (asyncio.gather: evloop's tasks\n"
            "                         started together, ...); runs nothing\n"
            "      --step             wait for Enter before each model and before the story,\n"
            "                         so that a teacher can talk (reads stdin; at its end the\n"
            "                         demo goes on without waiting)\n"
            "      --ascii            ASCII timeline instead of Unicode blocks\n"
            "  -o, --json FILE        also write the results (concbench report FILE --html)\n"
            "  -h, --help             this text\n"
            "\n");
    demo_list(out);
}

/* "gather (scale 1): sleeps of ..." wrapped at the width. */
static void demo_header(const struct demo_scenario *s, double scale, int width)
{
    char first[96];

    snprintf(first, sizeof(first), "%s (scale %g): ", s->name, scale);
    text_print_wrapped_at(stdout, s->summary, first, "  ", (size_t)width);
    printf("\n");
    fflush(stdout);
}

struct demo_opts {
    const char *models, *json_path;
    double scale;
    int ascii, step, code;
};

static int demo_config(const struct demo_scenario *s, const char *models, double scale,
                       struct config *cfg, char *err, size_t errlen)
{
    char param[512];

    memset(cfg, 0, sizeof(*cfg));
    cfg->tasks = s->tasks;
    cfg->workers = s->workers;
    cfg->reps = 1;
    cfg->timeout_s = 600;
    cfg->timeline_max = 1000;
    cfg->quiet = 1;
    cfg->cancel_after_ms = (int)(s->cancel_after_ms * scale + 0.5);
    if (s->cancel_after_ms > 0 && cfg->cancel_after_ms < 1)
        cfg->cancel_after_ms = 1;
    if (config_parse_models(models ? models : s->models, cfg, err, errlen) != 0 ||
        config_parse_workloads(s->workloads, cfg, err, errlen) != 0)
        return -1;
    for (int i = 0; i < DEMO_MAX_PARAMS && s->params[i] != NULL; i++)
        if (demo_scale_param(s->params[i], scale, param, sizeof(param)) != 0 ||
            config_add_param(cfg, param, err, errlen) != 0)
            return -1;
    return 0;
}

static int demo_run(const struct demo_scenario *s, const struct demo_opts *o)
{
    const char *models = o->models, *json_path = o->json_path;
    double scale = o->scale;
    struct config cfg;
    struct bench b;
    struct demo_live live = {0};
    char err[1024];
    int rc;

    if (demo_config(s, models, scale, &cfg, err, sizeof(err)) != 0) {
        cli_error("demo", err);
        config_free(&cfg);
        return 2;
    }
    demo_header(s, scale, term_width(STDOUT_FILENO) >= 40 ? term_width(STDOUT_FILENO) : 80);
    bench_init(&b, &cfg); /* with the machine, for the results file */
    if (bench_prepare(&b, err, sizeof(err)) != 0) {
        cli_error("demo", err);
        bench_release(&b);
        bench_free(&b);
        config_free(&cfg);
        return 2;
    }
    demo_live_init(&live, s, scale, o->ascii, o->step, &b);
    rc = bench_run(&b);
    if (b.error[0] != '\0')
        cli_error("demo", b.error);
    if (b.results != NULL && b.results->ncases > 0) {
        const struct rm_file *f = b.results;
        demo_live_finish(&live, f);
        demo_live_pause(&live, "what happened");
        printf("\nWhat happened:\n");
        s->narrate(f, &(struct render_opts){.scale = scale, .width = live.style.width}, stdout);
        if (json_path != NULL && rm_write(f, json_path, err, sizeof(err)) != 0) {
            cli_error("demo", err);
            rc = 1;
        }
    }
    demo_live_free(&live);
    bench_release(&b);
    bench_free(&b);
    config_free(&cfg);
    return rc;
}

/* --code: the article's Python and the C demo's counterparts, without running anything. */
static int demo_code(const struct demo_scenario *s)
{
    char err[512];
    int width = term_width(STDOUT_FILENO);

    if (demo_print_code(s, width >= 40 ? width : 80, stdout, err, sizeof(err)) != 0) {
        cli_error("demo", err);
        return 1;
    }
    return 0;
}

int cmd_demo(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"scale", required_argument, NULL, 's'},
        {"models", required_argument, NULL, 'm'},
        {"ascii", no_argument, NULL, 'A'},
        {"json", required_argument, NULL, 'o'},
        {"model", required_argument, NULL, 'm'},
        {"step", no_argument, NULL, 'S'},
        {"code", no_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct demo_opts o = {.scale = 1};
    int c, first;
    struct cli cli;

    cli_init(&cli, "demo", argc, argv, "m:o:h", longopts);
    while ((c = cli_next(&cli)) != -1) {
        switch (c) {
        case 's':
            if (parse_double(optarg, 0.001, 10, &o.scale) != 0) {
                fprintf(stderr,
                        "concbench demo: --scale takes a number from 0.001 to 10, not "
                        "'%s'\n",
                        optarg);
                return 2;
            }
            break;
        case 'm':
            o.models = optarg;
            break;
        case 'A':
            o.ascii = 1;
            break;
        case 'S':
            o.step = 1;
            break;
        case 'C':
            o.code = 1;
            break;
        case 'o':
            o.json_path = optarg;
            if (cli_output("demo", optarg) == CLI_USAGE)
                return 2;
            break;
        case 'h':
            demo_usage(stdout);
            return 0;
        default: /* CLI_USAGE: said */
            return 2;
        }
    }
    first = cli_operands(&cli, 0, 1, "");
    if (first == CLI_USAGE)
        return 2;
    if (first >= argc) {
        demo_list(stdout);
        return 0;
    }
    if (demo_find(argv[first]) == NULL) {
        char msg[512];

        snprintf(msg, sizeof(msg), "no scenario '%s'", argv[first]);
        cli_error("demo", msg);
        demo_list(stderr);
        return 2;
    }
    if (o.code)
        return demo_code(demo_find(argv[first]));
    return demo_run(demo_find(argv[first]), &o);
}
