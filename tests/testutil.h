#ifndef CONCBENCH_TESTUTIL_H
#define CONCBENCH_TESTUTIL_H

#include <jansson.h>

#include "common/latency.h"
#include <sys/types.h>

/* Helpers for tests that drive the built binary (its path is in CONCBENCH_BIN). */

/* Runs concbench with argv (NULL-terminated, without the program name), killing it after
 * timeout_s. Returns its exit status, 128+signal if it died of a signal, or -1 on timeout.
 * stdout and stderr are captured into out/err (each up to len-1 bytes, NUL-terminated) when
 * those are not NULL. */
int run_concbench(const char *const *argv, int timeout_s, char *out, char *err, size_t len);

/* Starts concbench with argv (as above) without waiting; returns its pid. */
pid_t spawn_concbench(const char *const *argv);

/* A fresh temporary file name under /tmp (the file does not exist). */
void temp_path(char *buf, size_t len, const char *suffix);

/* Loads a JSON file; fails the test if it is not valid JSON. */
json_t *load_json(const char *path);

/* The case of a results document whose label is label; fails the test if absent. */
json_t *find_case(json_t *root, const char *label);

/* Timeline helpers: 1 when the tasks of a case's timeline overlap (max start < min end)... */
int timeline_all_overlap(json_t *case_obj);
/* ... and 1 when no two tasks of it overlap in time. */
int timeline_none_overlap(json_t *case_obj);

/* A latency distribution from its text (a bare "fixed" is 100 ms); fails the test if bad. */
struct latency_dist test_latency(const char *text);

#endif
