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

/* fork() with the child's stderr going to a pipe: in the parent, *fd is the pipe's read end
 * (for child_output_status); in the child (0 returned), stderr is the write end. */
pid_t fork_stderr_piped(int *fd);

/* A forked child's end: reads fd (its stderr) to the end into msg (NUL-terminated, at most
 * len - 1 bytes), closes fd, waits for pid and returns its wait status. */
int child_output_status(pid_t pid, int fd, char *msg, size_t len);

/* A coroutine body (green tests) that overflows its stack for real: recursion of 1 KiB frames,
 * never a tail call; the int at arg would get a result it never reaches. */
void overflow_stack(void *arg);

/* A whole file as a NUL-terminated string (free it); NULL when it cannot be opened. */
char *read_text_file(const char *path);

/* Loads a JSON file; fails the test if it is not valid JSON. */
json_t *load_json(const char *path);

/* The case of a results document whose label is label; fails the test if absent. */
json_t *find_case(json_t *root, const char *label);

/* Timeline helpers: 1 when the tasks of a case's timeline overlap (max start < min end)... */
int timeline_all_overlap(json_t *case_obj);
/* ... and 1 when no two tasks of it overlap in time. */
int timeline_none_overlap(json_t *case_obj);

/* A canned HTTP server on 127.0.0.1 for a client's error paths: a forked process that answers
 * every request (its head read up to the blank line) with exactly the len bytes of reply, then
 * closes the connection (close_after 1), or ends its side only and reads until the client
 * closes (CANNED_HALF_CLOSE: no reset reaches a client that sends again), or keeps it open and
 * waits for the next request (0). Returns its pid and fills *port; canned_server_stop kills it
 * and its connections. */
#define CANNED_HALF_CLOSE 2
pid_t canned_server_start(const char *reply, size_t len, int close_after, int *port);
void canned_server_stop(pid_t pid);

/* A latency distribution from its text (a bare "fixed" is 100 ms); fails the test if bad. */
struct latency_dist test_latency(const char *text);

/* Synthetic results files, built through the model (rmodel/rmodel.h). */
struct rm_file;
struct rm_case;
/* A file with a context (host, commit as given; the rest fixed) and no case. */
struct rm_file *synth_file(const char *host, const char *commit);
/* Appends a C case of workload and model (label = model, 10 tasks) whose wall samples are
 * scale * (1 + 0.002 * ((i * 7) % 11)) for i < n: a spread of 2% in a fixed shuffled order.
 * valid = 0 makes it fail validation with an error. */
struct rm_case *synth_case(struct rm_file *f, const char *workload, const char *model, double scale,
                           int n, int valid);
/* Writes f to a fresh temporary .json file (path into buf) and frees it. */
void synth_write(struct rm_file *f, char *buf, size_t len);
/* The gate's and the dashboard's fixture: run k of host (commit gateNNN, dated k hours after
 * 2026-11-01T00:00:00Z) with cpu_bound sequential at 1 s and pthreads at level s, written to a
 * fresh temporary file (path into buf). */
void synth_level_run(char *buf, size_t len, const char *host, int k, double level);
/* level with ±1% of noise, the same for every k on every run of the tests. */
double synth_noisy(double level, int k);

/* Runs concbench with argv (300 s at most), fails the test unless it exits 0, and loads the
 * results file it wrote at path. */
json_t *run_ok_json(const char *const *argv, const char *path);
/* A case's validation.KEY as an integer (0 when absent). */
long long case_validation_int(json_t *c, const char *key);
/* A case validated with every one of tasks_checked tasks checked, and no error. */
void assert_case_valid(json_t *c, long long tasks_checked);
/* The distinct workers of a case's timeline (at most 64); every one must be below limit. */
int case_workers_seen(json_t *c, int limit);
/* 1 when this build has the uring model and this process may set up an io_uring (the kernel has
 * it, kernel.io_uring_disabled allows it); else 0 with the reason in why. */
int uring_usable(char *why, size_t len);

/* The history tests' backends: SQLite, or with CONCBENCH_TEST_BACKEND=postgresql a throwaway
 * PostgreSQL cluster (tests/pgtmp.sh: initdb into a temporary folder, a Unix socket there, stopped
 * when the test process is gone however it ends). pgtest_start: -1 to go on (SQLite, or the
 * cluster started), else the exit status to return at once (77: skipped, with why printed). */
int pgtest_start(void);
void pgtest_stop(void);
/* 1 when the tests run against PostgreSQL. */
int pgtest_on(void);
/* A new, empty history database: a file path, or a new PostgreSQL database's URL. */
void pgtest_new_db(char *db, size_t len);
void pgtest_drop_db(const char *db);
/* Runs SQL in a database of either backend (psql or sqlite3's API); fails the test if it fails. */
void pgtest_sql(const char *db, const char *sql);

#endif
