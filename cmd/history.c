/* `concbench history add|list|show|compare`: results kept in an SQLite database
 * (analysis/history.h), and compared run against run as `compare` compares files. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/history.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "cmd/compare_opts.h"
#include "report/plot.h"
#include "common/termsafe.h"
#include "rmodel/case_key.h"

/* The most runs a trend draws (the oldest first). */
#define HISTORY_TREND_MAX 2000

static void history_usage(FILE *out)
{
    fprintf(
        out,
        "Usage: concbench history add FILE... [--allow-partial] [--db PATH]\n"
        "       concbench history list [--db PATH]\n"
        "       concbench history show CASE-SELECTOR [--db PATH]\n"
        "       concbench history compare --base REF [--head REF] [--db PATH] [options]\n"
        "       concbench history trend CASE-SELECTOR -o FILE.png|FILE.svg [--keep]\n"
        "                               [--db PATH]\n"
        "\n"
        "Keeps results files in an SQLite database (default %s)\n"
        "so CI can compare a commit with earlier ones:\n"
        "  add      stores each results file: its context, config, commit and date, and\n"
        "           every case's figures and samples. Adding the same file again does\n"
        "           nothing; two jobs adding at once both land (transactions, busy wait).\n"
        "           Refused: a date that is not RFC 3339; an interrupted or partial\n"
        "           run, or one without cases, unless --allow-partial (it is then\n"
        "           never latest, nor a commit's run). --db is a file: not empty,\n"
        "           :memory: or a file: URI.\n"
        "  list     every stored run, oldest first: id, date, commit, host, cases, file\n"
        "  show     the history of the cases whose key contains CASE-SELECTOR (keys look\n"
        "           like cpu_bound/pthreads/n=10/w=0/...; e.g. show cpu_bound/pthreads)\n"
        "  compare  two stored runs, with the output and exit status of `concbench\n"
        "           compare`\n"
        "  trend    one case's median and 95%% interval per stored run (commits on the x\n"
        "           axis, gnuplot), step changes marked and printed. A run is a step when\n"
        "           its median is >= 5 standard deviations and >= 5%% away from the mean\n"
        "           of the runs before it (at most 20, none before the previous step; at\n"
        "           least 3), the rule of Arrow's conbench. --keep keeps the gnuplot\n"
        "           script and data.\n"
        "\n"
        "REF: latest (the newest run by date), latest~N (N runs before it), or the start\n"
        "of a git commit (its newest run; a start several commits share is refused).\n"
        "--head defaults to latest.\n"
        "\n"
        "Options of compare:\n"
        "%s"
        "\n"
        "Exit status of add, list, show: 0; 1 a file or the database cannot be read\n"
        "(other files are still added); 2 bad usage.\n",
        HIST_DEFAULT_DB, cmpo_help);
}

static int history_add(const char *db, char **files, int nfiles, int allow_partial)
{
    struct hist h;
    char err[1024];
    int rc = 0;

    if (hist_open(&h, db, 1, err, sizeof(err)) != 0) {
        fprintf(stderr, "concbench history: %s\n", err);
        return 1;
    }
    for (int i = 0; i < nfiles; i++) {
        long long id = -1;
        struct rm_file *f = rm_load(files[i], err, sizeof(err));
        int added = f ? hist_add(&h, f, files[i], allow_partial, &id, err, sizeof(err)) : -1;
        char commit[64];
        if (added < 0) {
            fprintf(stderr, "concbench history: %s%s%s\n", f ? files[i] : "", f ? ": " : "", err);
            rc = 1;
        } else if (added == 0) {
            printf("%s: already in %s as run %lld, not added again\n", files[i], db, id);
        } else {
            printf(
                "%s: added to %s as run %lld (%d cases, commit %s)\n", files[i], db, id, f->ncases,
                term_safe(f->context ? f->context->git_commit : NULL, 12, commit, sizeof(commit)));
        }
        rm_free(f);
    }
    hist_close(&h);
    return rc;
}

static void history_list_row(const struct hist_run_row *r, void *arg)
{
    char date[128], commit[64], host[256], source[4096];
    (void)arg;
    printf("%5lld  %-20s  %-14s  %-12s  %5lld  %s\n", r->id,
           term_safe(r->date, 32, date, sizeof(date)),
           term_safe(r->commit, 12, commit, sizeof(commit)),
           term_safe(r->host, 0, host, sizeof(host)), r->ncases,
           term_safe(r->source ? r->source : "", 0, source, sizeof(source)));
}

struct history_show_state {
    char key[CK_KEY_MAX];
    int rows;
};

static void history_show_row(const struct hist_case_row *r, void *arg)
{
    struct history_show_state *s = arg;
    char sp[32] = "-", key[CK_KEY_MAX * TERM_SAFE_GROWTH], date[128], commit[64];

    if (strcmp(s->key, r->key) != 0) {
        snprintf(s->key, sizeof(s->key), "%s", r->key);
        printf("%s%s\n%5s  %-20s  %-12s  %10s  %21s  %8s  %4s  %s\n", s->rows ? "\n" : "",
               term_safe(r->key, 0, key, sizeof(key)), "run", "date", "commit", "median s",
               "95% interval", "speedup", "reps", "valid");
    }
    if (!isnan(r->speedup))
        snprintf(sp, sizeof(sp), "%.2fx", r->speedup);
    printf("%5lld  %-20s  %-12s  %10.4f  [%9.4f, %9.4f]  %8s  %4lld  %s\n", r->run_id,
           term_safe(r->date, 32, date, sizeof(date)),
           term_safe(r->commit, 12, commit, sizeof(commit)), r->median, r->lo, r->hi, sp, r->reps,
           r->valid ? "yes" : "NO");
    s->rows++;
}

/* list and show: read-only walks over the database. */
static int history_read(const char *db, const char *selector)
{
    struct hist h;
    struct history_show_state s = {"", 0};
    char err[1024];
    int rc;

    if (hist_open(&h, db, 0, err, sizeof(err)) != 0) {
        fprintf(stderr, "concbench history: %s\n", err);
        return 1;
    }
    if (selector == NULL) {
        printf("%5s  %-20s  %-14s  %-12s  %5s  %s\n", "run", "date", "commit", "host", "cases",
               "file");
        rc = hist_each_run(&h, history_list_row, NULL, err, sizeof(err));
    } else {
        rc = hist_each_case(&h, selector, history_show_row, &s, err, sizeof(err));
        if (rc == 0 && s.rows == 0)
            printf("no stored case has a key containing '%s' (keys look like "
                   "cpu_bound/pthreads/n=10/w=0/...)\n",
                   selector);
    }
    if (rc != 0)
        fprintf(stderr, "concbench history: %s\n", err);
    hist_close(&h);
    return rc != 0;
}

/* The runs of the one case a selector names, as trend points. */
struct history_trend_state {
    struct trend_point pts[HISTORY_TREND_MAX];
    int n, keys;
    char key[CK_KEY_MAX];  /* the first case's key */
    char last[CK_KEY_MAX]; /* the key of the row before */
};

static void history_trend_row(const struct hist_case_row *r, void *arg)
{
    struct history_trend_state *s = arg;
    struct trend_point *p;

    if (strcmp(s->last, r->key) != 0) {
        snprintf(s->last, sizeof(s->last), "%s", r->key);
        if (s->keys++ > 0)
            fprintf(stderr, "  %s\n", r->key); /* listed when the selector is ambiguous */
        else
            snprintf(s->key, sizeof(s->key), "%s", r->key);
    }
    if (s->keys > 1 || s->n >= HISTORY_TREND_MAX || !r->valid || isnan(r->median))
        return;
    p = &s->pts[s->n++];
    snprintf(p->commit, sizeof(p->commit), "%.7s", r->commit ? r->commit : "?");
    snprintf(p->date, sizeof(p->date), "%s", r->date ? r->date : "?");
    p->median = r->median;
    p->lo = isnan(r->lo) ? r->median : r->lo;
    p->hi = isnan(r->hi) ? r->median : r->hi;
}

static int history_trend(const char *db, const char *selector, const char *output, int keep)
{
    static struct history_trend_state s;
    struct hist h;
    char err[1024];

    memset(&s, 0, sizeof(s));
    if (output == NULL || !plot_output_ok(output)) {
        fprintf(stderr, "concbench history: trend needs -o FILE.png or FILE.svg\n");
        return 2;
    }
    if (cli_output("history", output) == CLI_USAGE)
        return 2;
    if (hist_open(&h, db, 0, err, sizeof(err)) != 0) {
        fprintf(stderr, "concbench history: %s\n", err);
        return 1;
    }
    if (hist_each_case(&h, selector, history_trend_row, &s, err, sizeof(err)) != 0)
        fprintf(stderr, "concbench history: %s\n", err);
    hist_close(&h);
    if (s.keys > 1) {
        fprintf(stderr,
                "  %s\nconcbench history: '%s' names %d cases (above): give more of the "
                "key\n",
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
        fprintf(stderr, "concbench history: %s\n", err);
        return CMPO_EXIT_INPUT;
    }
    base = hist_load(&h, base_ref, bname, sizeof(bname), err, sizeof(err));
    if (base != NULL)
        head = hist_load(&h, head_ref, hname, sizeof(hname), err, sizeof(err));
    if (base == NULL || head == NULL)
        fprintf(stderr, "concbench history: %s\n", err);
    else
        rc = cmpo_compare(o, "history compare", base, bname, head, hname);
    rm_free(base);
    rm_free(head);
    hist_close(&h);
    return rc;
}

/* Options of every subcommand; the subcommand and its arguments are the non-options. */
struct history_opts {
    const char *db, *base, *head, *output;
    int keep, allow_partial;
};

static int history_parse(int argc, char **argv, struct history_opts *h, struct cmpo *o)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"base", required_argument, NULL, 'b'},
        {"head", required_argument, NULL, 'H'},
        {"output", required_argument, NULL, 'o'},
        {"keep", no_argument, NULL, 'k'},
        {"allow-partial", no_argument, NULL, 'p'},
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
        else if (c == 'h') {
            history_usage(stdout);
            return 0;
        } else if (c == CLI_USAGE || cmpo_option(o, "history", c, optarg) != 1)
            return 2;
    }
    return -1;
}

int cmd_history(int argc, char **argv)
{
    struct history_opts h = {HIST_DEFAULT_DB, NULL, "latest", NULL, 0, 0};
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
    if (strcmp(sub, "add") == 0 && nargs >= 1)
        return history_add(db, argv + optind + 1, nargs, h.allow_partial);
    if (strcmp(sub, "list") == 0 && nargs == 0)
        return history_read(db, NULL);
    if (strcmp(sub, "show") == 0 && nargs == 1)
        return history_read(db, argv[optind + 1]);
    if (strcmp(sub, "compare") == 0 && nargs == 0 && h.base != NULL)
        return history_compare(db, h.base, h.head, &o);
    if (strcmp(sub, "trend") == 0 && nargs == 1)
        return history_trend(db, argv[optind + 1], h.output, h.keep);
    fprintf(stderr, "concbench history: expected add FILE..., list, show CASE-SELECTOR, compare "
                    "--base REF or trend CASE-SELECTOR -o FILE.png (see concbench history "
                    "--help)\n");
    return 2;
}
