#ifndef CONCBENCH_REPORT_TEXT_H
#define CONCBENCH_REPORT_TEXT_H

/* Small helpers the report's files share (prefix text_): paragraphs built up and printed
 * wrapped, seconds, ratios, durations and sizes formatted for the tables. */

#include <stddef.h>
#include <stdio.h>

/* A growable text buffer for paragraphs that are wrapped before printing: {0} is empty, and the
 * owner frees s. */
struct text_buf {
    char *s;
    size_t len, cap;
};

/* Appends to the buffer (nothing when memory runs out). */
void text_append(struct text_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints a paragraph wrapped at 92 columns: first before its first line, indent before the
 * others. */
void text_print_wrapped(FILE *out, const char *text, const char *first, const char *indent);
/* The same at width columns (first and indent counted as one column a byte). */
void text_print_wrapped_at(FILE *out, const char *text, const char *first, const char *indent,
                           size_t width);

/* What goes before item i of n in "a, b and c": "", ", " or " and ". */
const char *text_list_sep(int i, int n);

/* Seconds with three or four significant digits, "-" when negative. */
void text_seconds(char *buf, size_t len, double s);
/* A ratio as "1.83x", "-" unless positive. */
void text_ratio(char *buf, size_t len, double x);
/* A memory size given in KiB, in KiB, MiB or GiB ("-" when not positive). */
void text_rss(char *buf, size_t len, double kib);

/* A duration scaled to s, ms, us or ns with three significant digits ("-" when negative). */
void text_duration(char *buf, size_t len, double s);
/* A byte count, negative ones too: "85 B" below a KiB, else "4.1 KiB", "472 KiB", "1.5 MiB"
 * (one decimal below 100 of the unit; "-" when not a number). */
void text_bytes(char *buf, size_t len, double bytes);

#endif
