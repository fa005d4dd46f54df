#ifndef CONCBENCH_TIMELINE_SPLIT_H
#define CONCBENCH_TIMELINE_SPLIT_H

/* Reading a results file without holding its timelines as a JSON tree: a timeline entry as
 * jansson values takes kilobytes, as a struct rm_task under a hundred bytes, and `run --timeline
 * 1000000` writes millions of them. The file is read once, byte by byte (strings and nesting
 * followed, nothing else of JSON); every element of cases[i].timeline is parsed alone and kept as
 * a struct rm_task, and what is left (each of those arrays written as []) is the text jansson
 * parses. Anything this reading does not recognise (a timeline elsewhere) stays in that text and
 * is read the usual way; an escaped key of the root or of a case (which jansson may read as
 * "cases" or "timeline") has the file parsed whole. */

#include <jansson.h>

#include "rmodel/rmodel_read.h"

/* The timelines taken out, by case index. */
struct tl_split {
    struct rm_task **tl;
    int *n, *cap;
    size_t ncases;
    int broken; /* an element that is not JSON, or a lost bracket: parse the file whole */
    int failed; /* an element of a wrong shape: r->err says which */
    char *failed_err;
    long failed_case; /* whose timeline: a later "timeline" of that case replaces it */
};

/* The file's text less its timelines, parsed; NULL when that text is not JSON (the caller then
 * parses the file whole, for its message) or s->broken. Elements are checked with rm_task_load;
 * the first wrong one sets s->failed and keeps its message in s->failed_err. */
json_t *tl_split_load(const char *path, struct tl_split *s);

/* Moves case i's entries to *tl, *n (1 when there were some, 0 otherwise). */
int tl_split_take(struct tl_split *s, long i, struct rm_task **tl, int *n);

void tl_split_free(struct tl_split *s);

#endif
