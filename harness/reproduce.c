/* `concbench reproduce`: the article's experiment in one command. N=10 tasks of cpu_bound
 * (7777**200000) and io_bound (4 GETs in a row against the embedded server) under all five
 * models, with the harness's repetitions, validation and JSON; optionally the Python reference
 * variants of scripts/python/ in the same run; then one table next to the article's published
 * seconds, and a reading of it computed from the numbers. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness/bench.h"
#include "harness/clock.h"
#include "harness/commands.h"
#include "harness/config.h"
#include "harness/report_cmd.h"
#include "harness/results.h"
#include "server/server.h"

#define DEFAULT_PYTHON "/usr/bin/python3"
#define MAX_HF         16
#define MAX_EXTRA      32
#define PY_OUT_MAX     (4 << 20)

struct repro_opts {
    int tasks, reps, warmup, timeout_s, quiet, with_python;
    long long base, exponent, requests, delay_ms, bytes;
    const char *json_path, *python, *published_path;
    const char *hf_paths[MAX_HF];
    int nhf;
    const char *extra[MAX_EXTRA]; /* -p KEY=VALUE for the C workloads */
    int nextra;
};

static void repro_usage(FILE *out)
{
    fprintf(
        out,
        "Usage: concbench reproduce [options]\n"
        "\n"
        "Runs the experiment of \"Asynchronous Programming. Python3.5+\" (Kirill Bobrov):\n"
        "N=10 tasks of two workloads under five execution models, and prints the C figures\n"
        "next to the article's published seconds.\n"
        "\n"
        "  cpu_bound   each task computes 7777**200000 (GMP here, Python ints there)\n"
        "  io_bound    each task downloads 4 URLs one after another; here from concbench's\n"
        "              own server on loopback, which answers after a fixed delay (100 ms),\n"
        "              so the run needs no internet and repeats; the article used real sites\n"
        "\n"
        "  concbench   article     Python (--with-python)\n"
        "  sequential  sync        a plain loop\n"
        "  pthreads    threads     threading.Thread\n"
        "  processes   processes   multiprocessing.Process\n"
        "  green       gevent      gevent.spawn, monkey-patched\n"
        "  evloop      asyncio     asyncio + aiohttp; cpu through run_in_executor\n"
        "\n"
        "What to expect: waiting overlaps under every concurrent model, in C as in Python.\n"
        "Computing does not overlap under Python threads or asyncio's executor (CPython's\n"
        "GIL); C has no GIL, so pthreads and evloop (whose compute runs on libuv's thread\n"
        "pool) speed cpu_bound up as far as the machine's cores allow. Green threads run\n"
        "compute on one thread, like gevent.\n"
        "\n"
        "Options:\n"
        "  -n, --tasks N         tasks per model (default 10, the article's N)\n"
        "  -r, --reps N          measured repetitions per model (default 5)\n"
        "      --warmup N        unmeasured repetitions first (default 1)\n"
        "      --base N          cpu_bound base (default 7777)\n"
        "      --exponent N      cpu_bound exponent (default 200000)\n"
        "      --requests N      io_bound GETs per task (default 4)\n"
        "      --delay-ms N      io_bound server delay per request (default 100)\n"
        "      --bytes N         io_bound body size (default 16384)\n"
        "  -p, --param K=V       another parameter for the C workloads, e.g. reuse=0 (a new\n"
        "                        connection per request, as urlopen makes); see concbench list\n"
        "      --with-python     also run the Python variants (scripts/python/concbench_py.py)\n"
        "                        with the same sizes, in the same run and JSON\n"
        "      --python PATH     the interpreter for them (default %s, Debian's,\n"
        "                        with python3-gevent and python3-aiohttp)\n"
        "  -o, --json FILE       write every case, C and Python, as JSON\n"
        "      --hyperfine FILE  show a hyperfine export (scripts/hyperfine.sh) next to the\n"
        "                        in-process medians; repeatable\n"
        "      --published FILE  the article's figures (default %s)\n"
        "      --timeout SEC     kill a repetition that runs longer (default 600)\n"
        "  -q, --quiet           no table\n"
        "  -h, --help            this text\n"
        "\n"
        "How it measures: as `concbench run` (each repetition in a fresh child, rounds\n"
        "interleaving the models, every task's result checked). The Python variants run\n"
        "after the C rounds, one interpreter per model and workload with all its\n"
        "repetitions, against a server of their own with the same delay and body.\n"
        "\n"
        "Examples:\n"
        "  concbench reproduce                              # under a minute, C only\n"
        "  concbench reproduce --with-python -o repro.json  # plus Python (minutes), JSON\n"
        "  concbench reproduce -r 2 --warmup 0 --exponent 20000 --delay-ms 10   # quick\n"
        "  concbench plot repro.json -o repro.png           # the figures as bars\n"
        "\n"
        "Exit status: 0 every case ran and validated; 1 a case failed or the run was\n"
        "interrupted; 2 bad usage.\n",
        DEFAULT_PYTHON, PUBLISHED_REL_PATH);
}

static int parse_num(const char *flag, const char *text, long long min, long long max,
                     long long *out)
{
    if (parse_ll(text, min, max, out) != 0) {
        fprintf(stderr, "concbench reproduce: %s '%s': expected a whole number from %lld to %lld\n",
                flag, text, min, max);
        return -1;
    }
    return 0;
}

/* Returns 0, 1 after --help, 2 for bad usage. */
static int repro_parse(int argc, char **argv, struct repro_opts *o)
{
    static const struct option longopts[] = {
        {"tasks", required_argument, NULL, 'n'},
        {"reps", required_argument, NULL, 'r'},
        {"warmup", required_argument, NULL, 'W'},
        {"base", required_argument, NULL, 'B'},
        {"exponent", required_argument, NULL, 'E'},
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
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    long long v;
    int c;

    memset(o, 0, sizeof(*o));
    o->tasks = 10;
    o->reps = 5;
    o->warmup = 1;
    o->timeout_s = 600;
    o->base = 7777;
    o->exponent = 200000;
    o->requests = 4;
    o->delay_ms = 100;
    o->bytes = 16384;
    o->python = DEFAULT_PYTHON;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":n:r:p:o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (parse_num("--tasks", optarg, 1, 100000, &v))
                return 2;
            o->tasks = (int)v;
            break;
        case 'r':
            if (parse_num("--reps", optarg, 1, 10000, &v))
                return 2;
            o->reps = (int)v;
            break;
        case 'W':
            if (parse_num("--warmup", optarg, 0, 10000, &v))
                return 2;
            o->warmup = (int)v;
            break;
        case 'T':
            if (parse_num("--timeout", optarg, 1, 86400, &v))
                return 2;
            o->timeout_s = (int)v;
            break;
        case 'B':
            if (parse_num("--base", optarg, 2, 4294967295LL, &o->base))
                return 2;
            break;
        case 'E':
            if (parse_num("--exponent", optarg, 1, 4000000000LL, &o->exponent))
                return 2;
            break;
        case 'R':
            if (parse_num("--requests", optarg, 1, 1000, &o->requests))
                return 2;
            break;
        case 'D':
            if (parse_num("--delay-ms", optarg, 0, 60000, &o->delay_ms))
                return 2;
            break;
        case 'Y':
            if (parse_num("--bytes", optarg, 0, SERVER_MAX_BYTES, &o->bytes))
                return 2;
            break;
        case 'p':
            if (o->nextra >= MAX_EXTRA) {
                fprintf(stderr, "concbench reproduce: too many -p (at most %d)\n", MAX_EXTRA);
                return 2;
            }
            o->extra[o->nextra++] = optarg;
            break;
        case 'y':
            o->with_python = 1;
            break;
        case 'X':
            o->python = optarg;
            break;
        case 'o':
            o->json_path = optarg;
            break;
        case 'H':
            if (o->nhf >= MAX_HF) {
                fprintf(stderr, "concbench reproduce: too many --hyperfine (at most %d)\n", MAX_HF);
                return 2;
            }
            o->hf_paths[o->nhf++] = optarg;
            break;
        case 'P':
            o->published_path = optarg;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'h':
            repro_usage(stdout);
            return 1;
        case ':':
            fprintf(stderr,
                    "concbench reproduce: %s needs a value (see concbench reproduce --help)\n",
                    argv[optind - 1]);
            return 2;
        default:
            fprintf(stderr,
                    "concbench reproduce: unknown option '%s' (see concbench reproduce --help)\n",
                    argv[optind - 1]);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr,
                "concbench reproduce: unexpected argument '%s' (see concbench reproduce --help)\n",
                argv[optind]);
        return 2;
    }
    return 0;
}

/* The config of the article's experiment: every model and workload this build has. */
static int repro_config(const struct repro_opts *o, struct config *cfg, json_t *missing)
{
    char list[256] = "", err[512], kv[128];
    size_t used = 0;
    int have_io = workload_find("io_bound") != NULL;

    memset(cfg, 0, sizeof(*cfg));
    cfg->tasks = o->tasks;
    cfg->reps = o->reps;
    cfg->warmup = o->warmup;
    cfg->timeout_s = o->timeout_s;
    cfg->timeline_max = 1000;
    cfg->json_path = o->json_path;
    cfg->quiet = 1;
    for (int m = 0; m < REPRO_NMODELS; m++) {
        if (runner_find(repro_models[m]) == NULL) {
            char why[128];
            snprintf(why, sizeof(why), "model %s is not in this build", repro_models[m]);
            json_array_append_new(missing, json_string(why));
            continue;
        }
        used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", used ? "," : "",
                                 repro_models[m]);
    }
    if (config_parse_models(list, cfg, err, sizeof(err)) != 0 ||
        config_parse_workloads(have_io ? "cpu_bound,io_bound" : "cpu_bound", cfg, err,
                               sizeof(err)) != 0) {
        fprintf(stderr, "concbench reproduce: %s\n", err);
        return -1;
    }
    if (!have_io)
        json_array_append_new(missing, json_string("workload io_bound is not in this build"));
    {
        const struct {
            const char *key;
            long long value;
            int io;
        } params[] = {
            {"base", o->base, 0},         {"exponent", o->exponent, 0},
            {"requests", o->requests, 1}, {"delay_ms", o->delay_ms, 1},
            {"bytes", o->bytes, 1},
        };
        for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
            if (params[i].io && !have_io)
                continue;
            snprintf(kv, sizeof(kv), "%s=%lld", params[i].key, params[i].value);
            if (config_add_param(cfg, kv, err, sizeof(err)) != 0) {
                fprintf(stderr, "concbench reproduce: %s\n", err);
                return -1;
            }
        }
    }
    for (int i = 0; i < o->nextra; i++)
        if (config_add_param(cfg, o->extra[i], err, sizeof(err)) != 0) {
            fprintf(stderr, "concbench reproduce: %s\n", err);
            return -1;
        }
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Running the Python variants */

static volatile sig_atomic_t py_stop;

static void on_py_stop(int sig)
{
    py_stop = sig;
}

/* Runs argv (argv[0] = the interpreter) with stdout and stderr captured, in its own process
 * group, killed after timeout_s or on SIGINT/SIGTERM. Returns the exit status, 128+signal, -1 on
 * timeout, -2 when interrupted, 127 when it could not be started. */
static int run_captured(char *const argv[], int timeout_s, char **out, char **errout)
{
    int po[2], pe[2], status = 0, open_o = 1, open_e = 1, rc;
    size_t lo = 0, le = 0;
    char *bo = calloc(1, PY_OUT_MAX + 1), *be = calloc(1, 8192);
    double deadline = clock_now_s() + timeout_s;
    pid_t pid;

    *out = bo;
    *errout = be;
    if (bo == NULL || be == NULL || pipe(po) != 0)
        return 127;
    if (pipe(pe) != 0) {
        close(po[0]);
        close(po[1]);
        return 127;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        close(po[0]);
        close(po[1]);
        close(pe[0]);
        close(pe[1]);
        return 127;
    }
    if (pid == 0) {
        setpgid(0, 0); /* so a timeout can stop multiprocessing's children too */
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close(po[0]);
        close(pe[0]);
        close(po[1]);
        close(pe[1]);
        setenv("PYTHONDONTWRITEBYTECODE", "1", 1); /* no __pycache__ in the source tree */
        execv(argv[0], argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid);
    close(po[1]);
    close(pe[1]);
    while (open_o || open_e) {
        struct pollfd p[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
        double left = deadline - clock_now_s();
        char buf[65536];
        if (left <= 0 || py_stop)
            break;
        if (poll(p, 2, left > 1 ? 1000 : (int)(left * 1000) + 1) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; i++) {
            int *isopen = i == 0 ? &open_o : &open_e;
            if (!*isopen || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = read(p[i].fd, buf, sizeof(buf));
            if (n <= 0) {
                *isopen = 0;
                continue;
            }
            if (i == 0 && lo + (size_t)n <= PY_OUT_MAX) {
                memcpy(bo + lo, buf, (size_t)n);
                lo += (size_t)n;
            } else if (i == 1) {
                /* Keep the end of stderr: a traceback's last line says what went wrong. */
                size_t cap = 8191, take = (size_t)n;
                const char *src = buf;
                if (take > cap) {
                    src += take - cap;
                    take = cap;
                }
                if (le + take > cap) {
                    size_t drop = le + take - cap;
                    memmove(be, be + drop, le - drop);
                    le -= drop;
                }
                memcpy(be + le, src, take);
                le += take;
                be[le] = '\0';
            }
        }
    }
    close(po[0]);
    close(pe[0]);
    rc = 0;
    if (open_o || open_e) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        rc = py_stop ? -2 : -1;
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    kill(-pid, SIGKILL); /* anything left in its group (multiprocessing's children) */
    if (rc != 0)
        return rc;
    if (WIFSIGNALED(status))
        return py_stop ? -2 : 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

/* The last line of a text (a traceback's verdict), trimmed. */
static void last_line(const char *text, char *out, size_t len)
{
    const char *end = text + strlen(text), *start;

    while (end > text && (end[-1] == '\n' || end[-1] == ' '))
        end--;
    start = end;
    while (start > text && start[-1] != '\n')
        start--;
    snprintf(out, len, "%.*s", (int)(end - start), start);
}

struct py_env {
    char script[PATH_MAX];
    json_t *info; /* --check's answer */
    int have_gevent, have_aiohttp;
};

/* Can the interpreter run our script, and which optional modules has it? 0, or -1 with why. */
static int python_probe(const struct repro_opts *o, struct py_env *py, char *why, size_t whylen)
{
    char *argv[] = {(char *)o->python, "-B", py->script, "--check", NULL};
    char *out = NULL, *err = NULL, line[512];
    json_error_t je;
    int rc;

    if (repro_find_file(PYTHON_REL_PATH, py->script, sizeof(py->script)) != 0) {
        snprintf(why, whylen,
                 "%s is not found (run from the source tree or set CONCBENCH_ROOT to it)",
                 PYTHON_REL_PATH);
        return -1;
    }
    if (access(o->python, X_OK) != 0) {
        snprintf(why, whylen,
                 "%s: %s (install Debian's python3, python3-gevent and python3-aiohttp: "
                 "scripts/install-deps.sh does)",
                 o->python, strerror(errno));
        return -1;
    }
    rc = run_captured(argv, 60, &out, &err);
    py->info = rc == 0 ? json_loads(out, JSON_DECODE_ANY, &je) : NULL;
    if (py->info == NULL || !json_is_object(py->info)) {
        last_line(err ? err : "", line, sizeof(line));
        snprintf(why, whylen, "%.200s cannot run %.300s (status %d%s%.300s)", o->python, py->script,
                 rc, line[0] ? ": " : "", line);
        json_decref(py->info);
        py->info = NULL;
        free(out);
        free(err);
        return -1;
    }
    {
        json_t *mods = json_object_get(py->info, "modules");
        py->have_gevent = json_is_string(json_object_get(mods, "gevent"));
        py->have_aiohttp = json_is_string(json_object_get(mods, "aiohttp"));
    }
    free(out);
    free(err);
    return 0;
}

static json_t *empty_figure(void)
{
    return json_pack("{s:f, s:f, s:f, s:f, s:f, s:[f,f], s:[]}", "median", 0.0, "mean", 0.0,
                     "stddev", 0.0, "min", 0.0, "max", 0.0, "ci95", 0.0, 0.0, "samples");
}

/* A Python case that produced no result: same shape, zero repetitions, the reason as error. */
static json_t *python_error_case(const struct repro_opts *o, int m, const char *workload,
                                 const char *why)
{
    static const char *const figs[] = {"wall_s",      "user_s",        "sys_s",
                                       "max_rss_kib", "ctx_voluntary", "ctx_involuntary"};
    char label[64];
    json_t *c;

    snprintf(label, sizeof(label), "python:%s", repro_python[m]);
    c = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:{}, s:{s:s}, s:i}", "implementation", "python",
                  "model", repro_models[m], "label", label, "workload", workload, "tasks", o->tasks,
                  "workers", 0, "params", "model_options", "python_model", repro_python[m],
                  "reps_done", 0);
    for (size_t i = 0; i < sizeof(figs) / sizeof(figs[0]); i++)
        json_object_set_new(c, figs[i], empty_figure());
    json_object_set_new(c, "speedup_vs_sequential", json_null());
    json_object_set_new(c, "validation",
                        json_pack("{s:b, s:s, s:i, s:i}", "ok", 0, "checksum", "0000000000000000",
                                  "tasks_checked", 0, "failures", 0));
    json_object_set_new(c, "errors", json_pack("{s:i, s:[s]}", "count", 1, "messages", why));
    json_object_set_new(c, "warnings", json_array());
    json_object_set_new(c, "timeline", json_array());
    json_object_set_new(c, "timeline_sampling",
                        json_pack("{s:i, s:i, s:i}", "every", 1, "kept", 0, "of", o->tasks));
    return c;
}

/* Runs one Python model on one workload; always returns a case (an error case on failure). */
static json_t *python_case(const struct repro_opts *o, const struct py_env *py, int m,
                           const char *workload, const char *url, int *interrupted)
{
    char a_tasks[32], a_reps[32], a_warm[32], a_base[32], a_exp[32], a_req[32], a_bytes[32],
        a_delay[32], a_timeout[32], a_run_timeout[32], why[1024], line[512];
    char *argv[40], *out = NULL, *err = NULL;
    int n = 0, rc, total = (o->warmup + o->reps) * o->timeout_s + 60;
    json_t *c = NULL;
    json_error_t je;

    snprintf(a_tasks, sizeof(a_tasks), "%d", o->tasks);
    snprintf(a_reps, sizeof(a_reps), "%d", o->reps);
    snprintf(a_warm, sizeof(a_warm), "%d", o->warmup);
    snprintf(a_base, sizeof(a_base), "%lld", o->base);
    snprintf(a_exp, sizeof(a_exp), "%lld", o->exponent);
    snprintf(a_req, sizeof(a_req), "%lld", o->requests);
    snprintf(a_bytes, sizeof(a_bytes), "%lld", o->bytes);
    snprintf(a_delay, sizeof(a_delay), "%lld", o->delay_ms);
    /* One request may take the server's delay plus a margin; one run what a C repetition may. */
    snprintf(a_timeout, sizeof(a_timeout), "%lld", o->delay_ms / 1000 + 30);
    snprintf(a_run_timeout, sizeof(a_run_timeout), "%d", o->timeout_s);
    argv[n++] = (char *)o->python;
    argv[n++] = "-B";
    argv[n++] = (char *)py->script;
    argv[n++] = "--model";
    argv[n++] = (char *)repro_python[m];
    argv[n++] = "--workload";
    argv[n++] = (char *)workload;
    argv[n++] = "--tasks";
    argv[n++] = a_tasks;
    argv[n++] = "--reps";
    argv[n++] = a_reps;
    argv[n++] = "--warmup";
    argv[n++] = a_warm;
    if (strcmp(workload, "cpu_bound") == 0) {
        argv[n++] = "--base";
        argv[n++] = a_base;
        argv[n++] = "--exponent";
        argv[n++] = a_exp;
    } else {
        argv[n++] = "--url";
        argv[n++] = (char *)url;
        argv[n++] = "--requests";
        argv[n++] = a_req;
        argv[n++] = "--bytes";
        argv[n++] = a_bytes;
        argv[n++] = "--delay-ms";
        argv[n++] = a_delay;
    }
    argv[n++] = "--timeout-s";
    argv[n++] = a_timeout;
    argv[n++] = "--run-timeout-s";
    argv[n++] = a_run_timeout;
    argv[n] = NULL;

    rc = run_captured(argv, total, &out, &err);
    last_line(err ? err : "", line, sizeof(line));
    if (rc == -2) {
        *interrupted = 1;
        snprintf(why, sizeof(why), "interrupted");
    } else if (rc == -1) {
        snprintf(why, sizeof(why), "the Python run took longer than %d s and was killed", total);
    } else if (rc != 0) {
        snprintf(why, sizeof(why), "the Python run exited with status %d%s%s", rc,
                 line[0] ? ": " : "", line);
    } else {
        c = json_loads(out, 0, &je);
        if (c != NULL) {
            json_t *doc =
                json_pack("{s:i, s:[O]}", "schema_version", RESULTS_SCHEMA_VERSION, "cases", c);
            char cerr[512];
            if (rfile_check(doc, "the Python output", cerr, sizeof(cerr)) != 0) {
                snprintf(why, sizeof(why), "%s", cerr);
                json_decref(c);
                c = NULL;
            }
            json_decref(doc);
        } else {
            snprintf(why, sizeof(why), "the Python run printed no JSON case (%s)", je.text);
        }
    }
    free(out);
    free(err);
    return c != NULL ? c : python_error_case(o, m, workload, why);
}

/* Speedups of the Python cases against the Python sequential case of the same workload. */
static void python_speedups(json_t *root)
{
    json_t *c;
    size_t i;

    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        const char *impl = json_string_value(json_object_get(c, "implementation"));
        double s;
        if (impl == NULL || strcmp(impl, "python") != 0)
            continue;
        s = case_speedup(root, c);
        json_object_set_new(c, "speedup_vs_sequential", s > 0 ? json_real(s) : json_null());
    }
}

static int write_atomic(json_t *root, const char *path)
{
    char tmp[PATH_MAX + 8];

    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    if (json_dump_file(root, tmp, JSON_INDENT(2) | JSON_REAL_PRECISION(9)) != 0 ||
        rename(tmp, path) != 0) {
        fprintf(stderr, "concbench reproduce: cannot write results to %s: %s\n", path,
                strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

static int case_ok(json_t *c)
{
    return case_valid(c);
}

/* ---------------------------------------------------------------------------------------------
 * The command */

int cmd_reproduce(int argc, char **argv)
{
    struct repro_opts o;
    struct config cfg;
    struct bench b = {0};
    struct py_env py = {0};
    json_t *hf[MAX_HF], *published = NULL, *missing = json_array(), *py_cases = json_array();
    json_t *skipped = json_array(), *root = NULL, *repro;
    char err[1024], py_why[1024] = "", url[256] = "";
    int rc = repro_parse(argc, argv, &o), nhf = 0, py_ok = 0, interrupted = 0, failed = 0;
    pid_t server_pid = 0;
    int server_port = 0;

    memset(&cfg, 0, sizeof(cfg));
    if (rc != 0) {
        json_decref(missing);
        json_decref(py_cases);
        json_decref(skipped);
        return rc == 1 ? 0 : 2;
    }
    /* Everything that can be refused is checked before any work. */
    if (o.json_path != NULL && results_check_writable(o.json_path, err, sizeof(err)) != 0) {
        fprintf(stderr, "concbench reproduce: %s\n", err);
        rc = 2;
        goto out;
    }
    for (; nhf < o.nhf; nhf++) {
        hf[nhf] = hyperfine_load(o.hf_paths[nhf], err, sizeof(err));
        if (hf[nhf] == NULL) {
            fprintf(stderr, "concbench reproduce: %s\n", err);
            rc = 2;
            goto out;
        }
    }
    published = published_load(o.published_path, err, sizeof(err));
    if (published == NULL) {
        if (o.published_path != NULL) {
            fprintf(stderr, "concbench reproduce: %s\n", err);
            rc = 2;
            goto out;
        }
        fprintf(stderr, "concbench reproduce: %s; the table goes on without them\n", err);
    }
    if (repro_config(&o, &cfg, missing) != 0) {
        rc = 2;
        goto out;
    }
    {
        json_t *m;
        size_t i;
        json_array_foreach(missing, i, m)
            fprintf(stderr, "concbench reproduce: %s; going on without it\n", json_string_value(m));
    }
    if (o.with_python) {
        py_ok = python_probe(&o, &py, py_why, sizeof(py_why)) == 0;
        if (!py_ok)
            fprintf(stderr, "concbench reproduce: no Python variants: %s; going on with C only\n",
                    py_why);
    }
    /* The Python io_bound variants get a server of their own (same delay and body): the C
     * workload's server lives inside its prepared instance. Spawned before any thread. */
    if (py_ok && cfg.nwls > 1) {
        if (server_spawn("127.0.0.1", 0, &server_pid, &server_port, err, sizeof(err)) != 0) {
            fprintf(stderr,
                    "concbench reproduce: cannot start a server for the Python io_bound "
                    "variants: %s; they are skipped\n",
                    err);
            server_pid = 0;
        } else {
            snprintf(url, sizeof(url), "http://127.0.0.1:%d/delay/%lld/bytes/%lld", server_port,
                     o.delay_ms, o.bytes);
        }
    }

    b.cfg = &cfg;
    b.context = context_json();
    if (bench_prepare(&b, err, sizeof(err)) != 0) {
        fprintf(stderr, "concbench reproduce: %s\n", err);
        bench_release(&b);
        rc = 2;
        goto out;
    }
    failed = bench_run(&b) != 0;
    interrupted = b.interrupted;
    bench_release(&b); /* the C io_bound's server is not needed any more */

    if (py_ok && !interrupted) {
        struct sigaction sa = {0}, old_int, old_term;
        int total = 0, done = 0;

        sa.sa_handler = on_py_stop; /* no SA_RESTART: the wait must notice */
        sigaction(SIGINT, &sa, &old_int);
        sigaction(SIGTERM, &sa, &old_term);
        py_stop = 0;
        for (int w = 0; w < cfg.nwls; w++)
            total += REPRO_NMODELS;
        for (int w = 0; w < cfg.nwls && !interrupted; w++) {
            const char *wl = cfg.wls[w].wl->name;
            for (int m = 0; m < REPRO_NMODELS && !interrupted; m++) {
                const char *pm = repro_python[m];
                char why[256] = "";
                json_t *c;
                done++;
                if (strcmp(pm, "gevent") == 0 && !py.have_gevent)
                    snprintf(why, sizeof(why),
                             "python:gevent skipped: %s has no gevent (apt-get install "
                             "python3-gevent)",
                             o.python);
                else if (strcmp(pm, "asyncio") == 0 && strcmp(wl, "io_bound") == 0 &&
                         !py.have_aiohttp)
                    snprintf(why, sizeof(why),
                             "python:asyncio io_bound skipped: %s has no aiohttp (apt-get "
                             "install python3-aiohttp)",
                             o.python);
                else if (strcmp(wl, "io_bound") == 0 && url[0] == '\0')
                    snprintf(why, sizeof(why), "python io_bound skipped: no server");
                if (why[0] != '\0') {
                    int seen = 0;
                    json_t *s;
                    size_t k;
                    json_array_foreach(skipped, k, s) seen |=
                        strcmp(json_string_value(s), why) == 0;
                    if (!seen) {
                        json_array_append_new(skipped, json_string(why));
                        fprintf(stderr, "concbench reproduce: %s\n", why);
                    }
                    continue;
                }
                if (isatty(2))
                    fprintf(stderr, "\rpython %d/%d: %-16s %-10s", done, total, pm, wl);
                c = python_case(&o, &py, m, wl, url, &interrupted);
                if (interrupted) {
                    json_decref(c);
                    break;
                }
                if (!case_ok(c))
                    failed = 1;
                json_array_append_new(py_cases, c);
            }
        }
        if (isatty(2))
            fprintf(stderr, "\r%60s\r", "");
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        if (interrupted)
            fprintf(stderr, "concbench reproduce: interrupted; finished cases are kept%s%s\n",
                    o.json_path ? " in " : "", o.json_path ? o.json_path : "");
    }
    if (server_pid > 0)
        server_stop(server_pid);
    server_pid = 0;

    /* One document: the C run as results_json writes it, the Python cases after the C ones, and
     * what the reproduction was made against. */
    root = results_json(&b);
    json_array_extend(json_object_get(root, "cases"), py_cases);
    python_speedups(root);
    if (interrupted)
        json_object_set_new(root, "interrupted", json_true());
    repro = json_pack("{s:s, s:o, s:O}", "experiment", "article_003", "published",
                      published ? json_incref(published) : json_null(), "missing", missing);
    if (o.with_python) {
        json_t *pj =
            json_pack("{s:s, s:b, s:O}", "interpreter", o.python, "ran", py_ok, "skipped", skipped);
        if (!py_ok)
            json_object_set_new(pj, "reason", json_string(py_why));
        if (py.info != NULL) {
            json_object_set(pj, "version", json_object_get(py.info, "python"));
            json_object_set(pj, "modules", json_object_get(py.info, "modules"));
        }
        if (url[0] != '\0')
            json_object_set_new(pj, "server", json_string(url));
        json_object_set_new(pj, "note",
                            json_string("Python cases run after the C rounds, one interpreter "
                                        "process per model and workload with all its "
                                        "repetitions, against a server of their own with the "
                                        "same delay and body size as the C io_bound's"));
        json_object_set_new(repro, "python", pj);
    }
    json_object_set_new(root, "reproduction", repro);
    if (o.json_path != NULL && write_atomic(root, o.json_path) != 0)
        failed = 1;

    if (!o.quiet) {
        repro_table(root, published, stdout);
        repro_reading(root, published, stdout);
        hyperfine_table(root, hf, o.hf_paths, nhf, stdout);
        repro_notes(root, stdout);
        if (o.json_path != NULL)
            printf("\nResults: %s (concbench report %s; concbench plot %s -o FILE.png)\n",
                   o.json_path, o.json_path, o.json_path);
    }
    rc = failed || interrupted ? 1 : 0;
    bench_free(&b);
out:
    if (server_pid > 0)
        server_stop(server_pid);
    json_decref(b.context);
    json_decref(root);
    json_decref(published);
    json_decref(py.info);
    json_decref(missing);
    json_decref(py_cases);
    json_decref(skipped);
    for (int i = 0; i < nhf; i++)
        json_decref(hf[i]);
    config_free(&cfg);
    return rc;
}
