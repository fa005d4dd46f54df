#ifndef CONCBENCH_SUGGEST_H
#define CONCBENCH_SUGGEST_H

/* "did you mean ...?" for a misspelt name (prefix suggest_): the candidate nearest to a word by
 * edit distance (insertions, deletions, substitutions and swaps of two neighbours, each one
 * edit), offered one at a time so that any list (runners, workloads, commands, options) can be
 * walked without building an array. */

#include <stddef.h>

struct suggest {
    const char *word; /* what was typed */
    const char *best; /* the nearest candidate so far, NULL when none is close */
    int distance;     /* its edit distance */
};

void suggest_init(struct suggest *s, const char *word);
/* Keeps candidate when it is nearer than the best so far and close enough to be a slip: at most
 * 2 edits, and fewer than half the longer name's letters (so "x" does not suggest "sleep"). */
void suggest_offer(struct suggest *s, const char *candidate);
/* "; did you mean NAME?" (prefix before NAME, e.g. "--") into buf, or "" when nothing is close.
 * Returns buf. */
const char *suggest_text(const struct suggest *s, const char *prefix, char *buf, size_t len);

/* The edit distance between a and b (optimal string alignment), capped at 99. */
int suggest_distance(const char *a, const char *b);

#endif
