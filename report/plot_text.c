/* The temporary folder of a plot and gnuplot text that data cannot turn into commands. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/plot_internal.h"
#include "report/plot_style.h"

FILE *plot_file(struct plot_ctx *p, const char *name, char *path, size_t len)
{
    char **grown;
    FILE *f;

    if (snprintf(path, len, "%s/%s", p->dir, name) >= (int)len) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    grown = realloc(p->files, (size_t)(p->nfiles + 1) * sizeof(*grown));
    if (grown == NULL)
        return NULL;
    p->files = grown;
    f = fopen(path, "w");
    if (f != NULL && (p->files[p->nfiles] = strdup(path)) != NULL)
        p->nfiles++;
    return f;
}

void plot_cleanup(struct plot_ctx *p, int keep)
{
    for (int i = 0; i < p->nfiles; i++) {
        if (!keep)
            unlink(p->files[i]);
        free(p->files[i]);
    }
    free(p->files);
    p->files = NULL;
    p->nfiles = 0;
    if (!keep && p->dir[0] != '\0')
        rmdir(p->dir);
}

void gp_quote(FILE *f, const char *s)
{
    fputs("('", f);
    for (; s != NULL && *s != '\0'; s++) {
        if (*s == '\n')
            fputs("'.\"\\n\".'", f); /* our own line break, between two quoted pieces */
        else if (*s == '\'')
            fputs("'.\"'\".'", f); /* a quote, double-quoted on its own */
        else if ((unsigned char)*s >= 0x20)
            fputc(*s, f); /* other control characters are dropped */
    }
    fputs("')", f);
}

void gp_terminal(FILE *f, const struct plot_ctx *p, int width, int height)
{
    const char *extra = p->slides ? " linewidth 2" : "";
    int size = p->slides ? PLOT_SLIDES_TEXT_PX : p->svg ? 11 : 10;

    if (p->slides) { /* a slide is the projector's size, whatever the picture holds */
        width = PLOT_SLIDES_WIDTH;
        height = PLOT_SLIDES_HEIGHT;
    }
    if (p->svg)
        fprintf(f,
                "set terminal svg size %d,%d dynamic noenhanced font 'sans,%d'%s background "
                "'white'\n",
                width, height, size, extra);
    else
        fprintf(f,
                "set terminal pngcairo size %d,%d noenhanced font 'sans,%d'%s background "
                "'white'\n",
                width, height, size, extra);
}

void plot_machine_line(const struct rm_file *f, char *buf, size_t len)
{
    const struct rm_context *x = f->context;

    snprintf(buf, len, "%s, %lld logical CPUs, %s, %s", x && x->cpu_model ? x->cpu_model : "?",
             x ? x->logical_cpus : 0, x && x->date ? x->date : "?", f->tool ? f->tool : "");
}
