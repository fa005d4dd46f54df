#ifndef CONCBENCH_RMODEL_READ_H
#define CONCBENCH_RMODEL_READ_H

/* Typed reads of JSON fields for the results model's loader: each checks the type it reads and,
 * on a wrong one, leaves a message naming the file and the field's path ("r.json: cases[2].
 * wall_s.median: expected a number, got a string") and returns -1. An absent optional field is
 * not an error: the output keeps its default (NULL, NAN or what the caller put there). */

#include <jansson.h>
#include <stddef.h>

#include "rmodel/rmodel.h"

struct tl_split;

struct rmr {
    const char *name; /* the file, as messages call it */
    char *err;
    size_t errlen;
    struct tl_split *split; /* the timelines rm_load read apart (timeline_split.h); or NULL */
    long case_index;        /* the case being read, for split */
};

enum rmr_need { RMR_OPTIONAL, RMR_REQUIRED };

/* Formats the message (prefixed with the file's name and where) and returns -1. */
int rmr_fail(struct rmr *r, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

int rmr_str(struct rmr *r, json_t *o, const char *where, const char *key, enum rmr_need need,
            char **out);
int rmr_int(struct rmr *r, json_t *o, const char *where, const char *key, enum rmr_need need,
            long long *out);
/* A number; null reads as NAN. */
int rmr_num(struct rmr *r, json_t *o, const char *where, const char *key, enum rmr_need need,
            double *out);
int rmr_bool(struct rmr *r, json_t *o, const char *where, const char *key, enum rmr_need need,
             int *out);
/* An array of strings / of numbers (each element checked). */
int rmr_strs(struct rmr *r, json_t *o, const char *where, const char *key, enum rmr_need need,
             struct rm_strs *out);
int rmr_nums(struct rmr *r, json_t *o, const char *where, const char *key, enum rmr_need need,
             double **out, int *n);
/* An object (or, for rmr_array, an array): *out is borrowed, NULL when absent (or null when
 * null_ok). */
int rmr_object(struct rmr *r, json_t *o, const char *where, const char *key, enum rmr_need need,
               json_t **out);
int rmr_array(struct rmr *r, json_t *o, const char *where, const char *key, enum rmr_need need,
              json_t **out);

/* One timeline entry (cases[i].timeline[j]) into *out. */
int rm_task_load(struct rmr *r, json_t *t, const char *where, struct rm_task *out);

/* A case's optional "latency" object into *out (NULL when absent; rmodel/rmodel_latency.c). */
int rm_latency_load(struct rmr *r, json_t *case_doc, const char *where, struct rm_latency **out);
int rm_server_load(struct rmr *r, json_t *case_doc, const char *where, struct rm_server **out);
/* Its optional "launch" object (rmodel/rmodel_launch.c). */
int rm_launch_load(struct rmr *r, json_t *case_doc, const char *where, struct rm_launch **out);

/* The file's optional "sweep" object into *out (NULL when absent; rmodel/rmodel_sweep.c). */
int rm_sweep_load(struct rmr *r, json_t *root, struct rm_sweep **out);

/* The keys of o that are not in known (NULL-terminated), as a new object; NULL when none. */
json_t *rmr_extra(json_t *o, const char *const *known);

/* "where.key" or "where[i]" into buf. */
const char *rmr_path(char *buf, size_t len, const char *where, const char *key);
const char *rmr_index(char *buf, size_t len, const char *where, size_t i);

#endif
