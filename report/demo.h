#ifndef CONCBENCH_DEMO_H
#define CONCBENCH_DEMO_H

#include <stddef.h>
#include <stdio.h>

#include "report/render.h"
#include "rmodel/rmodel.h"

/* The classroom demos: the articles' examples (shared/seeds/) as scenarios that run real tasks
 * through the harness, and the few sentences that tell, from the measured numbers, what
 * happened next to what the article claims. */

#define DEMO_MAX_PARAMS 8
#define DEMO_MAX_ROWS   8
#define DEMO_MAX_CODE   7

/* The article's Python for a scenario, quoted from its seed file (never copied into the
 * project): the lines first..last of shared/seeds/seed, and what the C demo does for each of
 * its constructs. */
struct demo_code {
    const char *seed;       /* file name in shared/seeds/ */
    int first, last;        /* 1-based, inclusive */
    const char *first_text; /* what line first begins with: the file is the one we know */
    struct {
        const char *python, *c;
    } map[DEMO_MAX_CODE];
};

struct demo_scenario {
    const char *name, *summary;
    const char *workloads; /* -w */
    const char *models;    /* default -m */
    int tasks, workers;    /* -n, -j (0: one per task) */
    int cancel_after_ms;   /* --cancel-after at scale 1 (0: none) */
    /* -p values at scale 1; numbers after ms=, delay_ms= and in plans are scaled */
    const char *params[DEMO_MAX_PARAMS];
    /* The tasks as the article names them, by task number (NULL: by number). */
    const char *rows[DEMO_MAX_ROWS];
    struct demo_code code;
    /* What happened, from the results, next to the article's claim. */
    void (*narrate)(const struct rm_file *f, const struct render_opts *ro, FILE *out);
};

extern const struct demo_scenario demo_scenarios[]; /* ends with a NULL name */
const struct demo_scenario *demo_find(const char *name);

/* Task's planned time at this scale (its sleep, or its plan's steps added up), -1 when the
 * scenario's times are not a plan (cpu-vs-io computes as long as a power takes). */
double demo_planned_s(const struct demo_scenario *s, int task, double scale);

/* The rows' names and planned times of a scenario run with tasks tasks: names and planned
 * arrays of at least DEMO_MAX_ROWS entries. */
void demo_row_names(const struct demo_scenario *s, double scale, const char **names,
                    double *planned, int *n);

/* `demo --code`: the quote, byte for byte but for control characters (term_safe), between
 * marker lines, then the constructs' C counterparts. 0, or -1 with why in err (the seed file not
 * found, or not the one quoted). */
int demo_print_code(const struct demo_scenario *s, int width, FILE *out, char *err, size_t errlen);

/* A -p value with its times multiplied by scale (at least 0 ms). 0, or -1 when out is short. */
int demo_scale_param(const char *param, double scale, char *out, size_t len);

#endif
