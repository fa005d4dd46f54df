/* Drawing a results file with gnuplot: the data and the script go to a temporary folder
 * (kept on request or on failure), gnuplot runs on them, the picture is checked. The pictures
 * themselves are plot_bars.c's and plot_timeline.c's. */
#include <errno.h>
#include <stdarg.h>
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

#include "rmodel/article.h"
#include "common/outfile.h"
#include "common/termsafe.h"
#include "common/proc_status.h"
#include "report/plot.h"
#include "report/plot_internal.h"

/* "concbench plot: ..." on stderr, made safe for a terminal: it quotes paths ($TMPDIR, -o),
 * the loader's messages and gnuplot's, which can echo a results file's labels. */
static void plot_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void plot_say(const char *fmt, ...)
{
    char msg[2048], safe[TERM_SAFE_GROWTH * sizeof(msg) + 1];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fprintf(stderr, "concbench plot: %s\n", term_safe(msg, 0, safe, sizeof(safe)));
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
        plot_say("cannot fork: %s", strerror(errno));
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
        char line[512], how[128];
        proc_status_text(status, how, sizeof(how));
        plot_say("gnuplot failed (%s):", how);
        for (int n = 0; e != NULL && n < 20 && fgets(line, sizeof(line), e) != NULL; n++) {
            char safe[TERM_SAFE_GROWTH * sizeof(line) + 1];
            line[strcspn(line, "\n")] = '\0';
            fprintf(stderr, "  %s\n", term_safe(line, 0, safe, sizeof(safe)));
        }
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

/* Writes the script (and its data, through write) into a fresh temporary folder; gnuplot draws
 * into picture there, not into the output itself. 0, or 1 after saying why. */
static int plot_script(struct plot_ctx *p, plot_writer write, const void *arg, char *picture,
                       char *script)
{
    FILE *gp;
    int rc;

    snprintf(p->dir, sizeof(p->dir), "%s/concbench-plot-XXXXXX",
             getenv("TMPDIR") && getenv("TMPDIR")[0] ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(p->dir) == NULL) {
        plot_say("cannot make a temporary folder %s: %s", p->dir, strerror(errno));
        p->dir[0] = '\0';
        return 1;
    }
    /* the picture's file is made here so that the clean-up knows it; gnuplot writes it */
    gp = plot_file(p, p->svg ? "picture.svg" : "picture.png", picture, PATH_MAX);
    if (gp != NULL) {
        fclose(gp);
        gp = plot_file(p, "plot.gp", script, PATH_MAX);
    }
    if (gp == NULL) {
        plot_say("cannot write in %s: %s", p->dir, strerror(errno));
        return 1;
    }
    fprintf(gp, "# written by concbench plot\n");
    rc = write(p, arg, picture, gp);
    fclose(gp);
    return rc;
}

/* outfile_write's writer: the bytes of the file at arg. */
static int copy_picture(FILE *out, void *arg)
{
    FILE *in = fopen(arg, "rb");
    char buf[65536];
    size_t n;
    int rc = 0;

    if (in == NULL)
        return -1;
    while (rc == 0 && (n = fread(buf, 1, sizeof(buf), in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = -1;
    if (ferror(in))
        rc = -1;
    fclose(in);
    return rc;
}

/* Runs gnuplot, checks that it drew something, and puts the picture in place in one rename (an
 * existing picture stays whole until then); 0, or 1 (and the folder is kept). */
static int plot_draw(struct plot_ctx *p, const char *gnuplot, const char *script,
                     const char *picture, const char *output, int *keep)
{
    char errfile[PATH_MAX], err[PATH_MAX + 256];
    FILE *e = plot_file(p, "gnuplot.err", errfile, sizeof(errfile));
    struct stat st;

    if (e != NULL)
        fclose(e);
    if (run_gnuplot(gnuplot, script, errfile) != 0) {
        *keep = 1;
        return 1;
    }
    if (stat(picture, &st) != 0 || st.st_size == 0) {
        plot_say("gnuplot drew nothing for %s", output);
        *keep = 1;
        return 1;
    }
    if (outfile_write(output, copy_picture, (void *)picture, err, sizeof(err)) != 0) {
        plot_say("%s", err);
        *keep = 1;
        return 1;
    }
    {
        char safe[TERM_SAFE_GROWTH * PATH_MAX + 1];
        printf("wrote %s\n", term_safe(output, 0, safe, sizeof(safe)));
    }
    return 0;
}

int plot_with(const char *output, int keep, plot_writer write, const void *arg)
{
    struct plot_ctx p = {0};
    char gnuplot[PATH_MAX], script[PATH_MAX], picture[PATH_MAX];
    int rc;

    p.svg = plot_is_svg(output);
    if (find_in_path("gnuplot", gnuplot, sizeof(gnuplot)) != 0) {
        fprintf(stderr, "concbench plot: gnuplot not found on PATH: apt-get install gnuplot-nox "
                        "(scripts/install-deps.sh installs it)\n");
        return 1;
    }
    rc = plot_script(&p, write, arg, picture, script);
    if (rc == 0)
        rc = plot_draw(&p, gnuplot, script, picture, output, &keep);
    if (keep && p.dir[0] != '\0')
        plot_say("the gnuplot script and data are in %s", p.dir);
    plot_cleanup(&p, keep); /* with --keep the names were leaked (LeakSanitizer) */
    return rc;
}

/* What plot_render draws: the bars, or one workload's timeline. */
struct plot_render_arg {
    const struct rm_file *f;
    const struct rm_published *pub;
    const char *timeline;
    int slides;
};

static int plot_render_write(struct plot_ctx *p, const void *arg, const char *output, FILE *gp)
{
    const struct plot_render_arg *a = arg;

    p->slides = a->slides;
    if (a->timeline != NULL)
        return plot_timeline(p, a->f, a->timeline, output, gp);
    return a->f->sweep != NULL ? plot_sweep(p, a->f, output, gp)
                               : plot_bars(p, a->f, a->pub, output, gp);
}

int plot_render(const char *path, const char *output, const char *timeline,
                const char *published_path, int keep, int slides)
{
    struct rm_published *loaded = NULL;
    const struct rm_published *pub = NULL;
    char err[1024];
    struct rm_file *f = rm_load(path, err, sizeof(err));
    int rc = 1;

    if (f == NULL) {
        plot_say("%s", err);
        return 1;
    }
    if (timeline != NULL && f->sweep != NULL) {
        plot_say("%s is a sweep (its cases differ in N, timelines are not kept by default): draw "
                 "it without --timeline, time and memory per task against N",
                 path);
        goto out;
    }
    if (timeline == NULL && f->sweep == NULL) {
        pub = published_for(f, published_path, &loaded, err, sizeof(err));
        if (pub == NULL && published_path != NULL) {
            plot_say("%s", err);
            goto out;
        }
        if (pub == NULL &&
            (rm_has_workload(f, NULL, "cpu_bound") || rm_has_workload(f, NULL, "io_bound")))
            plot_say("%s; drawing without the article's bars", err);
    }
    {
        struct plot_render_arg a = {f, pub, timeline, slides};
        rc = plot_with(output, keep, plot_render_write, &a);
    }
out:
    rm_published_free(loaded);
    rm_free(f);
    return rc;
}
