/* `concbench plot RESULTS.json -o FILE.png|FILE.svg [--timeline WORKLOAD]`: draws a results file
 * with gnuplot. Without --timeline: grouped bars of the speedup against sequential per model, for
 * cpu_bound and io_bound, C next to the article (and our Python when present), as ratios so that
 * machines compare. With --timeline: one bar per task over time, one panel per model. The data and
 * the gnuplot script go to a temporary folder (--keep leaves it there to edit). */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/article.h"
#include "bench/jfield.h"
#include "report/plot.h"
#include "bench/results.h"
#include "bench/results_cases.h"
#include "bench/results_file.h"

#define PLOT_MAX_FILES 64
#define PLOT_MAX_ROWS  32

struct plot_ctx {
    char dir[1024];
    char files[PLOT_MAX_FILES][PATH_MAX];
    int nfiles;
    int svg;
};

/* Opens a new file in the temporary folder and remembers it for the clean-up. */
static FILE *plot_file(struct plot_ctx *p, const char *name, char *path, size_t len)
{
    FILE *f;

    if (p->nfiles >= PLOT_MAX_FILES)
        return NULL;
    if (snprintf(path, len, "%s/%s", p->dir, name) >= (int)len)
        return NULL;
    f = fopen(path, "w");
    if (f != NULL)
        snprintf(p->files[p->nfiles++], PATH_MAX, "%s", path);
    return f;
}

static void plot_cleanup(struct plot_ctx *p)
{
    for (int i = 0; i < p->nfiles; i++)
        unlink(p->files[i]);
    if (p->dir[0] != '\0')
        rmdir(p->dir);
}

/* A double-quoted gnuplot string; quotes and backslashes in labels become harmless. */
static void gp_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s != NULL && *s != '\0'; s++) {
        if (*s == '\n')
            fputs("\\n", f);
        else
            fputc(*s == '"' ? '\'' : *s == '\\' ? '/' : *s, f);
    }
    fputc('"', f);
}

static int find_in_path(const char *name, char *out, size_t len)
{
    const char *path = getenv("PATH");
    char *copy, *save = NULL;
    int found = 0;

    if (path == NULL || (copy = strdup(path)) == NULL)
        return -1;
    for (char *d = strtok_r(copy, ":", &save); d != NULL && !found;
         d = strtok_r(NULL, ":", &save)) {
        snprintf(out, len, "%s/%s", d[0] ? d : ".", name);
        found = access(out, X_OK) == 0;
    }
    free(copy);
    return found ? 0 : -1;
}

static void terminal(FILE *f, const struct plot_ctx *p, int width, int height)
{
    if (p->svg)
        fprintf(f,
                "set terminal svg size %d,%d dynamic noenhanced font 'sans,11' background "
                "'white'\n",
                width, height);
    else
        fprintf(f,
                "set terminal pngcairo size %d,%d noenhanced font 'sans,10' background "
                "'white'\n",
                width, height);
}

static void machine_line(json_t *root, char *buf, size_t len)
{
    json_t *ctx = json_object_get(root, "context");
    snprintf(buf, len, "%s, %lld logical CPUs, %s, %s",
             jf_str(ctx, "cpu_model") ? jf_str(ctx, "cpu_model") : "?",
             (long long)json_integer_value(json_object_get(ctx, "logical_cpus")),
             jf_str(ctx, "date") ? jf_str(ctx, "date") : "?",
             jf_str(root, "tool") ? jf_str(root, "tool") : "");
}

/* ---------------------------------------------------------------------------------------------
 * Grouped bars */

static int plot_bars(struct plot_ctx *p, json_t *root, json_t *published, const char *output,
                     FILE *gp)
{
    static const char *const wls[2] = {"cpu_bound", "io_bound"};
    static const char *const colors[3] = {"#1f5fa8", "#f08c1e", "#8c8c8c"};
    int present[2] = {0, 0}, npanels = 0;
    char machine[512];
    long long tasks = json_integer_value(json_object_get(json_object_get(root, "config"), "tasks"));

    for (int w = 0; w < 2; w++)
        for (int m = 0; m < REPRO_NMODELS; m++)
            if (rfile_find(root, "c", wls[w], repro_models[m]) != NULL ||
                rfile_find(root, "python", wls[w], repro_models[m]) != NULL)
                present[w] = 1;
    npanels = present[0] + present[1];
    if (npanels == 0) {
        fprintf(stderr,
                "concbench plot: the results have no cpu_bound or io_bound case to compare; "
                "use --timeline WORKLOAD for other workloads\n");
        return 1;
    }
    machine_line(root, machine, sizeof(machine));
    terminal(gp, p, npanels == 2 ? 1300 : 720, 580);
    fprintf(gp, "set output ");
    gp_str(gp, output);
    fprintf(gp, "\nset datafile missing '-'\n"
                "set style data histograms\n"
                "set style histogram clustered gap 1\n"
                "set style fill solid 0.9 border -1\n"
                "set key top left vertical Left reverse samplen 1.5 font ',9'\n"
                "set bmargin 4\n"
                "set grid ytics lc rgb '#dddddd'\n"
                "set xtics nomirror scale 0\n"
                "set ytics nomirror\n"
                "set border 3\n"
                "set ylabel 'speedup against sequential (higher is faster)'\n");
    fprintf(gp, "set multiplot layout 1,%d title ", npanels);
    {
        char title[1024];
        snprintf(title, sizeof(title),
                 "The article's experiment (N=%lld): each model's speedup over its own "
                 "sequential run\n%s",
                 tasks, machine);
        gp_str(gp, title);
    }
    fprintf(gp, " font ',11'\n");

    for (int w = 0; w < 2; w++) {
        char path[PATH_MAX], name[64], title[256];
        int has_py = 0, has_art = published != NULL, series[3], ns = 0;
        double ymax = 1.0;
        FILE *d;

        if (!present[w])
            continue;
        snprintf(name, sizeof(name), "bars_%s.dat", wls[w]);
        d = plot_file(p, name, path, sizeof(path));
        if (d == NULL) {
            fprintf(stderr, "concbench plot: cannot write %s: %s\n", path, strerror(errno));
            return 1;
        }
        fprintf(d, "# model article C Python article\n");
        for (int m = 0; m < REPRO_NMODELS; m++) {
            json_t *c = rfile_find(root, "c", wls[w], repro_models[m]);
            json_t *py = rfile_find(root, "python", wls[w], repro_models[m]);
            double xc = case_speedup(root, c), xp = case_speedup(root, py), xa = -1;
            double a = published ? published_seconds(published, repro_models[m], wls[w]) : -1;
            double aseq = published ? published_seconds(published, "sequential", wls[w]) : -1;
            if (a > 0 && aseq > 0)
                xa = aseq / a;
            has_py |= py != NULL;
            fprintf(d, "%s %s", repro_models[m], repro_article[m]);
            for (int k = 0; k < 3; k++) {
                double x = k == 0 ? xc : k == 1 ? xp : xa;
                if (x > 0) {
                    fprintf(d, " %.4f", x);
                    if (x > ymax)
                        ymax = x;
                } else {
                    fprintf(d, " -");
                }
            }
            fprintf(d, "\n");
        }
        fclose(d);
        series[ns++] = 0;
        if (has_py)
            series[ns++] = 1;
        if (has_art)
            series[ns++] = 2;

        if (w == 0)
            snprintf(title, sizeof(title), "cpu_bound: %lld**%lld per task",
                     rfile_param(root, "cpu_bound", "base", 0),
                     rfile_param(root, "cpu_bound", "exponent", 0));
        else
            snprintf(title, sizeof(title), "io_bound: %lld GETs in a row per task, %lld ms delay",
                     rfile_param(root, "io_bound", "requests", 0),
                     rfile_param(root, "io_bound", "delay_ms", 0));
        fprintf(gp, "set title ");
        gp_str(gp, title);
        fprintf(gp, "\nset yrange [0:%.3f]\n", ymax * 1.35); /* room for the key */
        fprintf(gp, "set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb "
                    "'#555555'\n");
        fprintf(gp, "plot ");
        for (int s = 0; s < ns; s++) {
            static const char *const names[3] = {"C (concbench)", "Python (ours, this machine)",
                                                 "article (published)"};
            int k = series[s];
            fprintf(gp, "%s'%s' using %d%s title '%s' lc rgb '%s'", s ? ", \\\n     " : "", path,
                    3 + k, s == 0 ? ":xtic(sprintf(\"%s\\n(%s)\", strcol(1), strcol(2)))" : "",
                    names[k], colors[k]);
        }
        /* The value above each bar: clustered bars sit at group + (j + 1/2 - n/2) / (n + gap). */
        for (int s = 0; s < ns; s++) {
            double off = ((double)s + 0.5 - (double)ns / 2.0) / ((double)ns + 1.0);
            fprintf(
                gp,
                ", \\\n     '%s' using ($0%+.4f):($0 == 0 ? NaN : column(%d)):(sprintf('%%.2f', "
                "column(%d))) with labels offset 0,0.6 font ',7' notitle",
                path, off, 3 + series[s], 3 + series[s]);
        }
        fprintf(gp, "\n");
    }
    fprintf(gp, "unset multiplot\n");
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Task timelines */

static double timeline_end(json_t *c)
{
    json_t *t;
    size_t i;
    double end = 0;

    json_array_foreach(json_object_get(c, "timeline"), i, t)
    {
        double e = json_number_value(json_object_get(t, "end_s"));
        if (e > end)
            end = e;
    }
    return end;
}

static int plot_timeline(struct plot_ctx *p, json_t *root, const char *workload, const char *output,
                         FILE *gp)
{
    json_t *rows[PLOT_MAX_ROWS][2] = {{NULL}}, *c;
    int nrows = 0, has_py = 0, ncols, maxtasks = 1;
    double xmax[2] = {0, 0}; /* one time axis per column: C, Python */
    size_t i;
    char machine[512];

    /* One row per C case (file order); our Python case of the same model beside it. */
    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        const char *impl = jf_str(c, "implementation");
        if (strcmp(jf_str(c, "workload"), workload) != 0 || (impl && strcmp(impl, "c") != 0))
            continue;
        if (nrows < PLOT_MAX_ROWS)
            rows[nrows++][0] = c;
    }
    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        const char *impl = jf_str(c, "implementation");
        int placed = 0;
        if (strcmp(jf_str(c, "workload"), workload) != 0 || impl == NULL ||
            strcmp(impl, "python") != 0)
            continue;
        has_py = 1;
        for (int r = 0; r < nrows && !placed; r++)
            if (rows[r][1] == NULL &&
                strcmp(jf_str(rows[r][0], "model"), jf_str(c, "model")) == 0 &&
                strcmp(jf_str(rows[r][0], "label"), jf_str(rows[r][0], "model")) == 0) {
                rows[r][1] = c;
                placed = 1;
            }
        if (!placed && nrows < PLOT_MAX_ROWS) {
            rows[nrows][0] = NULL;
            rows[nrows++][1] = c;
        }
    }
    if (nrows == 0) {
        char have[512] = "";
        size_t used = 0;
        json_array_foreach(json_object_get(root, "cases"), i, c)
        {
            const char *wl = jf_str(c, "workload");
            if (strstr(have, wl) == NULL && used < sizeof(have))
                used += (size_t)snprintf(have + used, sizeof(have) - used, "%s%s", used ? ", " : "",
                                         wl);
        }
        fprintf(stderr, "concbench plot: no %s case in the results (they have: %s)\n", workload,
                have[0] ? have : "none");
        return 1;
    }
    ncols = has_py ? 2 : 1;
    for (int r = 0; r < nrows; r++)
        for (int k = 0; k < 2; k++)
            if (rows[r][k] != NULL) {
                double e = timeline_end(rows[r][k]);
                int n = (int)json_array_size(json_object_get(rows[r][k], "timeline"));
                if (e > xmax[k])
                    xmax[k] = e;
                if (n > maxtasks)
                    maxtasks = n;
            }
    for (int k = 0; k < 2; k++)
        if (xmax[k] <= 0)
            xmax[k] = 1;

    machine_line(root, machine, sizeof(machine));
    terminal(gp, p, ncols == 2 ? 1300 : 900, 90 + nrows * (maxtasks > 20 ? 200 : 160));
    fprintf(gp, "set output ");
    gp_str(gp, output);
    fprintf(gp,
            "\nset style fill solid 0.85 noborder\n"
            "set yrange [%.1f:-0.6]\n"
            "set ytics 0,%d nomirror font ',8'\n"
            "set xtics nomirror font ',8'\n"
            "set grid xtics lc rgb '#e0e0e0'\n"
            "set border 3\n"
            "set lmargin 7\n"
            "set ylabel 'task' font ',8'\n",
            (double)maxtasks - 0.4, maxtasks <= 5 ? 1 : (maxtasks + 4) / 5);
    fprintf(gp, "set multiplot layout %d,%d title ", nrows, ncols);
    {
        char title[1024];
        snprintf(title, sizeof(title),
                 "%s: each task from its start to its end, last repetition (white ticks: end of "
                 "each step; red: a failed task; one time axis per column)\n%s",
                 workload, machine);
        gp_str(gp, title);
    }
    fprintf(gp, " font ',11'\n");
    for (int r = 0; r < nrows; r++) {
        for (int k = 0; k < ncols; k++) {
            char name[64], path[PATH_MAX], spath[PATH_MAX], title[256];
            json_t *cc = rows[r][k], *t;
            FILE *d, *s;
            size_t j;

            fprintf(gp, "set xrange [0:%.6f]\n", xmax[k] * 1.03);
            if (r == nrows - 1)
                fprintf(gp, "set xlabel 'seconds from the first task start' font ',8'\n");
            else
                fprintf(gp, "unset xlabel\n");
            if (cc == NULL) {
                fprintf(gp, "set multiplot next\n");
                continue;
            }
            snprintf(name, sizeof(name), "tl_%d_%d.dat", r, k);
            d = plot_file(p, name, path, sizeof(path));
            snprintf(name, sizeof(name), "steps_%d_%d.dat", r, k);
            s = plot_file(p, name, spath, sizeof(spath));
            if (d == NULL || s == NULL) {
                fprintf(stderr, "concbench plot: cannot write in %s: %s\n", p->dir,
                        strerror(errno));
                if (d)
                    fclose(d);
                if (s)
                    fclose(s);
                return 1;
            }
            fprintf(d, "# row start end ok\n");
            fprintf(s, "# row step_end\n");
            json_array_foreach(json_object_get(cc, "timeline"), j, t)
            {
                json_t *st;
                size_t q;
                fprintf(d, "%zu %.6f %.6f %d\n", j,
                        json_number_value(json_object_get(t, "start_s")),
                        json_number_value(json_object_get(t, "end_s")),
                        json_is_true(json_object_get(t, "ok")));
                json_array_foreach(json_object_get(t, "steps_end_s"), q, st)
                {
                    /* the last step's end is the task's end: no tick there */
                    if (q + 1 < json_array_size(json_object_get(t, "steps_end_s")))
                        fprintf(s, "%zu %.6f\n", j, json_number_value(st));
                }
            }
            fprintf(s, "0 -1\n"); /* never empty: gnuplot refuses an empty file */
            fclose(d);
            fclose(s);
            snprintf(title, sizeof(title), "%s - median wall %.3f s, this repetition %.3f s",
                     jf_str(cc, "label"), case_median(cc) > 0 ? case_median(cc) : 0.0,
                     timeline_end(cc));
            fprintf(gp, "set title ");
            gp_str(gp, title);
            fprintf(gp, " font ',9'\n");
            fprintf(
                gp,
                "plot '%s' using (($2+$3)/2):1:2:3:($1-0.38):($1+0.38):(int($4) ? %s : 0xd62728) "
                "with boxxyerror lc rgb variable notitle, \\\n"
                "     '%s' using 2:($1-0.38):(0):(0.76) with vectors nohead lc rgb 'white' "
                "lw 1.5 notitle\n",
                path, k == 0 ? "0x1f5fa8" : "0xf08c1e", spath);
        }
    }
    fprintf(gp, "unset multiplot\n");
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Running gnuplot */

/* Runs gnuplot on the script; 0, or -1 after printing what it said. */
static int run_gnuplot(const char *gnuplot, const char *script, const char *errfile)
{
    int status;
    pid_t pid;

    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        fprintf(stderr, "concbench plot: cannot fork: %s\n", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        FILE *e = freopen(errfile, "w", stderr);
        (void)e;
        if (freopen("/dev/null", "w", stdout) == NULL)
            _exit(127);
        execl(gnuplot, "gnuplot", script, (char *)NULL);
        fprintf(stderr, "cannot run %s: %s\n", gnuplot, strerror(errno));
        _exit(127);
    }
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        FILE *e = fopen(errfile, "r");
        char line[512];
        fprintf(stderr, "concbench plot: gnuplot failed (%s %d):\n",
                WIFEXITED(status) ? "status" : "signal",
                WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        for (int n = 0; e != NULL && n < 20 && fgets(line, sizeof(line), e) != NULL; n++)
            fprintf(stderr, "  %s", line);
        if (e != NULL)
            fclose(e);
        return -1;
    }
    return 0;
}

static int plot_ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

int plot_is_svg(const char *output)
{
    return plot_ends_with(output, ".svg");
}

int plot_output_ok(const char *output)
{
    return plot_ends_with(output, ".png") || plot_ends_with(output, ".svg");
}

int plot_render(const char *path, const char *output, const char *timeline,
                const char *published_path, int keep)
{
    struct plot_ctx p;
    char err[1024], gnuplot[PATH_MAX], script[PATH_MAX], errfile[PATH_MAX];
    json_t *root, *published = NULL;
    int rc = 1;
    struct stat st;
    FILE *gp;

    memset(&p, 0, sizeof(p));
    p.svg = plot_is_svg(output);
    root = rfile_load(path, err, sizeof(err));
    if (root == NULL) {
        fprintf(stderr, "concbench plot: %s\n", err);
        return 1;
    }
    if (find_in_path("gnuplot", gnuplot, sizeof(gnuplot)) != 0) {
        fprintf(stderr, "concbench plot: gnuplot not found on PATH: apt-get install gnuplot-nox "
                        "(scripts/install-deps.sh installs it)\n");
        json_decref(root);
        return 1;
    }
    if (timeline == NULL) {
        published = published_for(root, published_path, err, sizeof(err));
        if (published == NULL && published_path != NULL) {
            fprintf(stderr, "concbench plot: %s\n", err);
            json_decref(root);
            return 1;
        }
        if (published == NULL)
            fprintf(stderr, "concbench plot: %s; drawing without the article's bars\n", err);
    }

    snprintf(p.dir, sizeof(p.dir), "%s/concbench-plot-XXXXXX",
             getenv("TMPDIR") && getenv("TMPDIR")[0] ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(p.dir) == NULL) {
        fprintf(stderr, "concbench plot: cannot make a temporary folder %s: %s\n", p.dir,
                strerror(errno));
        p.dir[0] = '\0';
        goto out;
    }
    gp = plot_file(&p, "plot.gp", script, sizeof(script));
    if (gp == NULL) {
        fprintf(stderr, "concbench plot: cannot write %s: %s\n", script, strerror(errno));
        goto out;
    }
    fprintf(gp, "# written by concbench plot from %s\n", path);
    if (timeline != NULL)
        rc = plot_timeline(&p, root, timeline, output, gp);
    else
        rc = plot_bars(&p, root, published, output, gp);
    fclose(gp);
    if (rc != 0)
        goto out;
    {
        FILE *e = plot_file(&p, "gnuplot.err", errfile, sizeof(errfile));
        if (e != NULL)
            fclose(e);
    }
    unlink(output);
    if (run_gnuplot(gnuplot, script, errfile) != 0) {
        unlink(output); /* whatever gnuplot began is not a picture */
        rc = 1;
        keep = 1;
    } else if (stat(output, &st) != 0 || st.st_size == 0) {
        fprintf(stderr, "concbench plot: gnuplot wrote nothing to %s\n", output);
        rc = 1;
        keep = 1;
    } else {
        printf("wrote %s\n", output);
        rc = 0;
    }
    if (keep)
        fprintf(stderr, "concbench plot: the gnuplot script and data are in %s\n", p.dir);
out:
    if (!keep)
        plot_cleanup(&p);
    json_decref(published);
    json_decref(root);
    return rc;
}
