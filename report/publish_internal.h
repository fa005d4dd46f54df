#ifndef CONCBENCH_PUBLISH_INTERNAL_H
#define CONCBENCH_PUBLISH_INTERNAL_H

/* Shared by the files of `history publish` (report/publish*.c). */

#include <stdio.h>

#include "analysis/history_site.h"

/* The page of one workload, as publish_workload writes it. */
struct pub_page {
    const struct hsite *site;
    const char *workload;
};

/* outfile_write's writers: index.html (arg: the site), a workload's page (arg: a pub_page). */
int pub_index(FILE *out, void *arg);
int pub_workload(FILE *out, void *arg);

/* The distinct workloads, in the order of their first series (n of them). NULL when out of
 * memory; freed by the caller. */
const char **pub_workloads(const struct hsite *site, int *n);

/* The page and its parts: head with the title (escaped) and the shared style; the end. */
void pub_head(FILE *out, const char *title, const char *subtitle);
void pub_foot(FILE *out);

/* The file name of a workload's page: its name's safe characters and a digest of the whole name
 * ("w-cpu_bound-0123abcd.html"), so a name from a results file never makes a path. */
void pub_page_name(const char *workload, char *buf, size_t len);

/* The anchor number of the case of series i on its workload's page (its order of first
 * appearance among that workload's series). */
int pub_case_index(const struct hsite *site, int i);

/* A machine's colour (the same on every page). */
const char *pub_colour(const struct hsite *site, const char *machine);

/* A series' name in a legend: its machine, and its branch when it has one. */
void pub_series_name(FILE *out, const struct hsite_series *x);

/* The first max bytes of text (cut between UTF-8 characters), escaped. */
void pub_text_cut(FILE *out, const char *text, size_t max);

/* A number with fmt, or "–" when it is NaN. */
void pub_num(FILE *out, const char *fmt, double v);

/* The chart of one case: the n series of indexes at (one key), on one commit axis; number is the
 * case's on its page (it names the chart's clip path). */
void pub_chart(FILE *out, const struct hsite *site, const int *at, int n, int number);

#endif
