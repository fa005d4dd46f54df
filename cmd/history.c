/* `concbench history add|list|show|compare`: results kept in an SQLite database
 * (analysis/history.h), and compared run against run as `compare` compares files. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/history.h"
#include "analysis/history_check.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "cmd/compare_opts.h"
#include "cmd/history_check.h"
#include "cmd/history_publish.h"
#include "common/params.h"
#include "common/termsafe.h"
#include "report/plot.h"
#include "rmodel/case_key.h"

/* The most runs a trend draws (the oldest first). */
#define HISTORY_TREND_MAX 2000

/* history --help: what add, list, machines, show and compare do. */
static void history_usage_store(FILE *out)
{
    fputs("  add      stores each results file: its context, config, commit and date, and\n"
          "           every case's figures and samples, under its machine and branch.\n"
          "           Adding the same file again does nothing; jobs adding at once all\n"
          "           land (transactions, tried again on a busy database). Refused: a\n"
          "           date that is not RFC 3339; an interrupted or partial run, or one\n"
          "           without cases, unless --allow-partial (it is then never latest,\n"
          "           nor a commit's run, nor in a check's window). An SQLite DB is a\n"
          "           file: not empty, :memory: or a file: URI.\n"
          "  list     every stored run, oldest first: id, date, commit, machine, branch,\n"
          "           cases, file\n"
          "  machines every machine with its runs. A machine's key is --machine NAME (or\n"
          "           CONCBENCH_MACHINE), else host-XXXXXXXX: the host and a digest of\n"
          "           host, CPU model, logical CPUs, kernel and the CI runner's labels.\n"
          "           The branch is --branch, else the CI's (GITHUB_REF,\n"
          "           CI_COMMIT_REF_NAME) as the results file recorded it.\n"
          "  show     the history of the cases whose key contains CASE-SELECTOR (keys look\n"
          "           like cpu_bound/pthreads/n=10/w=0/...), a series per case and machine:\n"
          "           median, interval, speed-up; --metric normalized or instructions\n"
          "           adds that column (- where a run has none)\n"
          "  compare  two stored runs, with the output and exit status of `concbench\n"
          "           compare`\n",
          out);
}

/* history --help: what check, trend and publish do. */
static void history_usage_judge(FILE *out)
{
    fputs("  check    each case of FILE against the latest --window results (20) of the\n"
          "           same case, machine and branch, cut at the window's latest step (the\n"
          "           trend rule): a Student t prediction interval over the window's\n"
          "           values, one-sided; slower or faster when p < --alpha and the change\n"
          "           is beyond --threshold; insufficient below --min-window (5) results.\n"
          "           --format text|markdown|json. --metric, what each run keeps:\n"
          "             wall          median wall seconds (the default)\n"
          "             speedup       per-round sequential/model (misses a slowdown of\n"
          "                           every model alike)\n"
          "             normalized    wall / the reference kernel of the same rounds:\n"
          "                           cancels a runner's drift, sees a common slowdown;\n"
          "                           runs whose results file has a reference_kernel\n"
          "                           (`run` since --metric normalized, not sweep), and\n"
          "                           only runs of FILE's kernel\n"
          "             instructions  single-thread cases of runs made with run --count\n"
          "                           instructions (deterministic: the steadiest gate)\n"
          "           Stored runs without the figure are left out of the windows, and\n"
          "           the note under the table names their commits.\n"
          "  trend    one case's median and 95% interval per stored run (commits on the x\n"
          "           axis, gnuplot), step changes marked and printed. A run is a step when\n"
          "           its median is >= 5 standard deviations and >= 5% away from the mean\n"
          "           of the runs before it (at most 20, none before the previous step; at\n"
          "           least 3), the rule of Arrow's conbench. --keep keeps the gnuplot\n"
          "           script and data. Machines are never mixed: name one with --machine.\n"
          "  publish  the history as a static site in DIR (created when missing), as asv\n"
          "           publish makes one: index.html lists per machine each case's latest\n"
          "           step (the trend rule), a regression or an improvement, with the\n"
          "           commit where it happened, and the cases whose newest run the check\n"
          "           gate fails (against the runs before it: --window, --alpha,\n"
          "           --threshold). A page per workload: a chart per case over commits\n"
          "           (median wall time, its 95% interval as a band, a line per machine\n"
          "           and branch, steps marked); a point links to its run (commit, date,\n"
          "           machine, CPU, kernel, file, the run's table). Plain HTML and SVG,\n"
          "           no script: it opens from file:// and serves from GitHub Pages.\n"
          "           --machine and --branch keep one machine's or branch's runs.\n",
          out);
}

static void history_usage(FILE *out)
{
    fprintf(out,
            "Usage: concbench history add FILE... [--allow-partial] [--machine NAME]\n"
            "                             [--branch NAME] [--db DB]\n"
            "       concbench history list|machines [--db DB]\n"
            "       concbench history show CASE-SELECTOR [--machine KEY] [--metric M]\n"
            "                              [--db DB]\n"
            "       concbench history compare --base REF [--head REF] [--db DB] [options]\n"
            "       concbench history check FILE [--window N] [--min-window N] [--db DB]\n"
            "                               [options]\n"
            "       concbench history trend CASE-SELECTOR -o FILE.png|FILE.svg\n"
            "                               [--machine KEY] [--keep] [--db DB]\n"
            "       concbench history publish -o DIR [--machine KEY] [--branch NAME]\n"
            "                               [--window N] [--db DB]\n"
            "\n"
            "Keeps results files in a database so CI can judge a commit against earlier\n"
            "ones. DB is an SQLite file (default %s) or a PostgreSQL\n"
            "URL (postgresql://USER@HOST/NAME: one history that many runners share);\n"
            "without --db, %s names it when set.\n",
            HIST_DEFAULT_DB, HIST_DB_ENV);
    history_usage_store(out);
    history_usage_judge(out);
    fprintf(out,
            "\n"
            "REF: latest (the newest run by date), latest~N (N runs before it), or the start\n"
            "of a git commit (its newest run; a start several commits share is refused).\n"
            "--head defaults to latest.\n"
            "\n"
            "Options of compare and check:\n"
            "%s"
            "\n"
            "Exit status of add, list, show, publish: 0; 1 a file or the database cannot\n"
            "be read (other files are still added), or a page not written; 2 bad usage.\n"
            "check: as compare's, 3 on a regression.\n",
            cmpo_help);
}

static int history_add(const char *db, char **files, int nfiles, const struct hist_add_opts *o)
{
    struct hist h;
    char err[1024];
    int rc = 0;

    if (hist_open(&h, db, 1, err, sizeof(err)) != 0) {
        cli_error("history", err);
        return 1;
    }
    for (int i = 0; i < nfiles; i++) {
        long long id = -1;
        struct rm_file *f = rm_load(files[i], err, sizeof(err));
        int added = f ? hist_add_as(&h, f, files[i], o, &id, err, sizeof(err)) : -1;
        char commit[64], file[1024], dbs[1024];
        term_safe(files[i], 0, file, sizeof(file));
        term_safe(db, 0, dbs, sizeof(dbs));
        if (added < 0) {
            char msg[2048];
            snprintf(msg, sizeof(msg), "%s%s%s", f ? files[i] : "", f ? ": " : "", err);
            cli_error("history", msg);
            rc = 1;
        } else if (added == 0) {
            printf("%s: already in %s as run %lld, not added again\n", file, dbs, id);
        } else {
            printf(
                "%s: added to %s as run %lld (%d cases, commit %s)\n", file, dbs, id, f->ncases,
                term_safe(f->context ? f->context->git_commit : NULL, 12, commit, sizeof(commit)));
        }
        rm_free(f);
    }
    hist_close(&h);
    return rc;
}

static void history_list_row(const struct hist_run_row *r, void *arg)
{
    char date[128], commit[64], machine[640], branch[1024], source[4096];
    (void)arg;
    printf("%5lld  %-20s  %-14s  %-24s  %-10s  %5lld  %s\n", r->id,
           term_safe(r->date, 32, date, sizeof(date)),
           term_safe(r->commit, 12, commit, sizeof(commit)),
           term_safe(r->machine, 0, machine, sizeof(machine)),
           term_safe(r->branch ? r->branch : "-", 0, branch, sizeof(branch)), r->ncases,
           term_safe(r->source ? r->source : "", 0, source, sizeof(source)));
}

struct history_show_state {
    char key[CK_KEY_MAX], machine[160];
    int rows;
    enum cmp_metric metric; /* normalized, instructions: a column of its own */
};

/* The extra column of show --metric normalized|instructions: its header, or a row's value. */
static const char *history_show_extra(const struct history_show_state *s,
                                      const struct hist_case_row *r, char *buf, size_t len)
{
    double v;

    if (s->metric != CMP_NORMALIZED && s->metric != CMP_INSTRUCTIONS)
        return "";
    if (r == NULL)
        snprintf(buf, len, "  %14s", s->metric == CMP_NORMALIZED ? "normalized k" : "instructions");
    else if (isnan(v = hist_metric_value(&r->fig, s->metric)))
        snprintf(buf, len, "  %14s", "-");
    else if (s->metric == CMP_NORMALIZED)
        snprintf(buf, len, "  %13.4fk", v);
    else
        snprintf(buf, len, "  %14.0f", v);
    return buf;
}

static void history_show_row(const struct hist_case_row *r, void *arg)
{
    struct history_show_state *s = arg;
    char sp[32] = "-", key[CK_KEY_MAX * TERM_SAFE_GROWTH], machine[640], date[128], commit[64];
    char extra[48];

    if (strcmp(s->key, r->key) != 0 || strcmp(s->machine, r->machine ? r->machine : "?") != 0) {
        snprintf(s->key, sizeof(s->key), "%s", r->key);
        snprintf(s->machine, sizeof(s->machine), "%s", r->machine ? r->machine : "?");
        printf("%s%s on %s\n%5s  %-20s  %-12s  %10s  %21s  %8s%s  %4s  %s\n", s->rows ? "\n" : "",
               term_safe(r->key, 0, key, sizeof(key)),
               term_safe(s->machine, 0, machine, sizeof(machine)), "run", "date", "commit",
               "median s", "95% interval", "speedup", history_show_extra(s, NULL, extra, 48),
               "reps", "valid");
    }
    if (!isnan(r->fig.speedup))
        snprintf(sp, sizeof(sp), "%.2fx", r->fig.speedup);
    printf("%5lld  %-20s  %-12s  %10.4f  [%9.4f, %9.4f]  %8s%s  %4lld  %s\n", r->run_id,
           term_safe(r->date, 32, date, sizeof(date)),
           term_safe(r->commit, 12, commit, sizeof(commit)), r->fig.median, r->fig.lo, r->fig.hi,
           sp, history_show_extra(s, r, extra, sizeof(extra)), r->reps, r->valid ? "yes" : "NO");
    s->rows++;
}

/* list and show: read-only walks over the database. */
static int history_read(const char *db, const char *selector, const char *machine,
                        enum cmp_metric metric)
{
    struct hist h;
    struct history_show_state s = {"", "", 0, metric};
    char err[1024];
    int rc;

    if (selector != NULL && (rc = history_metric_usable("show", metric)) != 0)
        return rc;
    if (hist_open(&h, db, 0, err, sizeof(err)) != 0) {
        cli_error("history", err);
        return 1;
    }
    if (selector == NULL) {
        printf("%5s  %-20s  %-14s  %-24s  %-10s  %5s  %s\n", "run", "date", "commit", "machine",
               "branch", "cases", "file");
        rc = hist_each_run(&h, history_list_row, NULL, err, sizeof(err));
    } else {
        rc = hist_each_case(&h, selector, machine, history_show_row, &s, err, sizeof(err));
        if (rc == 0 && s.rows == 0)
            printf("no stored case has a key containing '%s' (keys look like "
                   "cpu_bound/pthreads/n=10/w=0/...)\n",
                   selector);
    }
    if (rc != 0)
        cli_error("history", err);
    hist_close(&h);
    return rc != 0;
}

/* The runs of the one case a selector names, as trend points. */
struct history_trend_state {
    struct trend_point pts[HISTORY_TREND_MAX];
    int n, keys;
    char key[CK_KEY_MAX + 200];  /* the first case's key and machine */
    char last[CK_KEY_MAX + 200]; /* the key and machine of the row before */
};

static void history_trend_row(const struct hist_case_row *r, void *arg)
{
    struct history_trend_state *s = arg;
    struct trend_point *p;

    char series[CK_KEY_MAX + 200];

    /* a series is one case on one machine: machines are never mixed in one trend */
    snprintf(series, sizeof(series), "%s on %s", r->key, r->machine ? r->machine : "?");
    if (strcmp(s->last, series) != 0) {
        snprintf(s->last, sizeof(s->last), "%s", series);
        if (s->keys++ > 0)
            fprintf(stderr, "  %s\n", series); /* listed when the selector is ambiguous */
        else
            snprintf(s->key, sizeof(s->key), "%s", series);
    }
    if (s->keys > 1 || s->n >= HISTORY_TREND_MAX || !r->valid || isnan(r->fig.median))
        return;
    p = &s->pts[s->n++];
    snprintf(p->commit, sizeof(p->commit), "%.7s", r->commit ? r->commit : "?");
    snprintf(p->date, sizeof(p->date), "%s", r->date ? r->date : "?");
    p->median = r->fig.median;
    p->lo = isnan(r->fig.lo) ? r->fig.median : r->fig.lo;
    p->hi = isnan(r->fig.hi) ? r->fig.median : r->fig.hi;
}

static int history_trend(const char *db, const char *selector, const char *machine,
                         const char *output, int keep, enum cmp_metric metric)
{
    static struct history_trend_state s;
    struct hist h;
    char err[1024];

    memset(&s, 0, sizeof(s));
    if (metric != CMP_WALL) {
        int listed = metric == CMP_NORMALIZED || metric == CMP_INSTRUCTIONS;

        fprintf(stderr,
                "concbench history: trend draws only --metric wall (the median wall time each "
                "run keeps)%s%s%s\n",
                listed ? "; history show --metric " : "", listed ? cmp_metric_name(metric) : "",
                listed ? " lists that figure per run" : "");
        return 2;
    }
    if (output == NULL || !plot_output_ok(output)) {
        fprintf(stderr, "concbench history: trend needs -o FILE.png or FILE.svg\n");
        return 2;
    }
    if (cli_output("history", output) == CLI_USAGE)
        return 2;
    if (hist_open(&h, db, 0, err, sizeof(err)) != 0) {
        cli_error("history", err);
        return 1;
    }
    if (hist_each_case(&h, selector, machine, history_trend_row, &s, err, sizeof(err)) != 0)
        cli_error("history", err);
    hist_close(&h);
    if (s.keys > 1) {
        fprintf(stderr,
                "  %s\nconcbench history: '%s' names %d series (above): give more of the "
                "key, or --machine KEY\n",
                s.key, selector, s.keys);
        return 2;
    }
    if (s.n == 0) {
        fprintf(stderr,
                "concbench history: no valid stored run of a case whose key contains "
                "'%s'\n",
                selector);
        return 1;
    }
    trend_steps(s.pts, s.n);
    for (int i = 0; i < s.n; i++)
        if (s.pts[i].step)
            printf("step %s at %s (%s): median %.4f s\n", s.pts[i].step > 0 ? "up" : "down",
                   s.pts[i].commit, s.pts[i].date, s.pts[i].median);
    return plot_trend(s.key, s.pts, s.n, output, keep);
}

static int history_compare(const char *db, const char *base_ref, const char *head_ref,
                           const struct cmpo *o)
{
    struct hist h;
    struct rm_file *base = NULL, *head = NULL;
    char err[1024], bname[128], hname[128];
    int rc = CMPO_EXIT_INPUT;

    if (hist_open(&h, db, 0, err, sizeof(err)) != 0) {
        cli_error("history", err);
        return CMPO_EXIT_INPUT;
    }
    base = hist_load(&h, base_ref, bname, sizeof(bname), err, sizeof(err));
    if (base != NULL)
        head = hist_load(&h, head_ref, hname, sizeof(hname), err, sizeof(err));
    if (base == NULL || head == NULL)
        cli_error("history", err);
    else
        rc = cmpo_compare(o, "history compare", base, bname, head, hname);
    rm_free(base);
    rm_free(head);
    hist_close(&h);
    return rc;
}

static void history_machine_row(const struct hist_machine_row *r, void *arg)
{
    char key[640], first[128], last[128], cpu[640], kernel[640], labels[1024];
    (void)arg;
    printf("%-28s  %5lld  %-20s  %-20s  %-24s  %4lld  %-20s  %s\n",
           term_safe(r->key, 0, key, sizeof(key)), r->runs,
           term_safe(r->first ? r->first : "-", 32, first, sizeof(first)),
           term_safe(r->last ? r->last : "-", 32, last, sizeof(last)),
           term_safe(r->cpu_model && r->cpu_model[0] ? r->cpu_model : "?", 24, cpu, sizeof(cpu)),
           r->logical_cpus,
           term_safe(r->kernel && r->kernel[0] ? r->kernel : "?", 20, kernel, sizeof(kernel)),
           term_safe(r->labels ? r->labels : "", 0, labels, sizeof(labels)));
}

static int history_machines(const char *db)
{
    struct hist h;
    char err[1024];
    int rc;

    if (hist_open(&h, db, 0, err, sizeof(err)) != 0) {
        cli_error("history", err);
        return 1;
    }
    printf("%-28s  %5s  %-20s  %-20s  %-24s  %4s  %-20s  %s\n", "machine", "runs", "first", "last",
           "cpu", "cpus", "kernel", "labels");
    rc = hist_each_machine(&h, history_machine_row, NULL, err, sizeof(err));
    if (rc != 0)
        cli_error("history", err);
    hist_close(&h);
    return rc != 0;
}

/* Options of every subcommand; the subcommand and its arguments are the non-options. */
struct history_opts {
    const char *db, *base, *head, *output, *machine, *branch;
    int keep, allow_partial;
    long long window, min_window;
};

enum { HISTORY_OPT_MACHINE = 0x200, HISTORY_OPT_BRANCH, HISTORY_OPT_WINDOW, HISTORY_OPT_MIN };

static int history_parse(int argc, char **argv, struct history_opts *h, struct cmpo *o)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"base", required_argument, NULL, 'b'},
        {"head", required_argument, NULL, 'H'},
        {"output", required_argument, NULL, 'o'},
        {"keep", no_argument, NULL, 'k'},
        {"allow-partial", no_argument, NULL, 'p'},
        {"machine", required_argument, NULL, HISTORY_OPT_MACHINE},
        {"branch", required_argument, NULL, HISTORY_OPT_BRANCH},
        {"window", required_argument, NULL, HISTORY_OPT_WINDOW},
        {"min-window", required_argument, NULL, HISTORY_OPT_MIN},
        CMPO_LONGOPTS,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct cli cli;
    int c;

    cli_init(&cli, "history", argc, argv, "o:h", longopts);
    while ((c = cli_next(&cli)) != -1) {
        if (c == 'd')
            h->db = optarg;
        else if (c == 'b')
            h->base = optarg;
        else if (c == 'H')
            h->head = optarg;
        else if (c == 'o')
            h->output = optarg;
        else if (c == 'k')
            h->keep = 1;
        else if (c == 'p')
            h->allow_partial = 1;
        else if (c == HISTORY_OPT_MACHINE)
            h->machine = optarg;
        else if (c == HISTORY_OPT_BRANCH)
            h->branch = optarg;
        else if (c == HISTORY_OPT_WINDOW || c == HISTORY_OPT_MIN) {
            long long *v = c == HISTORY_OPT_WINDOW ? &h->window : &h->min_window;
            if (parse_ll(optarg, 2, 1000, v) != 0) {
                fprintf(stderr,
                        "concbench history: --%s '%s': expected a whole number from 2 to 1000\n",
                        c == HISTORY_OPT_WINDOW ? "window" : "min-window", optarg);
                return 2;
            }
        } else if (c == 'h') {
            history_usage(stdout);
            return 0;
        } else if (c == CLI_USAGE || cmpo_option(o, "history", c, optarg) != 1)
            return 2;
    }
    return -1;
}

int cmd_history(int argc, char **argv)
{
    const char *env_db = getenv(HIST_DB_ENV), *env_machine = getenv("CONCBENCH_MACHINE");
    struct history_opts h = {.db = env_db && env_db[0] ? env_db : HIST_DEFAULT_DB,
                             .head = "latest",
                             .window = HCHK_WINDOW,
                             .min_window = HCHK_MIN_WINDOW};
    const char *db, *sub;
    struct cmpo o;
    int rc, nargs;

    cmpo_defaults(&o);
    /* GNU getopt moves the non-options (subcommand, files) to the end, in order. */
    if ((rc = history_parse(argc, argv, &h, &o)) >= 0)
        return rc;
    db = h.db;
    sub = optind < argc ? argv[optind] : "";
    nargs = argc - optind - 1;
    if (strcmp(sub, "add") == 0 && nargs >= 1) {
        struct hist_add_opts ao = {h.machine ? h.machine : env_machine, h.branch, h.allow_partial};
        return history_add(db, argv + optind + 1, nargs, &ao);
    }
    if (strcmp(sub, "list") == 0 && nargs == 0)
        return history_read(db, NULL, NULL, CMP_WALL);
    if (strcmp(sub, "machines") == 0 && nargs == 0)
        return history_machines(db);
    if (strcmp(sub, "show") == 0 && nargs == 1)
        return history_read(db, argv[optind + 1], h.machine, o.cmp.metric);
    if (strcmp(sub, "compare") == 0 && nargs == 0 && h.base != NULL)
        return history_compare(db, h.base, h.head, &o);
    if (strcmp(sub, "check") == 0 && nargs == 1) {
        struct history_check_opts co = {(int)h.window, (int)h.min_window,
                                        h.machine ? h.machine : env_machine, h.branch};
        if (co.min_window > co.window) {
            fprintf(stderr, "concbench history: --min-window %d is above --window %d\n",
                    co.min_window, co.window);
            return 2;
        }
        return history_check(db, argv[optind + 1], &co, &o);
    }
    if (strcmp(sub, "publish") == 0 && nargs == 0) {
        struct history_publish_opts po = {h.output, h.machine, h.branch, (int)h.window,
                                          (int)h.min_window};
        return history_publish(db, &po, &o);
    }
    if (strcmp(sub, "trend") == 0 && nargs == 1)
        return history_trend(db, argv[optind + 1], h.machine, h.output, h.keep, o.cmp.metric);
    fprintf(stderr,
            "concbench history: expected add FILE..., list, machines, show CASE-SELECTOR, "
            "compare --base REF, check FILE, trend CASE-SELECTOR -o FILE.png or publish -o DIR "
            "(see "
            "concbench history --help)\n");
    return 2;
}
