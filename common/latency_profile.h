#ifndef CONCBENCH_LATENCY_PROFILE_H
#define CONCBENCH_LATENCY_PROFILE_H

#include <stddef.h>

#include "common/latency.h"

/* A latency profile: one distribution per request position of a task, read from a small text
 * file (untrusted input: bounded in size, line length and count):
 *
 *   # comments and blank lines are skipped
 *   name article_003
 *   google.com    lognormal:median=450,sigma=0.5
 *   yahoo.com     lognormal:median=700,sigma=0.6
 *
 * The first line that is not a comment names the profile; each further line is a label (a word,
 * e.g. the site it stands for) and a distribution in the text form of latency.h. */

#define LATENCY_PROFILE_MAX       1000 /* positions, as io_bound's requests */
#define LATENCY_PROFILE_NAME      64
#define LATENCY_PROFILE_MAX_BYTES (64 * 1024)

struct latency_profile {
    char name[LATENCY_PROFILE_NAME];
    int count;
    struct latency_dist *dists;           /* count entries, position order */
    char (*labels)[LATENCY_PROFILE_NAME]; /* count entries */
};

/* Reads path into p. A bare "fixed" means fixed:ms=fixed_ms. Returns 0, or -1 with a message
 * naming the file and line in err (p is then empty). */
int latency_profile_load(const char *path, long fixed_ms, struct latency_profile *p, char *err,
                         size_t errlen);
void latency_profile_free(struct latency_profile *p);

#endif
