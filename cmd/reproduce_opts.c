#include "cmd/cli.h"
#include "cmd/reproduce_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rmodel/article.h"
#include "common/article_sizes.h"
#include "common/params.h"
#include "server/server.h"

#define DEFAULT_PYTHON "/usr/bin/python3"

/* The help text; its numbers are the article's sizes (common/article_sizes.h), its two %s the
 * default interpreter and the published figures' path. */
static const char repro_help[] =
    "Usage: concbench reproduce [options]\n"
    "\n"
    "Runs the experiment of \"Asynchronous Programming. Python3.5+\" (Kirill Bobrov):\n"
    "N=10 tasks of two workloads under five execution models, and prints the C\n"
    "figures next to the article's published seconds.\n"
    "\n"
    "  cpu_bound   each task computes 7777**200000 (GMP here, Python ints there)\n"
    "  io_bound    each task downloads 4 URLs one after another; here from\n"
    "              concbench's own server on loopback, which answers after a fixed\n"
    "              delay (100 ms), so the run needs no internet and repeats; the\n"
    "              article used real sites\n"
    "\n"
    "  concbench   article     Python (--with-python)\n"
    "  sequential  sync        a plain loop\n"
    "  pthreads    threads     threading.Thread\n"
    "  processes   processes   multiprocessing.Process\n"
    "  green       gevent      gevent.spawn, monkey-patched\n"
    "  evloop      asyncio     asyncio + aiohttp; cpu through run_in_executor\n"
    "\n"
    "What to expect: waiting overlaps under every concurrent model, in C as in\n"
    "Python. Computing does not overlap under Python threads or asyncio's executor\n"
    "(CPython's GIL); C has no GIL, so pthreads and evloop (whose compute runs on\n"
    "libuv's thread pool) speed cpu_bound up as far as the machine's cores allow.\n"
    "Green threads run compute on one thread, like gevent.\n"
    "\n"
    "-m all adds the models that came after the article, each a row of its own\n"
    "with C's figures only (n/a in the article's and Python's columns, which have\n"
    "none): openmp (an OpenMP team), uring (an io_uring loop) and green:sched=mn\n"
    "(coroutines on a worker thread per CPU, stealing work, as Go and Tokio).\n"
    "mpi (ranks through mpirun, here or over hosts; its seconds of start-up are\n"
    "told apart there) is `concbench run`'s, e.g. run -m sequential,processes,mpi\n"
    "-w cpu_bound,io_bound.\n"
    "\n"
    "Options:\n"
    "  -m, --models LIST     the rows: article (the five above, the default), all\n"
    "                        (those, openmp, uring and green:sched=mn), or models as\n"
    "                        `concbench run -m` takes them, e.g. article,openmp;\n"
    "                        sequential always runs (every x is against it); a\n"
    "                        model this build lacks: all goes on without it, named\n"
    "                        it is an error; both say what to install\n"
    "  -n, --tasks N         tasks per model (default %d, the article's N)\n"
    "  -r, --reps N          measured repetitions per model (default 5)\n"
    "      --warmup N        unmeasured repetitions first (default 1)\n"
    "      --base N          cpu_bound base (default %d)\n"
    "      --exponent N      cpu_bound exponent (default %d)\n"
    "      --target-ms N     cpu_bound time per task: the power repeated to this,\n"
    "                        calibrated first (default %d, the article's 2.18 s\n"
    "                        over 10 tasks; 0 = one power, ~8 ms with GMP)\n"
    "      --requests N      io_bound GETs per task (default %d)\n"
    "      --delay-ms N      io_bound server delay per request (default %d)\n"
    "      --bytes N         io_bound body size (default %d)\n"
    "      --latency PROFILE also io_bound with each request's delay drawn from a\n"
    "                        latency profile, as the column io_bound:article:\n"
    "                        'article' is the article's four sites fitted to its\n"
    "                        figures (%s),\n"
    "                        else a profile file (see results/README.md)\n"
    "      --time-scale F    with --latency: every drawn delay times F in (0, 100],\n"
    "                        e.g. 0.1\n"
    "      --gil             also pthreads, green and evloop with gil=on (one\n"
    "                        interpreter-like lock, as CPython's GIL): a GIL x column\n"
    "                        next to C's makes the article's 31 s sequential run\n"
    "                        about 3 s\n"
    "  -p, --param K=V       another parameter for the C workloads, e.g. reuse=0 (a\n"
    "                        new connection per request, as urlopen makes); see\n"
    "                        concbench list\n"
    "      --with-python     also run the Python variants\n"
    "                        (scripts/python/concbench_py.py) with the same sizes, in\n"
    "                        the same run and JSON\n"
    "      --python PATH     the interpreter for them (default %s,\n"
    "                        Debian's, with python3-gevent and python3-aiohttp)\n"
    "  -o, --json FILE       write every case, C and Python, as JSON (- = stdout; the\n"
    "                        tables then go to stderr)\n"
    "      --hyperfine FILE  show a hyperfine export (scripts/hyperfine.sh) next to\n"
    "                        the in-process medians; repeatable\n"
    "      --published FILE  the article's figures (default\n"
    "                        %s)\n"
    "      --timeout SEC     kill a repetition that runs longer (default 600)\n"
    "  -q, --quiet           no tables (errors and warnings still go to stderr)\n"
    "      --wide            every column of the table, however narrow the terminal\n"
    "                        (else, when $COLUMNS or the terminal is narrower than\n"
    "                        the table, each workload gets its own, then seconds\n"
    "                        columns are left out)\n"
    "  -h, --help            this text\n"
    "\n"
    "How it measures: as `concbench run` (each repetition in a fresh child, rounds\n"
    "interleaving the models, every task's result checked). The Python variants are\n"
    "interleaved with the C rounds: after each round's C cases every variant runs\n"
    "once, each repetition in a fresh interpreter, against a server of their own\n"
    "with the same delay and body.\n"
    "\n"
    "Examples:\n"
    "  concbench reproduce                              # about 2 minutes, C only\n"
    "  concbench reproduce --with-python -o repro.json  # plus Python (minutes), JSON\n"
    "  concbench reproduce -m all                       # and the newer models\n"
    "  concbench reproduce -r 2 --warmup 0 --target-ms 20 --delay-ms 10   # quick\n"
    "  concbench reproduce --latency article --time-scale 0.1\n"
    "                          # io_bound with the article's latencies, 10x faster\n"
    "  concbench plot repro.json -o repro.png           # the figures as bars\n"
    "\n"
    "Exit status: 0 every case ran and validated; 1 a case failed or the run was\n"
    "interrupted; 2 bad usage.\n";

static void repro_usage(FILE *out)
{
    fprintf(out, repro_help, ARTICLE_TASKS, ARTICLE_BASE, ARTICLE_EXPONENT, ARTICLE_TASK_MS,
            ARTICLE_REQUESTS, ARTICLE_DELAY_MS, ARTICLE_BYTES, LATENCY_ARTICLE_REL_PATH,
            DEFAULT_PYTHON, PUBLISHED_REL_PATH);
}

static const struct option repro_longopts[] = {
    {"models", required_argument, NULL, 'm'},
    {"tasks", required_argument, NULL, 'n'},
    {"reps", required_argument, NULL, 'r'},
    {"warmup", required_argument, NULL, 'W'},
    {"base", required_argument, NULL, 'B'},
    {"exponent", required_argument, NULL, 'E'},
    {"target-ms", required_argument, NULL, 'K'},
    {"requests", required_argument, NULL, 'R'},
    {"delay-ms", required_argument, NULL, 'D'},
    {"bytes", required_argument, NULL, 'Y'},
    {"param", required_argument, NULL, 'p'},
    {"with-python", no_argument, NULL, 'y'},
    {"python", required_argument, NULL, 'X'},
    {"json", required_argument, NULL, 'o'},
    {"hyperfine", required_argument, NULL, 'H'},
    {"published", required_argument, NULL, 'P'},
    {"timeout", required_argument, NULL, 'T'},
    {"latency", required_argument, NULL, 'L'},
    {"time-scale", required_argument, NULL, 'S'},
    {"gil", no_argument, NULL, 'G'},
    {"quiet", no_argument, NULL, 'q'},
    {"wide", no_argument, NULL, 'V'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* --time-scale: a number in (0, 100], and only with --latency. 0, or 2 with a message. */
static int check_time_scale(const struct repro_opts *o)
{
    double f;

    if (o->time_scale == NULL)
        return 0;
    if (parse_double(o->time_scale, 0, 100, &f) != 0 || f == 0) {
        fprintf(stderr,
                "concbench reproduce: --time-scale '%s': expected a number in (0, 100], "
                "e.g. 0.1\n",
                o->time_scale);
        return 2;
    }
    if (o->latency == NULL) {
        fprintf(stderr, "concbench reproduce: --time-scale scales the drawn delays of --latency; "
                        "give --latency article (or a profile file) too\n");
        return 2;
    }
    return 0;
}

/* The article's sizes, 5 repetitions after 1 warmup, Debian's Python. */
static void repro_defaults(struct repro_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->tasks = ARTICLE_TASKS;
    o->reps = 5;
    o->warmup = 1;
    o->timeout_s = 600;
    o->base = ARTICLE_BASE;
    o->exponent = ARTICLE_EXPONENT;
    o->target_ms = ARTICLE_TASK_MS;
    o->requests = ARTICLE_REQUESTS;
    o->delay_ms = ARTICLE_DELAY_MS;
    o->bytes = ARTICLE_BYTES;
    o->python = DEFAULT_PYTHON;
}

int repro_parse(int argc, char **argv, struct repro_opts *o)
{
    int c;
    struct cli cli;

    repro_defaults(o);
    const struct cli_number numbers[] = {
        {'n', "--tasks", 1, 100000, NULL, &o->tasks},
        {'r', "--reps", 1, 10000, NULL, &o->reps},
        {'W', "--warmup", 0, 10000, NULL, &o->warmup},
        {'T', "--timeout", 1, 86400, NULL, &o->timeout_s},
        {'B', "--base", 2, 4294967295LL, &o->base, NULL},
        {'E', "--exponent", 1, 4000000000LL, &o->exponent, NULL},
        {'K', "--target-ms", 0, 600000, &o->target_ms, NULL},
        {'R', "--requests", 1, 1000, &o->requests, NULL},
        {'D', "--delay-ms", 0, 60000, &o->delay_ms, NULL},
        {'Y', "--bytes", 0, SERVER_MAX_BYTES, &o->bytes, NULL},
        {0, NULL, 0, 0, NULL, NULL},
    };

    cli_init(&cli, "reproduce", argc, argv, "m:n:r:p:o:qh", repro_longopts);
    while ((c = cli_next(&cli)) != -1) {
        int number = cli_number_option(&cli, numbers, c);
        if (number != 0) {
            if (number == CLI_USAGE)
                return 2;
            continue;
        }
        switch (c) {
        case 'm':
            o->models = optarg;
            break;
        case 'p':
            if (cli_append(&cli, "-p", o->extra, &o->nextra, REPRO_MAX_EXTRA) == CLI_USAGE)
                return 2;
            break;
        case 'y':
            o->with_python = 1;
            break;
        case 'X':
            o->python = optarg;
            o->python_given = 1;
            break;
        case 'o':
            o->json_path = optarg;
            break;
        case 'H':
            if (cli_append(&cli, "--hyperfine", o->hf_paths, &o->nhf, REPRO_MAX_HF) == CLI_USAGE)
                return 2;
            break;
        case 'P':
            o->published_path = optarg;
            break;
        case 'L':
            o->latency = optarg;
            break;
        case 'S':
            o->time_scale = optarg;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'V':
            o->wide = 1;
            break;
        case 'G':
            o->gil = 1;
            break;
        case 'h':
            repro_usage(stdout);
            return 1;
        default: /* CLI_USAGE: said */
            return 2;
        }
    }
    if (cli_operands(&cli, 0, 0, "") == CLI_USAGE)
        return 2;
    return check_time_scale(o);
}
