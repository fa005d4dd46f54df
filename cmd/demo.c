/* `concbench demo [SCENARIO] [--scale F] [-m MODELS]`: the articles' examples run for real
 * through the harness (one repetition, no warmup), the timeline drawn as each model finishes,
 * then what happened, from the numbers, next to the article's claim. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "bench/bench.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "common/termsafe.h"
#include "cmd/run_options.h"
#include "common/params.h"
#include "report/demo.h"
#include "report/gantt.h"
#include "report/report_text.h"

struct demo_live {
    struct bench_observer observer;
    struct gantt_style style;
    int tty, lines; /* lines drawn last time, to draw over them on a terminal */
    int scrolling;  /* the drawing outgrew the screen: panels are printed one after another */
};

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
            "Usage: concbench demo [SCENARIO] [--scale F] [-m MODELS] [--ascii]\n"
            "\n"
            "Runs one of the articles' examples for real under the models that make sense for\n"
            "it, draws the task timeline as each model finishes (redrawn on a terminal, plain\n"
            "lines otherwise), then says what happened, from the measured numbers, next to\n"
            "the article's claim. Without a scenario: the list.\n"
            "\n"
            "Options:\n"
            "      --scale F          multiply every planned time by F (0.001..10; default\n"
            "                         1): --scale 0.1 makes a 6 s demo take 0.6 s\n"
            "  -m, --models LIST      the models to run (default: the scenario's own)\n"
            "      --ascii            ASCII timeline instead of Unicode blocks\n"
            "  -o, --json FILE        also write the results (concbench report FILE --html)\n"
            "  -h, --help             this text\n"
            "\n");
    demo_list(out);
}

/* Rows of the terminal (24 when it does not say). */
static int terminal_rows(void)
{
    struct winsize ws;

    return ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 ? ws.ws_row : 24;
}

/* The finished cases' timelines, drawn over the last drawing while they fit on the screen; once
 * they do not, each case's panel is printed below the others as it finishes. */
static void demo_redraw(struct demo_live *live, const struct rm_file *f, int case_index)
{
    int n = 0, lines = 0;
    const struct rm_case **done = rm_cases_of(f, NULL, &n);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);

    while (n > 0 && done[n - 1]->reps_done == 0) /* cases run in order: the rest are to come */
        n--;
    gantt_draw(done, n, 0, &live->style, mem);
    fclose(mem);
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    if (!live->scrolling && lines < terminal_rows() - 2) {
        if (live->lines > 0)
            printf("\033[%dA\033[J", live->lines);
        fputs(text, stdout);
        live->lines = lines;
    } else {
        live->scrolling = 1;
        gantt_draw(&done[case_index], 1, 0, &live->style, stdout);
    }
    free(text);
    free(done);
}

static void demo_case_done(void *arg, const struct rm_file *f, int case_index)
{
    struct demo_live *live = arg;
    const struct rm_case *c = &f->cases[case_index];

    if (!live->tty) {
        char wl[TERM_SAFE_GROWTH * 64 + 1], label[TERM_SAFE_GROWTH * 256 + 1];
        printf("  %s · %s: done in %.2f s\n", term_safe(c->workload, 64, wl, sizeof(wl)),
               term_safe(c->label, 256, label, sizeof(label)), rm_median(c));
    } else
        demo_redraw(live, f, case_index);
    fflush(stdout);
}

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

static int demo_run(const struct demo_scenario *s, const char *models, double scale, int ascii,
                    const char *json_path)
{
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
    bench_init(&b, &cfg); /* with the machine, for the results file */
    if (bench_prepare(&b, err, sizeof(err)) != 0) {
        cli_error("demo", err);
        bench_release(&b);
        bench_free(&b);
        config_free(&cfg);
        return 2;
    }
    gantt_style_init(&live.style, stdout, ascii);
    live.tty = isatty(STDOUT_FILENO);
    live.observer = (struct bench_observer){.case_updated = demo_case_done, .arg = &live};
    bench_observe(&b, &live.observer);
    printf("%s (scale %g): %s\n\n", s->name, scale, s->summary);
    fflush(stdout);
    rc = bench_run(&b);
    if (b.error[0] != '\0')
        cli_error("demo", b.error);
    if (b.results != NULL && b.results->ncases > 0) {
        const struct rm_file *f = b.results;
        if (!live.tty || live.scrolling) {
            int n;
            const struct rm_case **all = rm_cases_of(f, NULL, &n);
            printf("\nEvery model on one time axis:\n\n");
            gantt_draw(all, n, 0, &live.style, stdout);
            free(all);
        }
        gantt_legend(&live.style, stdout);
        printf("\nWhat happened:\n");
        s->narrate(f, &(struct render_opts){.scale = scale}, stdout);
        if (json_path != NULL && rm_write(f, json_path, err, sizeof(err)) != 0) {
            cli_error("demo", err);
            rc = 1;
        }
    }
    bench_release(&b);
    bench_free(&b);
    config_free(&cfg);
    return rc;
}

int cmd_demo(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"scale", required_argument, NULL, 's'}, {"models", required_argument, NULL, 'm'},
        {"ascii", no_argument, NULL, 'A'},       {"json", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    const char *models = NULL, *json_path = NULL;
    double scale = 1;
    int ascii = 0, c, first;
    struct cli cli;

    cli_init(&cli, "demo", argc, argv, "m:o:h", longopts);
    while ((c = cli_next(&cli)) != -1) {
        switch (c) {
        case 's':
            if (parse_double(optarg, 0.001, 10, &scale) != 0) {
                fprintf(stderr,
                        "concbench demo: --scale takes a number from 0.001 to 10, not "
                        "'%s'\n",
                        optarg);
                return 2;
            }
            break;
        case 'm':
            models = optarg;
            break;
        case 'A':
            ascii = 1;
            break;
        case 'o':
            json_path = optarg;
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
    return demo_run(demo_find(argv[first]), models, scale, ascii, json_path);
}
