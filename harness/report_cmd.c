/* `concbench report RESULTS.json [--hyperfine HF.json]...`: the tables of a results file, the
 * article's published figures next to them, and hyperfine's whole-process timings next to the
 * harness's in-process ones. Also the reading of results files shared by reproduce and plot. */
#include "harness/report_cmd.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/commands.h"
#include "harness/results.h"

const char *const repro_models[REPRO_NMODELS] = {"sequential", "pthreads", "processes", "green",
                                                 "evloop"};
const char *const repro_article[REPRO_NMODELS] = {"sync", "threads", "processes", "gevent",
                                                  "asyncio"};
const char *const repro_python[REPRO_NMODELS] = {"sequential", "threading", "multiprocessing",
                                                 "gevent", "asyncio"};

/* A speed-up counts on cpu_bound from this factor on (timing noise stays well below it). */
#define CPU_GAIN 1.25
#define WRAP     92

/* ---------------------------------------------------------------------------------------------
 * Small helpers */

static const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static double jnum(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static long long jint(json_t *o, const char *key, long long def)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? (long long)json_integer_value(v) : def;
}

/* A growable text buffer for paragraphs that are wrapped before printing. */
struct sbuf {
    char *s;
    size_t len, cap;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = (b->len + (size_t)n + 1) * 2;
        char *s = realloc(b->s, cap);
        if (s == NULL)
            return;
        b->s = s;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Prints a paragraph wrapped at WRAP columns, every line after the first indented. */
static void print_wrapped(FILE *out, const char *text, const char *first, const char *indent)
{
    const char *p = text;
    size_t col = strlen(first);

    fputs(first, out);
    while (*p != '\0') {
        size_t word;
        while (*p == ' ')
            p++;
        word = strcspn(p, " ");
        if (word == 0)
            break;
        if (col > strlen(indent) && col + 1 + word > WRAP) {
            fprintf(out, "\n%s", indent);
            col = strlen(indent);
        } else if (col > strlen(first) || (col > strlen(indent) && p != text)) {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, word, out);
        col += word;
        p += word;
    }
    fputc('\n', out);
}

static void fmt_seconds(char *buf, size_t len, double s)
{
    if (!(s >= 0))
        snprintf(buf, len, "-");
    else if (s < 10)
        snprintf(buf, len, "%.3f", s);
    else if (s < 100)
        snprintf(buf, len, "%.2f", s);
    else
        snprintf(buf, len, "%.1f", s);
}

static void fmt_ratio(char *buf, size_t len, double x)
{
    if (!(x > 0))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.2fx", x);
}

/* ---------------------------------------------------------------------------------------------
 * Finding the source tree's files */

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int try_dir(const char *dir, const char *rel, char *out, size_t outlen)
{
    if (snprintf(out, outlen, "%s/%s", dir, rel) >= (int)outlen)
        return -1;
    return file_exists(out) ? 0 : -1;
}

int repro_find_file(const char *rel, char *out, size_t outlen)
{
    char dir[PATH_MAX];
    const char *env = getenv("CONCBENCH_ROOT");
    ssize_t n;

    if (env != NULL && env[0] != '\0' && try_dir(env, rel, out, outlen) == 0)
        return 0;
    /* build/concbench -> the tree above it; also two levels up for nested build folders. */
    n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
    if (n > 0) {
        dir[n] = '\0';
        for (int up = 0; up < 3; up++) {
            char *slash = strrchr(dir, '/');
            if (slash == NULL || slash == dir)
                break;
            *slash = '\0';
            if (try_dir(dir, rel, out, outlen) == 0)
                return 0;
        }
    }
    /* The folder this file was compiled from (CMake passes absolute source paths). */
    snprintf(dir, sizeof(dir), "%s", __FILE__);
    for (int up = 0; up < 2; up++) {
        char *slash = strrchr(dir, '/');
        if (slash == NULL)
            break;
        *slash = '\0';
    }
    if (dir[0] == '/' && try_dir(dir, rel, out, outlen) == 0)
        return 0;
    if (file_exists(rel)) {
        snprintf(out, outlen, "%s", rel);
        return 0;
    }
    return -1;
}

/* ---------------------------------------------------------------------------------------------
 * Loading and checking files */

static json_t *load_any(const char *path, const char *what, char *err, size_t errlen)
{
    struct stat st;
    json_error_t e;
    json_t *root;

    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "cannot read %s file %s: %s", what, path, strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s is a folder, not a %s file", path, what);
        return NULL;
    }
    root = json_load_file(path, JSON_DECODE_ANY, &e);
    if (root == NULL) {
        if (st.st_size == 0)
            snprintf(err, errlen, "%s is empty, not a %s file", path, what);
        else if (e.line <= 0)
            snprintf(err, errlen, "cannot read %s file %s: %s", what, path, e.text);
        else
            snprintf(err, errlen, "%s is not JSON (line %d, column %d: %s); expected a %s file",
                     path, e.line, e.column, e.text, what);
        return NULL;
    }
    return root;
}

int rfile_check(json_t *root, const char *name, char *err, size_t errlen)
{
    static const char *const text_fields[] = {"workload", "model", "label"};
    json_t *v, *cases, *c;
    size_t i;

    if (!json_is_object(root)) {
        snprintf(err, errlen,
                 "%s is JSON but not a concbench results file (its top level is not an object)",
                 name);
        return -1;
    }
    v = json_object_get(root, "schema_version");
    if (v == NULL) {
        if (json_is_array(json_object_get(root, "results")))
            snprintf(err, errlen,
                     "%s looks like a hyperfine export, not a concbench results file (give it "
                     "with --hyperfine)",
                     name);
        else
            snprintf(err, errlen,
                     "%s is not a concbench results file: it has no schema_version (write one "
                     "with concbench run -o FILE or concbench reproduce -o FILE)",
                     name);
        return -1;
    }
    if (!json_is_integer(v)) {
        snprintf(err, errlen, "%s: schema_version is not a whole number", name);
        return -1;
    }
    if (json_integer_value(v) != RESULTS_SCHEMA_VERSION) {
        snprintf(err, errlen,
                 "%s has schema_version %lld, but this concbench reads schema_version %d (see "
                 "results/README.md); read it with the concbench that wrote it, or run again",
                 name, (long long)json_integer_value(v), RESULTS_SCHEMA_VERSION);
        return -1;
    }
    cases = json_object_get(root, "cases");
    if (!json_is_array(cases)) {
        snprintf(err, errlen, "%s is not a complete results file: it has no \"cases\" array", name);
        return -1;
    }
    json_array_foreach(cases, i, c)
    {
        json_t *wall;
        if (!json_is_object(c)) {
            snprintf(err, errlen, "%s: case %zu is not an object", name, i + 1);
            return -1;
        }
        for (size_t k = 0; k < sizeof(text_fields) / sizeof(text_fields[0]); k++)
            if (!json_is_string(json_object_get(c, text_fields[k]))) {
                snprintf(err, errlen, "%s: case %zu has no \"%s\" text", name, i + 1,
                         text_fields[k]);
                return -1;
            }
        wall = json_object_get(c, "wall_s");
        if (!json_is_object(wall) || !json_is_number(json_object_get(wall, "median"))) {
            snprintf(err, errlen, "%s: case %zu (%s %s) has no wall_s.median", name, i + 1,
                     jstr(c, "workload"), jstr(c, "label"));
            return -1;
        }
    }
    return 0;
}

json_t *rfile_load(const char *path, char *err, size_t errlen)
{
    json_t *root = load_any(path, "results", err, errlen);

    if (root != NULL && rfile_check(root, path, err, errlen) != 0) {
        json_decref(root);
        return NULL;
    }
    return root;
}

static int published_check(json_t *p, const char *name, char *err, size_t errlen)
{
    json_t *rows = json_object_get(p, "rows"), *r;
    size_t i;

    if (!json_is_object(p) || !json_is_array(rows) || json_array_size(rows) == 0) {
        snprintf(err, errlen, "%s is not a published-figures file (no \"rows\")", name);
        return -1;
    }
    json_array_foreach(rows, i, r)
    {
        if (!json_is_object(r) || jstr(r, "model") == NULL) {
            snprintf(err, errlen, "%s: row %zu has no \"model\"", name, i + 1);
            return -1;
        }
    }
    return 0;
}

json_t *published_load(const char *path, char *err, size_t errlen)
{
    char found[PATH_MAX];
    json_t *p;

    if (path == NULL) {
        if (repro_find_file(PUBLISHED_REL_PATH, found, sizeof(found)) != 0) {
            snprintf(err, errlen,
                     "the article's figures (%s) are not found: run from the source tree, set "
                     "CONCBENCH_ROOT to it, or give --published FILE",
                     PUBLISHED_REL_PATH);
            return NULL;
        }
        path = found;
    }
    p = load_any(path, "published-figures", err, errlen);
    if (p != NULL && published_check(p, path, err, errlen) != 0) {
        json_decref(p);
        return NULL;
    }
    return p;
}

json_t *published_for(json_t *results, const char *path, char *err, size_t errlen)
{
    json_t *emb = json_object_get(json_object_get(results, "reproduction"), "published");

    if (path == NULL && emb != NULL && published_check(emb, "embedded", err, errlen) == 0)
        return json_incref(emb);
    return published_load(path, err, errlen);
}

double published_seconds(json_t *published, const char *model, const char *workload)
{
    json_t *r;
    size_t i;
    char key[64];

    snprintf(key, sizeof(key), "%s_s", workload);
    json_array_foreach(json_object_get(published, "rows"), i, r)
    {
        const char *m = jstr(r, "model");
        double v = jnum(r, key);
        if (m != NULL && strcmp(m, model) == 0 && v > 0)
            return v;
    }
    return -1;
}

static double median_of(json_t *times)
{
    size_t n = json_array_size(times), i;
    double *x, m;
    json_t *v;

    if (n == 0)
        return NAN;
    x = malloc(n * sizeof(*x));
    if (x == NULL)
        return NAN;
    json_array_foreach(times, i, v) x[i] = json_number_value(v);
    for (size_t a = 1; a < n; a++) /* insertion sort: a handful of runs */
        for (size_t b = a; b > 0 && x[b - 1] > x[b]; b--) {
            double t = x[b];
            x[b] = x[b - 1];
            x[b - 1] = t;
        }
    m = n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2.0;
    free(x);
    return m;
}

json_t *hyperfine_load(const char *path, char *err, size_t errlen)
{
    json_t *root = load_any(path, "hyperfine", err, errlen), *results, *r;
    size_t i;

    if (root == NULL)
        return NULL;
    if (json_is_object(root) && json_object_get(root, "schema_version") != NULL) {
        snprintf(err, errlen,
                 "%s is a concbench results file, not a hyperfine export (hyperfine "
                 "--export-json)",
                 path);
        goto bad;
    }
    results = json_object_get(root, "results");
    if (!json_is_object(root) || !json_is_array(results)) {
        snprintf(err, errlen,
                 "%s is not a hyperfine export: expected an object with a \"results\" array "
                 "(hyperfine --export-json FILE)",
                 path);
        goto bad;
    }
    if (json_array_size(results) == 0) {
        snprintf(err, errlen, "%s: the hyperfine export has no results", path);
        goto bad;
    }
    json_array_foreach(results, i, r)
    {
        json_t *times = json_object_get(r, "times"), *t;
        size_t k;
        if (!json_is_object(r) || jstr(r, "command") == NULL) {
            snprintf(err, errlen, "%s: hyperfine result %zu has no \"command\" text", path, i + 1);
            goto bad;
        }
        if (!json_is_number(json_object_get(r, "median")) &&
            (!json_is_array(times) || json_array_size(times) == 0)) {
            snprintf(err, errlen,
                     "%s: hyperfine result %zu (%s) has neither \"median\" nor \"times\"", path,
                     i + 1, jstr(r, "command"));
            goto bad;
        }
        json_array_foreach(times, k, t)
        {
            if (!json_is_number(t)) {
                snprintf(err, errlen, "%s: hyperfine result %zu has a time that is not a number",
                         path, i + 1);
                goto bad;
            }
        }
    }
    return root;
bad:
    json_decref(root);
    return NULL;
}

/* ---------------------------------------------------------------------------------------------
 * Cases */

static const char *case_impl(json_t *c)
{
    const char *impl = jstr(c, "implementation");
    return impl != NULL ? impl : "c";
}

json_t *rfile_find(json_t *root, const char *impl, const char *workload, const char *model)
{
    json_t *c, *first = NULL;
    size_t i;

    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        if (strcmp(case_impl(c), impl) != 0 || strcmp(jstr(c, "workload"), workload) != 0 ||
            strcmp(jstr(c, "model"), model) != 0)
            continue;
        if (strcmp(impl, "c") != 0 || strcmp(jstr(c, "label"), model) == 0)
            return c;
        if (first == NULL)
            first = c;
    }
    return first;
}

double case_median(json_t *c)
{
    double m;

    if (c == NULL || jint(c, "reps_done", 1) <= 0)
        return -1;
    m = jnum(json_object_get(c, "wall_s"), "median");
    return m > 0 ? m : -1;
}

double case_speedup(json_t *root, json_t *c)
{
    json_t *seq;
    double m = case_median(c), s;

    if (m <= 0)
        return -1;
    seq = rfile_find(root, case_impl(c), jstr(c, "workload"), "sequential");
    s = case_median(seq);
    return s > 0 ? s / m : -1;
}

int case_valid(json_t *c)
{
    json_t *v = json_object_get(c, "validation");

    return c != NULL && json_is_true(json_object_get(v, "ok")) &&
           jint(json_object_get(c, "errors"), "count", 0) == 0 && jint(c, "reps_done", 1) > 0;
}

static int has_workload(json_t *root, const char *impl, const char *workload)
{
    json_t *c;
    size_t i;

    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        if ((impl == NULL || strcmp(case_impl(c), impl) == 0) &&
            strcmp(jstr(c, "workload"), workload) == 0)
            return 1;
    }
    return 0;
}

static long long param_of(json_t *root, const char *workload, const char *key, long long def)
{
    json_t *c = rfile_find(root, "c", workload, "sequential");
    json_t *v;
    size_t i;

    if (c == NULL)
        json_array_foreach(json_object_get(root, "cases"), i, v)
        {
            if (strcmp(jstr(v, "workload"), workload) == 0) {
                c = v;
                break;
            }
        }
    return jint(json_object_get(c, "params"), key, def);
}

/* ---------------------------------------------------------------------------------------------
 * The reproduction table */

static const char *const table_wls[2] = {"cpu_bound", "io_bound"};

static void cell_case(char *s, size_t slen, char *x, size_t xlen, json_t *root, json_t *c)
{
    fmt_seconds(s, slen, case_median(c));
    fmt_ratio(x, xlen, case_speedup(root, c));
    if (c != NULL && !case_valid(c) && strlen(s) + 1 < slen)
        strcat(s, "!");
}

void repro_table(json_t *root, json_t *published, FILE *out)
{
    int wl_on[2], py_on[2], any_bad = 0;
    long long tasks = jint(json_object_get(root, "config"), "tasks", 0);
    char line[512];
    size_t used;

    for (int w = 0; w < 2; w++) {
        wl_on[w] = has_workload(root, "c", table_wls[w]) || has_workload(root, NULL, table_wls[w]);
        py_on[w] = has_workload(root, "python", table_wls[w]);
    }
    {
        struct sbuf head = {0};
        sb_printf(&head, "The article's experiment, N=%lld tasks per model:", tasks);
        if (wl_on[0])
            sb_printf(&head, " cpu_bound = %lld**%lld per task",
                      param_of(root, "cpu_bound", "base", 7777),
                      param_of(root, "cpu_bound", "exponent", 200000));
        if (wl_on[0] && wl_on[1])
            sb_printf(&head, ";");
        if (wl_on[1])
            sb_printf(&head,
                      " io_bound = %lld GETs in a row per task, %lld ms server delay, %lld "
                      "bytes each",
                      param_of(root, "io_bound", "requests", 4),
                      param_of(root, "io_bound", "delay_ms", 100),
                      param_of(root, "io_bound", "bytes", 16384));
        fprintf(out, "\n");
        print_wrapped(out, head.s, "", "");
        fprintf(out, "\n");
        free(head.s);
    }

    /* Two header lines: the workload over its group of columns, then the columns. */
    used = (size_t)snprintf(line, sizeof(line), "%-22s", "");
    for (int w = 0; w < 2; w++) {
        int width = 17 + (py_on[w] ? 17 : 0) + 16;
        if (!wl_on[w])
            continue;
        used +=
            (size_t)snprintf(line + used, sizeof(line) - used, " | %-*s", width - 1, table_wls[w]);
    }
    while (used > 0 && line[used - 1] == ' ')
        line[--used] = '\0';
    fprintf(out, "%s\n", line);
    used = (size_t)snprintf(line, sizeof(line), "%-22s", "model / article");
    for (int w = 0; w < 2; w++) {
        if (!wl_on[w])
            continue;
        used += (size_t)snprintf(line + used, sizeof(line) - used, " | %8s %7s", "C s", "C x");
        if (py_on[w])
            used += (size_t)snprintf(line + used, sizeof(line) - used, " %8s %7s", "Py s", "Py x");
        used += (size_t)snprintf(line + used, sizeof(line) - used, " %7s %7s", "art s", "art x");
    }
    fprintf(out, "%s\n", line);

    for (int m = 0; m < REPRO_NMODELS; m++) {
        char name[64];
        int any = 0;
        snprintf(name, sizeof(name), "%s / %s", repro_models[m], repro_article[m]);
        used = (size_t)snprintf(line, sizeof(line), "%-22s", name);
        for (int w = 0; w < 2; w++) {
            json_t *c, *py;
            char s[32], x[32];
            double a, aseq;
            if (!wl_on[w])
                continue;
            c = rfile_find(root, "c", table_wls[w], repro_models[m]);
            py = rfile_find(root, "python", table_wls[w], repro_models[m]);
            any |= c != NULL || py != NULL;
            any_bad |= (c != NULL && !case_valid(c)) || (py != NULL && !case_valid(py));
            cell_case(s, sizeof(s), x, sizeof(x), root, c);
            used += (size_t)snprintf(line + used, sizeof(line) - used, " | %8s %7s", s, x);
            if (py_on[w]) {
                cell_case(s, sizeof(s), x, sizeof(x), root, py);
                used += (size_t)snprintf(line + used, sizeof(line) - used, " %8s %7s", s, x);
            }
            a = published ? published_seconds(published, repro_models[m], table_wls[w]) : -1;
            aseq = published ? published_seconds(published, "sequential", table_wls[w]) : -1;
            if (a > 0)
                snprintf(s, sizeof(s), "%.3g", a); /* as published */
            else
                snprintf(s, sizeof(s), "-");
            fmt_ratio(x, sizeof(x), a > 0 && aseq > 0 ? aseq / a : -1);
            used += (size_t)snprintf(line + used, sizeof(line) - used, " %7s %7s", s, x);
            any |= a > 0;
        }
        if (any)
            fprintf(out, "%s\n", line);
    }
    {
        struct sbuf legend = {0};
        sb_printf(&legend, "s: median wall seconds. x: speedup against sequential in the same "
                           "column (sequential's time / this model's time; above 1 is faster). ");
        if (published != NULL) {
            json_t *src = json_object_get(published, "source");
            sb_printf(&legend,
                      "art: the article's published seconds (%s, \"%s\"): one run each, on its "
                      "author's machine, io_bound from real internet sites. ",
                      jstr(src, "author") ? jstr(src, "author") : "?",
                      jstr(src, "title") ? jstr(src, "title") : "?");
        } else {
            sb_printf(&legend, "The article's figures were not found: its columns are empty. ");
        }
        if (py_on[0] || py_on[1]) {
            json_t *c =
                rfile_find(root, "python", py_on[0] ? "cpu_bound" : "io_bound", "sequential");
            const char *ver = jstr(json_object_get(c, "python"), "version");
            sb_printf(&legend,
                      "Py: our Python%s%s variants (scripts/python/), the row's Python model "
                      "(sequential, threading, multiprocessing, gevent, asyncio), on this machine "
                      "in the same run. ",
                      ver ? " " : "", ver ? ver : "");
        }
        if (any_bad)
            sb_printf(&legend, "!: some task failed or gave a wrong result (errors below).");
        fprintf(out, "\n");
        print_wrapped(out, legend.s, "", "");
        free(legend.s);
    }
}

/* ---------------------------------------------------------------------------------------------
 * The reading: sentences computed from the measured speedups */

struct mrow {
    double c_cpu, c_io, py_cpu, py_io, a_cpu, a_io;
};

static void collect_rows(json_t *root, json_t *published, struct mrow *rows)
{
    for (int m = 0; m < REPRO_NMODELS; m++) {
        const char *model = repro_models[m];
        double aseq_cpu = published ? published_seconds(published, "sequential", "cpu_bound") : -1;
        double aseq_io = published ? published_seconds(published, "sequential", "io_bound") : -1;
        double a_cpu = published ? published_seconds(published, model, "cpu_bound") : -1;
        double a_io = published ? published_seconds(published, model, "io_bound") : -1;
        json_t *c;

        c = rfile_find(root, "c", "cpu_bound", model);
        rows[m].c_cpu = case_valid(c) ? case_speedup(root, c) : -1;
        c = rfile_find(root, "c", "io_bound", model);
        rows[m].c_io = case_valid(c) ? case_speedup(root, c) : -1;
        c = rfile_find(root, "python", "cpu_bound", model);
        rows[m].py_cpu = case_valid(c) ? case_speedup(root, c) : -1;
        c = rfile_find(root, "python", "io_bound", model);
        rows[m].py_io = case_valid(c) ? case_speedup(root, c) : -1;
        rows[m].a_cpu = a_cpu > 0 && aseq_cpu > 0 ? aseq_cpu / a_cpu : -1;
        rows[m].a_io = a_io > 0 && aseq_io > 0 ? aseq_io / a_io : -1;
    }
}

/* "pthreads were 9.15x as fast as sequential, processes 7.97x and evloop 9.09x": the first item
 * carries the verb and the comparison, the others only their figure. */
static void sb_series(struct sbuf *b, const int *idx, int n, const char *const *names,
                      const double *values, const char *verb, const char *than)
{
    for (int i = 0; i < n; i++) {
        if (i == 0)
            sb_printf(b, "%s %s %.2fx %s", names[idx[0]], verb, values[idx[0]], than);
        else
            sb_printf(b, "%s%s %.2fx", i == n - 1 ? " and " : ", ", names[idx[i]], values[idx[i]]);
    }
}

/* "pthreads, processes and evloop" */
static void sb_names(struct sbuf *b, const int *idx, int n, const char *const *names)
{
    for (int i = 0; i < n; i++)
        sb_printf(b, "%s%s", i == 0 ? "" : i == n - 1 ? " and " : ", ", names[idx[i]]);
}

static void reading_io(struct sbuf *b, json_t *root, json_t *published, const struct mrow *rows,
                       long long tasks)
{
    double c[REPRO_NMODELS], a[REPRO_NMODELS], py[REPRO_NMODELS], thr = tasks >= 3 ? 2.0 : 1.5;
    int yes[REPRO_NMODELS], no[REPRO_NMODELS], pyes[REPRO_NMODELS], pno[REPRO_NMODELS];
    int art[REPRO_NMODELS], ny = 0, nn = 0, npy = 0, npn = 0, na = 0;
    double minc = 1e300;

    for (int m = 1; m < REPRO_NMODELS; m++) {
        c[m] = rows[m].c_io;
        a[m] = rows[m].a_io;
        py[m] = rows[m].py_io;
        if (c[m] > 0) {
            if (c[m] >= thr)
                yes[ny++] = m;
            else
                no[nn++] = m;
            if (c[m] < minc)
                minc = c[m];
        }
        if (py[m] > 0) {
            if (py[m] >= thr)
                pyes[npy++] = m;
            else
                pno[npn++] = m;
        }
        if (a[m] > 0)
            art[na++] = m;
    }
    if (ny + nn == 0 || rows[0].c_io <= 0)
        return;
    if (tasks < 2) {
        sb_printf(b, "io_bound: with one task there is nothing to overlap. ");
        return;
    }
    if (nn == 0)
        sb_printf(b, "io_bound agrees with the article: every concurrent model overlapped the "
                     "waits. ");
    else if (ny > 0)
        sb_printf(b, "io_bound agrees with the article only in part. ");
    else
        sb_printf(b, "io_bound differs from the article: no concurrent model overlapped the "
                     "waits. ");
    if (ny > 0) {
        sb_printf(b, "C's ");
        sb_series(b, yes, ny, repro_models, c, ny == 1 ? "was" : "were", "as fast as sequential");
        if (nn == 0 && minc >= 0.8 * (double)tasks)
            sb_printf(b, ", close to the %lldx that %lld tasks allow", tasks, tasks);
        sb_printf(b, ". ");
    }
    if (nn > 0) {
        sb_printf(b, "C's ");
        sb_series(b, no, nn, repro_models, c, nn == 1 ? "was only" : "were only",
                  "as fast as sequential");
        sb_printf(b,
                  ": %s did not overlap the waits (below %.1fx; see the errors and warnings "
                  "below). ",
                  nn == 1 ? "it" : "they", thr);
    }
    if (na > 0) {
        sb_printf(b, "The article's ");
        sb_series(b, art, na, repro_article, a, na == 1 ? "was" : "were",
                  "as fast as its sync run");
        sb_printf(b, ". ");
    }
    if (npy > 0) {
        sb_printf(b, "Our Python ");
        sb_series(b, pyes, npy, repro_python, py, "ran", "as fast as its sequential variant");
        sb_printf(b, npn ? ". " : ": Python overlaps waiting too. ");
    }
    if (npn > 0) {
        sb_printf(b, "Our Python ");
        sb_names(b, pno, npn, repro_python);
        sb_printf(b, " did not overlap the waits (below %.1fx). ", thr);
    }
    {
        json_t *seq = rfile_find(root, "c", "io_bound", "sequential");
        json_t *exp = json_object_get(published, "experiment");
        long long req = param_of(root, "io_bound", "requests", 4);
        long long delay = param_of(root, "io_bound", "delay_ms", 100);
        long long a_tasks = jint(exp, "tasks", 0);
        long long a_req = jint(json_object_get(exp, "io_bound"), "requests", 0);
        double a_seq = published ? published_seconds(published, "sequential", "io_bound") : -1;
        double per = case_median(seq) / (double)(tasks * req);

        if (per > 0)
            sb_printf(b,
                      "In the sequential run a request took %.3f s on average (the server's "
                      "fixed %lld ms delay plus the exchange on loopback)",
                      per, delay);
        if (per > 0 && a_seq > 0 && a_tasks > 0 && a_req > 0)
            sb_printf(b,
                      "; the article's sync run averaged %.2f s per request from real internet "
                      "sites, whose response times vary from request to request. ",
                      a_seq / (double)(a_tasks * a_req));
        else if (per > 0)
            sb_printf(b, ". ");
    }
}

static const char *gain_word(double x)
{
    return x >= CPU_GAIN ? "faster" : x > 1.0 / CPU_GAIN ? "about as fast" : "slower";
}

/* Why a C model did (or did not) compute in parallel. */
static const char *c_reason(const char *model, int gained)
{
    if (strcmp(model, "pthreads") == 0)
        return gained ? "pthreads compute in parallel" : "pthreads did not compute in parallel";
    if (strcmp(model, "evloop") == 0)
        return gained ? "evloop hands compute steps to libuv's thread pool, whose threads "
                        "compute in parallel"
                      : "evloop's compute steps did not run in parallel";
    if (strcmp(model, "green") == 0)
        return gained ? "green gained, which is unexpected for coroutines that take turns on "
                        "one thread"
                      : "green threads take turns on one thread, as gevent's greenlets do";
    return gained ? "separate processes compute in parallel"
                  : "the processes did not compute in parallel";
}

static void reading_cpu(struct sbuf *b, json_t *root, json_t *published, const struct mrow *rows)
{
    long long ncpu = jint(json_object_get(root, "context"), "logical_cpus", 0);
    long long tasks = jint(json_object_get(root, "config"), "tasks", 0);
    int c_only[REPRO_NMODELS], a_only[REPRO_NMODELS], both[REPRO_NMODELS], none[REPRO_NMODELS];
    int nc = 0, na = 0, nb = 0, nn = 0, any_gain = 0, short_tasks;
    double cv[REPRO_NMODELS], av[REPRO_NMODELS], per_task;

    if (rows[0].c_cpu <= 0)
        return;
    per_task = case_median(rfile_find(root, "c", "cpu_bound", "sequential")) / (double)tasks;
    short_tasks = per_task > 0 && per_task < 0.002; /* fork and thread start: ~0.1-1 ms */
    for (int m = 0; m < REPRO_NMODELS; m++) {
        cv[m] = rows[m].c_cpu;
        av[m] = rows[m].a_cpu;
    }
    for (int m = 1; m < REPRO_NMODELS; m++) {
        int cg, ag;
        if (cv[m] <= 0)
            continue;
        cg = cv[m] >= CPU_GAIN;
        any_gain |= cg;
        ag = av[m] >= CPU_GAIN; /* no article figure: av < 0, counted as no gain */
        if (cg && !ag && av[m] > 0)
            c_only[nc++] = m;
        else if (!cg && ag)
            a_only[na++] = m;
        else if (cg)
            both[nb++] = m;
        else
            none[nn++] = m;
    }
    if (nc > 0) {
        int art[REPRO_NMODELS];
        sb_printf(b, "cpu_bound differs from the article where Python holds its GIL: C's ");
        sb_series(b, c_only, nc, repro_models, cv, "ran", "as fast as sequential");
        for (int i = 0; i < nc; i++)
            art[i] = c_only[i];
        sb_printf(b, ", where the article's ");
        sb_series(b, art, nc, repro_article, av, "ran", "as fast as its sync run");
        sb_printf(b, ". C has no GIL: ");
        for (int i = 0; i < nc; i++)
            sb_printf(b, "%s%s", i == 0 ? "" : "; ", c_reason(repro_models[c_only[i]], 1));
        sb_printf(b, ". CPython lets one thread at a time run Python code, the threads behind "
                     "asyncio's run_in_executor included. ");
    }
    if (nb + nn > 0) {
        sb_printf(b, "%s for ", nc > 0 ? "It agrees" : "cpu_bound agrees with the article");
        for (int i = 0; i < nb + nn; i++) {
            int m = i < nb ? both[i] : none[i - nb];
            sb_printf(b, "%s%s (%.2fx here",
                      i == 0             ? ""
                      : i == nb + nn - 1 ? " and "
                                         : ", ",
                      repro_models[m], cv[m]);
            if (av[m] > 0)
                sb_printf(b, ", %.2fx for the article's %s", av[m], repro_article[m]);
            sb_printf(b, ")");
        }
        sb_printf(b, ": ");
        for (int i = 0; i < nb + nn; i++) {
            int m = i < nb ? both[i] : none[i - nb];
            sb_printf(b, "%s%s", i == 0 ? "" : "; ", c_reason(repro_models[m], i < nb));
        }
        sb_printf(b, ". ");
    }
    if (na > 0) {
        sb_printf(b, "It differs for ");
        for (int i = 0; i < na; i++) {
            int m = a_only[i];
            sb_printf(b, "%s%s: %.2fx here against the article's %.2fx",
                      i == 0        ? ""
                      : i == na - 1 ? " and "
                                    : ", ",
                      repro_models[m], cv[m], av[m]);
        }
        if (ncpu == 1)
            sb_printf(b, "; this machine has one logical CPU, so nothing computes in parallel. ");
        else if (short_tasks)
            sb_printf(b, "; with tasks this short, starting them costs as much as computing. ");
        else
            sb_printf(b, "; the machine may have been busy (compare load_avg with logical_cpus "
                         "in the JSON). ");
    }
    if (any_gain && ncpu > 0)
        sb_printf(b,
                  "With %lld logical CPUs the most any model can gain on cpu_bound here is %lldx. ",
                  ncpu, tasks > 0 && tasks < ncpu ? tasks : ncpu);
    if (ncpu > 0) {
        /* A speedup above the machine's ceiling means the baseline was slowed, not the model
         * sped up: say so rather than read it as a result. */
        double ceiling = (double)(tasks > 0 && tasks < ncpu ? tasks : ncpu);
        struct sbuf list = {0};
        int nover = 0;
        for (int m = 1; m < REPRO_NMODELS; m++)
            for (int k = 0; k < 2; k++) {
                double v = k == 0 ? cv[m] : rows[m].py_cpu;
                if (v <= ceiling * 1.1)
                    continue;
                sb_printf(&list, "%s%s%s's %.2fx", nover ? ", " : "",
                          k == 0 ? "C's " : "our Python ",
                          k == 0 ? repro_models[m] : repro_python[m], v);
                nover++;
            }
        if (nover > 0)
            sb_printf(b,
                      "Being above that ceiling, %s mean%s that the sequential baseline was "
                      "slowed (a busy machine): read %s with care and rerun with more "
                      "repetitions. ",
                      list.s, nover == 1 ? "s" : "", nover == 1 ? "it" : "them");
        free(list.s);
    }
    if (short_tasks)
        sb_printf(b,
                  "Each task computed for only %.2f ms here, so starting threads and processes "
                  "is a visible share of these ratios: a larger --exponent lets the computation "
                  "dominate. ",
                  per_task * 1000.0);

    /* Our own Python variants against the article's pattern. */
    {
        int idx[REPRO_NMODELS], n = 0, same = 0, diff[REPRO_NMODELS], nd = 0;
        double v[REPRO_NMODELS];
        for (int m = 1; m < REPRO_NMODELS; m++) {
            v[m] = rows[m].py_cpu;
            if (v[m] <= 0)
                continue;
            idx[n++] = m;
            if (av[m] > 0 && (v[m] >= CPU_GAIN) == (av[m] >= CPU_GAIN))
                same++;
            else if (av[m] > 0)
                diff[nd++] = m;
        }
        if (n > 0) {
            sb_printf(b, "Our Python ");
            sb_series(b, idx, n, repro_python, v, "ran", "as fast as its sequential variant");
            if (nd == 0 && same > 0)
                sb_printf(b, ": the article's pattern, where only processes gain. ");
            else if (nd > 0) {
                sb_printf(b, "; unlike the article, ");
                for (int i = 0; i < nd; i++)
                    sb_printf(b, "%s%s was %s",
                              i == 0        ? ""
                              : i == nd - 1 ? " and "
                                            : ", ",
                              repro_python[diff[i]], gain_word(v[diff[i]]));
                sb_printf(b, ". ");
            } else {
                sb_printf(b, ". ");
            }
        }
    }
    /* Seconds only where the sizes are the article's. */
    {
        json_t *exp = json_object_get(published, "experiment");
        json_t *acpu = json_object_get(exp, "cpu_bound");
        double a_seq = published ? published_seconds(published, "sequential", "cpu_bound") : -1;
        double seq_c = case_median(rfile_find(root, "c", "cpu_bound", "sequential"));
        json_t *py = rfile_find(root, "python", "cpu_bound", "sequential");

        if (a_seq > 0 && seq_c > 0 && tasks == jint(exp, "tasks", -1) &&
            param_of(root, "cpu_bound", "exponent", 0) == jint(acpu, "exponent", -1) &&
            param_of(root, "cpu_bound", "base", 0) == jint(acpu, "base", -1)) {
            sb_printf(b,
                      "In seconds (different machines, so only a rough guide): sequential "
                      "cpu_bound took %.2f s here in C (GMP)",
                      seq_c);
            if (case_median(py) > 0)
                sb_printf(b, ", %.2f s in our Python", case_median(py));
            sb_printf(b, " and %.2f s in the article. ", a_seq);
        }
    }
}

void repro_reading(json_t *root, json_t *published, FILE *out)
{
    struct mrow rows[REPRO_NMODELS];
    long long tasks = jint(json_object_get(root, "config"), "tasks", 0);
    struct sbuf io = {0}, cpu = {0};

    collect_rows(root, published, rows);
    reading_io(&io, root, published, rows, tasks);
    reading_cpu(&cpu, root, published, rows);
    if (io.len == 0 && cpu.len == 0)
        return;
    fprintf(out,
            "\nWhat this run says (computed from the medians above; a cpu_bound speed-up "
            "counts from %.2fx):\n",
            CPU_GAIN);
    if (io.len > 0)
        print_wrapped(out, io.s, "- ", "  ");
    if (cpu.len > 0)
        print_wrapped(out, cpu.s, "- ", "  ");
    free(io.s);
    free(cpu.s);
}

/* ---------------------------------------------------------------------------------------------
 * Errors and warnings */

void repro_notes(json_t *root, FILE *out)
{
    json_t *cases = json_object_get(root, "cases"), *c, *m;
    size_t i, k, ncases = json_array_size(cases);
    const char *texts[256];
    int ntexts = 0, printed = 0;

    json_array_foreach(cases, i, c)
    {
        json_t *errs = json_object_get(c, "errors");
        long long count = jint(errs, "count", 0);
        size_t shown = json_array_size(json_object_get(errs, "messages"));
        json_array_foreach(json_object_get(errs, "messages"), k, m)
        {
            if (!printed++)
                fprintf(out, "\n");
            fprintf(out, "%s/%s: error: %s\n", jstr(c, "workload"), jstr(c, "label"),
                    json_string_value(m));
        }
        if (count > (long long)shown) {
            if (!printed++)
                fprintf(out, "\n");
            fprintf(out, "%s/%s: error: ... %lld errors in all\n", jstr(c, "workload"),
                    jstr(c, "label"), count);
        }
        json_array_foreach(json_object_get(c, "warnings"), k, m)
        {
            const char *t = json_string_value(m);
            int seen = 0;
            for (int j = 0; j < ntexts && !seen; j++)
                seen = strcmp(texts[j], t) == 0;
            if (!seen && t != NULL && ntexts < 256)
                texts[ntexts++] = t;
        }
    }
    /* A warning that many cases share (few repetitions) is printed once, with its cases. */
    for (int j = 0; j < ntexts; j++) {
        struct sbuf b = {0};
        size_t n = 0;
        json_array_foreach(cases, i, c)
        {
            json_array_foreach(json_object_get(c, "warnings"), k, m)
            {
                if (strcmp(json_string_value(m), texts[j]) != 0)
                    continue;
                sb_printf(&b, "%s%s/%s", n++ ? ", " : "", jstr(c, "workload"), jstr(c, "label"));
                break;
            }
        }
        if (!printed++)
            fprintf(out, "\n");
        if (n == ncases && n > 1)
            fprintf(out, "warning (every case): %s\n", texts[j]);
        else if (n > 2)
            fprintf(out, "warning (%s): %s\n", b.s, texts[j]);
        else
            fprintf(out, "%s: warning: %s\n", b.s, texts[j]);
        free(b.s);
    }
}

/* ---------------------------------------------------------------------------------------------
 * hyperfine next to the harness */

/* The value after flag (or in --flag=value) in a command line, or NULL. */
static int command_option(const char *cmd, const char *shortf, const char *longf, char *out,
                          size_t outlen)
{
    char *copy = strdup(cmd), *save = NULL, *tok;
    int want = 0, found = 0;

    if (copy == NULL)
        return 0;
    for (tok = strtok_r(copy, " \t", &save); tok != NULL && !found;
         tok = strtok_r(NULL, " \t", &save)) {
        size_t ll = strlen(longf);
        if (want) {
            snprintf(out, outlen, "%s", tok);
            found = 1;
        } else if (strcmp(tok, shortf) == 0 || strcmp(tok, longf) == 0) {
            want = 1;
        } else if (strncmp(tok, longf, ll) == 0 && tok[ll] == '=') {
            snprintf(out, outlen, "%s", tok + ll + 1);
            found = 1;
        }
    }
    free(copy);
    return found;
}

static void hf_identify(json_t *r, char *model, size_t mlen, char *wl, size_t wlen, int *reps)
{
    json_t *params = json_object_get(r, "parameters");
    const char *cmd = jstr(r, "command");
    char tmp[64];

    if (jstr(params, "model") != NULL)
        snprintf(model, mlen, "%s", jstr(params, "model"));
    else if (!command_option(cmd, "-m", "--models", model, mlen))
        snprintf(model, mlen, "all");
    if (jstr(params, "workload") != NULL)
        snprintf(wl, wlen, "%s", jstr(params, "workload"));
    else if (!command_option(cmd, "-w", "--workload", wl, wlen))
        snprintf(wl, wlen, "cpu_bound"); /* run's default */
    *reps = 5;
    if (command_option(cmd, "-r", "--reps", tmp, sizeof(tmp)))
        *reps = atoi(tmp);
}

/* 1 when a -p KEY=VALUE of the command differs from the case's parameter (noted in out). */
static int params_differ(const char *cmd, json_t *c, char *out, size_t outlen)
{
    char *copy, *save = NULL, *tok;
    int want = 0, differ = 0;
    json_t *params = json_object_get(c, "params");

    if (c == NULL || cmd == NULL || (copy = strdup(cmd)) == NULL)
        return 0;
    for (tok = strtok_r(copy, " \t", &save); tok != NULL; tok = strtok_r(NULL, " \t", &save)) {
        char *eq;
        json_t *v;
        if (!want) {
            want = strcmp(tok, "-p") == 0 || strcmp(tok, "--param") == 0;
            continue;
        }
        want = 0;
        eq = strchr(tok, '=');
        if (eq == NULL)
            continue;
        *eq = '\0';
        v = json_object_get(params, tok);
        if (json_is_integer(v) && strtoll(eq + 1, NULL, 10) != json_integer_value(v)) {
            size_t used = strlen(out);
            if (strstr(out, tok) == NULL && used + 100 < outlen)
                snprintf(out + used, outlen - used, "%shyperfine ran %s=%s, the results have %lld",
                         used ? "; " : "", tok, eq + 1, (long long)json_integer_value(v));
            differ = 1;
        }
    }
    free(copy);
    return differ;
}

static json_t *find_label(json_t *root, const char *workload, const char *label)
{
    json_t *c;
    size_t i;

    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        if (strcmp(case_impl(c), "c") == 0 && strcmp(jstr(c, "workload"), workload) == 0 &&
            strcmp(jstr(c, "label"), label) == 0)
            return c;
    }
    return NULL;
}

void hyperfine_table(json_t *root, json_t *const *hf, const char *const *names, int nhf, FILE *out)
{
    int multi_rep = 0, nmismatch = 0;
    char mismatch[512] = "";

    if (nhf == 0)
        return;
    fprintf(out, "\nIn-process vs whole-process time (hyperfine):\n");
    fprintf(out, "%-10s %-22s %12s %14s %9s  %s\n", "workload", "model", "harness med",
            "hyperfine med", "stddev", "difference");
    for (int f = 0; f < nhf; f++) {
        json_t *r;
        size_t i;
        json_array_foreach(json_object_get(hf[f], "results"), i, r)
        {
            char model[128], wl[64], a[32], h[32], sd[32], diff[64];
            int reps;
            double hm = jnum(r, "median"), im, dev = jnum(r, "stddev");
            json_t *c;

            hf_identify(r, model, sizeof(model), wl, sizeof(wl), &reps);
            nmismatch += params_differ(jstr(r, "command"), find_label(root, wl, model), mismatch,
                                       sizeof(mismatch));
            if (!(hm > 0))
                hm = median_of(json_object_get(r, "times"));
            c = find_label(root, wl, model);
            im = case_median(c);
            multi_rep |= reps != 1;
            fmt_seconds(a, sizeof(a), im);
            fmt_seconds(h, sizeof(h), hm);
            if (dev >= 0)
                snprintf(sd, sizeof(sd), "%.4f", dev);
            else
                snprintf(sd, sizeof(sd), "-");
            if (im > 0 && hm > 0)
                snprintf(diff, sizeof(diff), "%+.4f s (%+.0f%%)", hm - im, 100.0 * (hm - im) / im);
            else
                snprintf(diff, sizeof(diff), "%s",
                         c == NULL ? "(no such case in the results)" : "-");
            fprintf(out, "%-10s %-22s %10s s %12s s %9s  %s\n", wl, model, a, h, sd, diff);
        }
    }
    for (int f = 0; f < nhf; f++)
        fprintf(out, "hyperfine: %s\n", names[f]);
    print_wrapped(out,
                  "harness med: the timed region from the results file (creating, running and "
                  "joining the N tasks inside the repetition's isolated child). hyperfine med: "
                  "whole `concbench run` processes, which also pay for exec and library start-up, "
                  "computing the expected results before timing (cpu_bound: one more power), "
                  "starting the embedded server (io_bound) and forking the repetition's child. "
                  "The difference is that start-up and set-up cost; the two "
                  "columns come from different runs.",
                  "", "");
    if (nmismatch > 0)
        fprintf(out, "note: the sizes differ (%s): the comparison is not like for like.\n",
                mismatch);
    if (multi_rep)
        fprintf(out, "note: some hyperfine commands run more than one repetition (-r): their "
                     "whole-process time holds all of them.\n");
}

/* ---------------------------------------------------------------------------------------------
 * `concbench report` */

static void format_rss(double kib, char *buf, size_t len)
{
    if (!(kib > 0))
        snprintf(buf, len, "-");
    else if (kib >= 1024.0 * 1024.0)
        snprintf(buf, len, "%.2f GiB", kib / (1024.0 * 1024.0));
    else if (kib >= 1024.0)
        snprintf(buf, len, "%.1f MiB", kib / 1024.0);
    else
        snprintf(buf, len, "%.0f KiB", kib);
}

static void params_text(json_t *params, char *buf, size_t len)
{
    const char *key;
    json_t *v;
    size_t used = 0;

    buf[0] = '\0';
    json_object_foreach(params, key, v)
    {
        char val[128];
        if (json_is_integer(v))
            snprintf(val, sizeof(val), "%lld", (long long)json_integer_value(v));
        else if (json_is_string(v))
            snprintf(val, sizeof(val), "%s", json_string_value(v));
        else if (json_is_array(v))
            snprintf(val, sizeof(val), "[%zu values]", json_array_size(v));
        else
            continue;
        if (used < len)
            used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", used ? " " : "", key, val);
    }
}

/* Every case of the file, workload by workload, as `run` prints them. */
static void cases_table(json_t *root, FILE *out)
{
    json_t *cases = json_object_get(root, "cases"), *c, *cfg = json_object_get(root, "config");
    size_t i, k;
    const char *done[64];
    int ndone = 0;

    json_array_foreach(cases, i, c)
    {
        const char *wl = jstr(c, "workload");
        char params[512];
        int seen = 0;
        for (int j = 0; j < ndone && !seen; j++)
            seen = strcmp(done[j], wl) == 0;
        if (seen || ndone >= 64)
            continue;
        done[ndone++] = wl;
        params_text(json_object_get(c, "params"), params, sizeof(params));
        fprintf(out, "\n%s (%s): %lld tasks, %lld repetition(s) after %lld warmup\n", wl, params,
                jint(c, "tasks", 0), jint(cfg, "reps", 0), jint(cfg, "warmup", 0));
        fprintf(out, "%-24s %10s %9s %8s %9s %9s %10s  %s\n", "model", "wall med", "±95%",
                "speedup", "user s", "sys s", "peak RSS", "valid");
        json_array_foreach(cases, k, c)
        {
            json_t *w = json_object_get(c, "wall_s");
            char speed[16], rss[32], valid[32], ci[32];
            double sp = case_speedup(root, c);
            if (strcmp(jstr(c, "workload"), wl) != 0)
                continue;
            fmt_ratio(speed, sizeof(speed), sp);
            format_rss(jnum(json_object_get(c, "max_rss_kib"), "median"), rss, sizeof(rss));
            if (case_median(c) <= 0)
                snprintf(valid, sizeof(valid), "FAILED");
            else if (case_valid(c))
                snprintf(valid, sizeof(valid), "ok");
            else
                snprintf(valid, sizeof(valid), "%lld errors",
                         jint(json_object_get(c, "errors"), "count", 0));
            {
                json_t *ci95 = json_object_get(w, "ci95");
                double lo = json_number_value(json_array_get(ci95, 0));
                double hi = json_number_value(json_array_get(ci95, 1));
                snprintf(ci, sizeof(ci), "%.4f", (hi - lo) / 2.0);
            }
            if (case_median(c) <= 0)
                fprintf(out, "%-24s %10s %9s %8s %9s %9s %10s  %s\n", jstr(c, "label"), "-", "-",
                        "-", "-", "-", "-", valid);
            else
                fprintf(out, "%-24s %8.4f s %9s %8s %9.3f %9.3f %10s  %s\n", jstr(c, "label"),
                        jnum(w, "median"), ci, speed, jnum(json_object_get(c, "user_s"), "median"),
                        jnum(json_object_get(c, "sys_s"), "median"), rss, valid);
        }
    }
}

static void report_usage(FILE *out)
{
    fprintf(out,
            "Usage: concbench report RESULTS.json [--hyperfine HF.json]... [--published FILE]\n"
            "\n"
            "Prints the tables of a results file written by `concbench run -o` or\n"
            "`concbench reproduce -o`: every case with its wall time, speedup, CPU time, memory\n"
            "and validation; for cpu_bound and io_bound, the comparison with the article's\n"
            "published figures and a plain reading of it; with --hyperfine, hyperfine's\n"
            "whole-process medians next to the harness's in-process medians.\n"
            "\n"
            "Options:\n"
            "      --hyperfine FILE   a hyperfine --export-json file (scripts/hyperfine.sh writes\n"
            "                         results/hyperfine-WORKLOAD.json); repeatable\n"
            "      --published FILE   the article's figures (default: the file embedded in a\n"
            "                         reproduce result, else %s)\n"
            "  -h, --help             this text\n"
            "\n"
            "In-process vs whole-process: the harness times only creating, running and joining\n"
            "the tasks; hyperfine times the whole program, start-up and set-up included (the\n"
            "expected results, the embedded server). The difference is that fixed cost.\n"
            "\n"
            "Exit status: 0 printed; 1 a file is missing, not JSON or of another shape or\n"
            "schema version; 2 bad usage.\n",
            PUBLISHED_REL_PATH);
}

#define REPORT_MAX_HF 16

int cmd_report(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"hyperfine", required_argument, NULL, 'H'},
        {"published", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *hf_paths[REPORT_MAX_HF], *published_path = NULL, *path;
    json_t *hf[REPORT_MAX_HF], *root, *published;
    int nhf = 0, c, rc = 0;
    char err[1024];

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'H':
            if (nhf >= REPORT_MAX_HF) {
                fprintf(stderr, "concbench report: too many --hyperfine (at most %d)\n",
                        REPORT_MAX_HF);
                return 2;
            }
            hf_paths[nhf++] = optarg;
            break;
        case 'P':
            published_path = optarg;
            break;
        case 'h':
            report_usage(stdout);
            return 0;
        case ':':
            fprintf(stderr, "concbench report: %s needs a value (see concbench report --help)\n",
                    argv[optind - 1]);
            return 2;
        default:
            fprintf(stderr, "concbench report: unknown option '%s' (see concbench report --help)\n",
                    argv[optind - 1]);
            return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "concbench report: which results file? (concbench report RESULTS.json; "
                        "see concbench report --help)\n");
        return 2;
    }
    if (optind + 1 < argc) {
        fprintf(stderr,
                "concbench report: unexpected argument '%s' (one results file; hyperfine files "
                "go after --hyperfine)\n",
                argv[optind + 1]);
        return 2;
    }
    path = argv[optind];
    root = rfile_load(path, err, sizeof(err));
    if (root == NULL) {
        fprintf(stderr, "concbench report: %s\n", err);
        return 1;
    }
    for (int i = 0; i < nhf; i++) {
        hf[i] = hyperfine_load(hf_paths[i], err, sizeof(err));
        if (hf[i] == NULL) {
            fprintf(stderr, "concbench report: %s\n", err);
            while (i-- > 0)
                json_decref(hf[i]);
            json_decref(root);
            return 1;
        }
    }
    published = published_for(root, published_path, err, sizeof(err));
    if (published == NULL && published_path != NULL) {
        fprintf(stderr, "concbench report: %s\n", err);
        rc = 1;
        goto done;
    }

    {
        json_t *ctx = json_object_get(root, "context");
        printf("Results: %s (%s; %s, %s, %lld logical CPUs, load %.2f; commit %s)%s\n", path,
               jstr(root, "tool") ? jstr(root, "tool") : "?",
               jstr(ctx, "date") ? jstr(ctx, "date") : "?",
               jstr(ctx, "cpu_model") ? jstr(ctx, "cpu_model") : "?", jint(ctx, "logical_cpus", 0),
               json_number_value(json_array_get(json_object_get(ctx, "load_avg"), 0)),
               jstr(ctx, "git_commit") ? jstr(ctx, "git_commit") : "?",
               json_is_true(json_object_get(root, "interrupted")) ? " INTERRUPTED" : "");
    }
    cases_table(root, stdout);
    if (has_workload(root, NULL, "cpu_bound") || has_workload(root, NULL, "io_bound")) {
        if (published == NULL)
            fprintf(stderr, "concbench report: %s\n", err);
        repro_table(root, published, stdout);
        repro_reading(root, published, stdout);
    }
    hyperfine_table(root, hf, hf_paths, nhf, stdout);
    repro_notes(root, stdout);
done:
    for (int i = 0; i < nhf; i++)
        json_decref(hf[i]);
    json_decref(published);
    json_decref(root);
    return rc;
}
