#ifndef CONCBENCH_TASK_H
#define CONCBENCH_TASK_H

#include <stddef.h>
#include <stdint.h>

/* What tasks leave behind. Records are plain data with no pointers: they live in memory shared
 * with the harness and cross pipes from forked children, so they must mean the same in any
 * process.
 *
 * Every task has a small record (48 bytes). Error texts and step marks, which most tasks never
 * need, live in a side table of details: a fixed slot for each task the timeline samples (every
 * marks_every-th task: its step marks, and its error if it fails) and, for other tasks, a slot
 * taken on their first failure while slots last. A million sleepers then cost 48 MB of records
 * instead of 216 MB. */

#define TASK_STEP_MARKS  8    /* per-step end times kept for the first steps of a task */
#define TASK_ERROR_LEN   112  /* an error text, NUL included */
#define TASK_ERROR_SLOTS 4096 /* failed tasks (outside the sample) whose error text is kept */
#define TASK_NO_DETAIL   (-1)

struct task_record {
    int32_t task;   /* index 0..N-1 */
    int32_t worker; /* thread, process, coroutine or loop slot that ran it; -1 = never ran */
    int32_t status; /* 0 = ran to the end; else a negative errno-like code */
    uint32_t steps_done;
    int32_t detail; /* slot in the table's details, TASK_NO_DETAIL = none */
    int32_t unused;
    double start_s, end_s; /* CLOCK_MONOTONIC */
    uint64_t digest;       /* workload-defined fingerprint of the result */
};

/* The rarely needed part of a task. A sampled task also keeps each step's CPU time, read on the
 * clock of the thread that ran the step (CLOCK_THREAD_CPUTIME_ID: a forked child's or an mpi
 * rank's own), and how long a step handed to a pool waited there for a worker. */
struct task_detail {
    int32_t task;      /* owner; -1 = slot unused */
    int32_t cpu_timed; /* 1 when step_cpu_s was recorded (a sampled task that began) */
    double step_end_s[TASK_STEP_MARKS]; /* end of step k (k < TASK_STEP_MARKS); sampled only */
    /* CPU seconds of step k; [TASK_STEP_MARKS]: every later step together. A step run
     * asynchronously (a wait on a loop) holds no thread of its own: 0. */
    double step_cpu_s[TASK_STEP_MARKS + 1];
    double step_queued_s[TASK_STEP_MARKS]; /* from being queued for a pool worker to its start */
    char error[TASK_ERROR_LEN];            /* first error, human readable */
    /* In flight, for the step under way (the runner's, never read from another process): when
     * it was queued for a pool worker (0 = not queued), and its end when stamped before a lock
     * was let go or as a pool worker let go of it (0 = at task_step_done). Only sampled tasks
     * keep step times, so only they need these. */
    double queued_at_s, held_end_s;
};

/* One run's records and details, in one mapping (shared with the harness or private). */
struct task_table {
    struct task_record *records; /* tasks entries */
    struct task_detail *details; /* nmarked sampled slots, then nerror_slots error slots */
    int tasks;
    int marks_every; /* tasks with index % marks_every == 0 keep step marks; 0 = none */
    int nmarked;
    int nerror_slots;
    int errors_used;          /* error slots taken (atomic: tasks fail on many threads) */
    long long errors_dropped; /* failed tasks whose text found no slot */
    /* The harness reads the records while the tasks run (a demo draws them as they go): a model
     * whose tasks run on private records also marks each task's start here. */
    int live;
    size_t bytes; /* of the whole mapping */
};

/* Maps a table for tasks records, MAP_SHARED (so forked children write what the parent reads)
 * or private. Returns NULL with errno set. task_table_reset is already done. */
struct task_table *task_table_new(int tasks, int marks_every, int shared);
/* The same without task_table_reset: the records are zero pages nobody has touched, so a fork
 * copies no page-table entries for them. Each record must be set up with task_record_reset by
 * whoever runs the task (processes: its children run on records of their own stacks and use
 * such a table for the details alone). */
struct task_table *task_table_map(int tasks, int marks_every, int shared);
/* Record i as task_table_reset leaves it. */
void task_record_reset(struct task_table *tt, int i);
/* The same for a record kept outside a table (a forked child's, on its stack). */
void task_record_init(struct task_record *rec, int i);
void task_table_free(struct task_table *tt);
/* Back to "nothing ran": records task = i, worker = -1, no details. */
void task_table_reset(struct task_table *tt);

/* The detail slot of rec, or NULL. With create, a failed task outside the sample takes an error
 * slot (NULL when none is left). */
struct task_detail *task_detail_of(struct task_table *tt, struct task_record *rec, int create);
/* Read side: rec's error text ("" when none was kept) and step marks (NULL outside the sample). */
const char *task_error_text(const struct task_table *tt, const struct task_record *rec);
const double *task_step_marks(const struct task_table *tt, const struct task_record *rec);
/* rec's detail when the timeline samples it (its step marks and CPU times), else NULL. */
struct task_detail *task_sampled(const struct task_table *tt, const struct task_record *rec);

/* Records that step `step` of rec ends now (kept for sampled tasks only: the clock is read for
 * them alone). */
void task_mark_step(struct task_table *tt, struct task_record *rec, int step);
/* The same with the time given (when_s > 0), e.g. taken while a lock was still held. */
void task_mark_step_at(struct task_table *tt, struct task_record *rec, int step, double when_s);

/* Stores rec and its detail d (NULL: none), received from another process, in tt. */
void task_table_adopt(struct task_table *tt, const struct task_record *rec,
                      const struct task_detail *d);

/* Fills rec->status and its error text (first error wins) and returns status. */
int task_fail(struct task_table *tt, struct task_record *rec, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
