/* The task table: small records for every task, details (error texts, step marks) only for the
 * tasks that need them. See task.h. */
#include "workloads/task.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "common/clock.h"
#include "common/fork_path.h"

static size_t align_up(size_t n)
{
    return (n + 63) / 64 * 64;
}

static int marked(const struct task_table *tt, int task)
{
    return tt->marks_every > 0 && task % tt->marks_every == 0;
}

struct task_table *task_table_new(int tasks, int marks_every, int shared)
{
    struct task_table *tt = task_table_map(tasks, marks_every, shared);

    if (tt != NULL)
        task_table_reset(tt);
    return tt;
}

struct task_table *task_table_map(int tasks, int marks_every, int shared)
{
    int nmarked = marks_every > 0 ? (tasks + marks_every - 1) / marks_every : 0;
    int nerr = tasks < TASK_ERROR_SLOTS ? tasks : TASK_ERROR_SLOTS;
    size_t head = align_up(sizeof(struct task_table));
    size_t recs = align_up((size_t)tasks * sizeof(struct task_record));
    size_t bytes = head + recs + (size_t)(nmarked + nerr) * sizeof(struct task_detail);
    struct task_table *tt;
    char *map;

    if (tasks < 0 || marks_every < 0) {
        errno = EINVAL;
        return NULL;
    }
    map = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
               (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED)
        return NULL;
    tt = (struct task_table *)map;
    tt->records = (struct task_record *)(map + head);
    tt->details = (struct task_detail *)(map + head + recs);
    tt->tasks = tasks;
    tt->marks_every = marks_every;
    tt->nmarked = nmarked;
    tt->nerror_slots = nerr;
    tt->bytes = bytes;
    return tt;
}

FORK_PATH void task_record_init(struct task_record *rec, int i)
{
    memset(rec, 0, sizeof(*rec));
    rec->task = i;
    rec->worker = -1;
    rec->detail = TASK_NO_DETAIL;
}

void task_record_reset(struct task_table *tt, int i)
{
    task_record_init(&tt->records[i], i);
}

void task_table_free(struct task_table *tt)
{
    if (tt != NULL)
        munmap(tt, tt->bytes);
}

void task_table_reset(struct task_table *tt)
{
    for (int i = 0; i < tt->tasks; i++)
        task_record_reset(tt, i);
    /* Error slots are cleared when taken; only the sampled ones are read without being taken. */
    memset(tt->details, 0, (size_t)tt->nmarked * sizeof(*tt->details));
    for (int k = 0; k < tt->nmarked; k++)
        tt->details[k].task = k * tt->marks_every;
    tt->errors_used = 0;
    tt->errors_dropped = 0;
}

FORK_PATH struct task_detail *task_detail_of(struct task_table *tt, struct task_record *rec,
                                             int create)
{
    int slot;

    if (rec->detail != TASK_NO_DETAIL)
        return &tt->details[rec->detail];
    if (marked(tt, rec->task)) {
        rec->detail = rec->task / tt->marks_every;
        return &tt->details[rec->detail];
    }
    if (!create)
        return NULL;
    slot = __atomic_fetch_add(&tt->errors_used, 1, __ATOMIC_RELAXED);
    if (slot >= tt->nerror_slots) {
        __atomic_fetch_add(&tt->errors_dropped, 1, __ATOMIC_RELAXED);
        return NULL;
    }
    slot += tt->nmarked;
    memset(&tt->details[slot], 0, sizeof(tt->details[slot]));
    tt->details[slot].task = rec->task;
    rec->detail = slot;
    return &tt->details[slot];
}

const char *task_error_text(const struct task_table *tt, const struct task_record *rec)
{
    if (rec->detail != TASK_NO_DETAIL)
        return tt->details[rec->detail].error;
    if (marked(tt, rec->task))
        return tt->details[rec->task / tt->marks_every].error;
    return "";
}

const double *task_step_marks(const struct task_table *tt, const struct task_record *rec)
{
    return marked(tt, rec->task) ? tt->details[rec->task / tt->marks_every].step_end_s : NULL;
}

FORK_PATH struct task_detail *task_sampled(const struct task_table *tt,
                                           const struct task_record *rec)
{
    return marked(tt, rec->task) ? &tt->details[rec->task / tt->marks_every] : NULL;
}

FORK_PATH void task_mark_step(struct task_table *tt, struct task_record *rec, int step)
{
    task_mark_step_at(tt, rec, step, 0);
}

FORK_PATH void task_mark_step_at(struct task_table *tt, struct task_record *rec, int step,
                                 double when_s)
{
    if (step < TASK_STEP_MARKS && marked(tt, rec->task))
        task_detail_of(tt, rec, 0)->step_end_s[step] = when_s > 0 ? when_s : clock_now_s();
}

void task_table_adopt(struct task_table *tt, const struct task_record *rec,
                      const struct task_detail *d)
{
    struct task_record *mine;
    struct task_detail *slot;

    if (rec->task < 0 || rec->task >= tt->tasks)
        return;
    mine = &tt->records[rec->task];
    *mine = *rec;
    mine->detail = TASK_NO_DETAIL; /* the sender's slot numbers mean nothing here */
    if (d == NULL)
        return;
    slot = task_detail_of(tt, mine, d->error[0] != '\0');
    if (slot != NULL) {
        memcpy(slot->step_end_s, d->step_end_s, sizeof(slot->step_end_s));
        memcpy(slot->step_cpu_s, d->step_cpu_s, sizeof(slot->step_cpu_s));
        memcpy(slot->step_queued_s, d->step_queued_s, sizeof(slot->step_queued_s));
        slot->cpu_timed = d->cpu_timed;
        memcpy(slot->error, d->error, sizeof(slot->error));
        slot->error[TASK_ERROR_LEN - 1] = '\0';
    }
}

int task_fail(struct task_table *tt, struct task_record *rec, int status, const char *fmt, ...)
{
    struct task_detail *d;
    va_list ap;

    if (rec->status == 0) {
        rec->status = status < 0 ? status : -EIO;
        d = task_detail_of(tt, rec, 1);
        if (d != NULL) {
            va_start(ap, fmt);
            vsnprintf(d->error, sizeof(d->error), fmt, ap);
            va_end(ap);
        }
    }
    return rec->status;
}
