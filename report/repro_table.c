#include "report/report_sections.h"

#include <stdlib.h>
#include <string.h>

#include "common/article_sizes.h"
#include "bench/article.h"
#include "report/report_text.h"

static const char *const table_wls[2] = {"cpu_bound", "io_bound"};

static void cell_case(char *s, size_t slen, char *x, size_t xlen, const struct rm_file *f,
                      const struct rm_case *c)
{
    fmt_seconds(s, slen, rm_median(c));
    fmt_ratio(x, xlen, rm_speedup(f, c));
    if (c != NULL && !rm_valid(c) && strlen(s) + 1 < slen)
        strcat(s, "!");
}

void repro_table(const struct rm_file *f, const struct rm_published *published, FILE *out)
{
    int wl_on[2], py_on[2], any_bad = 0;
    long long tasks = f->config.tasks;
    char line[512];
    size_t used;

    for (int w = 0; w < 2; w++) {
        wl_on[w] = rm_has_workload(f, "c", table_wls[w]) || rm_has_workload(f, NULL, table_wls[w]);
        py_on[w] = rm_has_workload(f, "python", table_wls[w]);
    }
    {
        struct sbuf head = {0};
        sb_printf(&head, "The article's experiment, N=%lld tasks per model:", tasks);
        if (wl_on[0])
            sb_printf(&head, " cpu_bound = %lld**%lld per task",
                      rm_file_param(f, "cpu_bound", "base", ARTICLE_BASE),
                      rm_file_param(f, "cpu_bound", "exponent", ARTICLE_EXPONENT));
        if (wl_on[0] && wl_on[1])
            sb_printf(&head, ";");
        if (wl_on[1])
            sb_printf(&head,
                      " io_bound = %lld GETs in a row per task, %lld ms server delay, %lld "
                      "bytes each",
                      rm_file_param(f, "io_bound", "requests", ARTICLE_REQUESTS),
                      rm_file_param(f, "io_bound", "delay_ms", ARTICLE_DELAY_MS),
                      rm_file_param(f, "io_bound", "bytes", ARTICLE_BYTES));
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
            const struct rm_case *c, *py;
            char s[32], x[32];
            double a, aseq;
            if (!wl_on[w])
                continue;
            c = rm_find(f, "c", table_wls[w], repro_models[m]);
            py = rm_find(f, "python", table_wls[w], repro_models[m]);
            any |= c != NULL || py != NULL;
            any_bad |= (c != NULL && !rm_valid(c)) || (py != NULL && !rm_valid(py));
            cell_case(s, sizeof(s), x, sizeof(x), f, c);
            used += (size_t)snprintf(line + used, sizeof(line) - used, " | %8s %7s", s, x);
            if (py_on[w]) {
                cell_case(s, sizeof(s), x, sizeof(x), f, py);
                used += (size_t)snprintf(line + used, sizeof(line) - used, " %8s %7s", s, x);
            }
            a = published ? rm_published_seconds(published, repro_models[m], table_wls[w]) : -1;
            aseq = published ? rm_published_seconds(published, "sequential", table_wls[w]) : -1;
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
            sb_printf(&legend,
                      "art: the article's published seconds (%s, \"%s\"): one run each, on its "
                      "author's machine, io_bound from real internet sites. ",
                      published->author ? published->author : "?",
                      published->title ? published->title : "?");
        } else {
            sb_printf(&legend, "The article's figures were not found: its columns are empty. ");
        }
        if (py_on[0] || py_on[1]) {
            const struct rm_case *c =
                rm_find(f, "python", py_on[0] ? "cpu_bound" : "io_bound", "sequential");
            const char *ver =
                c != NULL ? json_string_value(json_object_get(c->python, "version")) : NULL;
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
