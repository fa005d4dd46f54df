#include "report/report_text.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/termsafe.h"

#define WRAP 92

void text_append(struct text_buf *b, const char *fmt, ...)
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

void text_print_wrapped(FILE *out, const char *text, const char *first, const char *indent)
{
    text_print_wrapped_at(out, text, first, indent, WRAP);
}

void text_print_wrapped_at(FILE *out, const char *text, const char *first, const char *indent,
                           size_t width)
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
        if (col > strlen(indent) && col + 1 + word > width) {
            fprintf(out, "\n%s", indent);
            col = strlen(indent);
        } else if (col > strlen(first) || (col > strlen(indent) && p != text)) {
            fputc(' ', out);
            col++;
        }
        {
            /* a word of a file's text (a label, an error) is shown safe for a terminal */
            char stack[256], *safe = stack, *copy;
            size_t room = word * TERM_SAFE_GROWTH + 1;
            if (room > sizeof(stack) && (safe = malloc(room)) == NULL)
                abort();
            if ((copy = strndup(p, word)) == NULL)
                abort();
            fputs(term_safe(copy, 0, safe, room > sizeof(stack) ? room : sizeof(stack)), out);
            free(copy);
            if (safe != stack)
                free(safe);
        }
        col += word;
        p += word;
    }
    fputc('\n', out);
}

void text_seconds(char *buf, size_t len, double s)
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

void text_ratio(char *buf, size_t len, double x)
{
    if (!(x > 0))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.2fx", x);
}

void text_rss(char *buf, size_t len, double kib)
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

void text_duration(char *buf, size_t len, double s)
{
    if (!(s >= 0))
        snprintf(buf, len, "-");
    else if (s >= 1)
        snprintf(buf, len, "%.3g s", s);
    else if (s >= 1e-3)
        snprintf(buf, len, "%.3g ms", s * 1e3);
    else if (s >= 1e-6)
        snprintf(buf, len, "%.3g us", s * 1e6);
    else
        snprintf(buf, len, "%.3g ns", s * 1e9);
}

void text_bytes(char *buf, size_t len, double bytes)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
    double v = fabs(bytes) / 1024;
    int u = 0;

    if (!isfinite(bytes)) {
        snprintf(buf, len, "-");
        return;
    }
    if (fabs(bytes) < 1024) {
        snprintf(buf, len, "%.0f B", bytes);
        return;
    }
    while (v >= 1024 && u < 3) {
        v /= 1024;
        u++;
    }
    snprintf(buf, len, v < 100 ? "%s%.1f %s" : "%s%.0f %s", bytes < 0 ? "-" : "", v, units[u]);
}

const char *text_list_sep(int i, int n)
{
    return i == 0 ? "" : i == n - 1 ? " and " : ", ";
}
