/* processes: fork one child per task (the article's multiprocessing.Process), or a pool of
 * --workers children taking tasks from a counter in shared memory. Children send each finished
 * task's record to the parent over one pipe; the parent reaps them with wait4 and turns a child
 * that crashed or was killed into an error on the tasks it never reported. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/proc_status.h"
#include "runners/runner.h"
#include "common/die_with_parent.h"
#include "common/fork_path.h"

struct processes_child {
    pid_t pid;
    int id;
    int reaped; /* waited for while forking; status holds how it ended */
    int status;
};

/* Children by pid, so that one reaped with waitpid(-1) while the others are still being forked
 * is found in O(1): open addressing over twice as many slots as children. */
struct pid_index {
    int *slot; /* index into kids + 1; 0 = empty */
    size_t mask;
};

/* What the parent keeps about its children, in one shared anonymous mapping. A fork
 * write-protects every private page of the parent for copy-on-write, so a private page written
 * between two forks faults once per fork (perf: two faults a child, the children's array and
 * the pid index); a shared page stays writable, and a fork copies no page-table entry of it
 * into the child, however many children there are. */
struct processes_book {
    struct processes_child *kids;
    struct pid_index ix;
    char *seen; /* tasks whose record came back */
    size_t bytes;
};

static int book_map(struct processes_book *b, int count, int tasks)
{
    size_t kids = (size_t)count * sizeof(*b->kids), slots = 16;
    char *map;

    while (slots < 2 * (size_t)count)
        slots *= 2;
    b->bytes = kids + slots * sizeof(*b->ix.slot) + (size_t)tasks;
    map = mmap(NULL, b->bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) {
        b->kids = NULL;
        return -1;
    }
    b->kids = (struct processes_child *)map;
    b->ix.slot = (int *)(map + kids);
    b->ix.mask = slots - 1;
    b->seen = map + kids + slots * sizeof(*b->ix.slot);
    return 0;
}

static void pid_index_put(struct pid_index *ix, pid_t pid, int k)
{
    size_t h = (size_t)pid * 2654435761u & ix->mask;

    while (ix->slot[h] != 0)
        h = (h + 1) & ix->mask;
    ix->slot[h] = k + 1;
}

static int pid_index_get(const struct pid_index *ix, const struct processes_child *kids, pid_t pid)
{
    size_t h = (size_t)pid * 2654435761u & ix->mask;

    while (ix->slot[h] != 0) {
        /* a reaped child's pid may already belong to a later one */
        if (kids[ix->slot[h] - 1].pid == pid && !kids[ix->slot[h] - 1].reaped)
            return ix->slot[h] - 1;
        h = (h + 1) & ix->mask;
    }
    return -1;
}

/* While forking: waits for every child that has already ended (no zombie piles up for the whole
 * fork loop); how each ended is judged later, once the pipe is read. */
static void reap_finished(struct processes_child *kids, const struct pid_index *ix)
{
    for (;;) {
        siginfo_t info;
        int status, k;

        /* look first (WNOWAIT): a child that is not one of ours is left to whoever started it */
        info.si_pid = 0;
        if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0)
            return;
        k = pid_index_get(ix, kids, info.si_pid);
        if (k < 0 || waitpid(info.si_pid, &status, WNOHANG) != info.si_pid)
            return;
        kids[k].reaped = 1;
        kids[k].status = status;
    }
}

/* One finished task on the pipe: its record, then its detail when it has one. A message is
 * smaller than PIPE_BUF and goes out in one write, so messages from many children never
 * interleave. */
struct processes_msg {
    struct task_record rec;
    struct task_detail detail; /* sent only when rec.detail != TASK_NO_DETAIL */
};

FORK_PATH static void send_task(int fd, struct task_table *tt, struct task_record *rec)
{
    struct processes_msg m;
    const struct task_detail *d = task_detail_of(tt, rec, 0);
    const void *buf = rec;
    size_t len = sizeof(*rec);
    long n;

    if (d != NULL) {
        m.rec = *rec;
        m.detail = *d;
        buf = &m;
        len = sizeof(m);
    }
    do
        n = fork_path_syscall3(SYS_write, fd, (long)buf, (long)len);
    while (n == -EINTR);
    if (n != (long)len)
        _exit(3);
}

/* A child's task starts and ends on CLOCK_MONOTONIC read with the system call itself: through
 * libc and the vDSO, a fresh process's first read touches four pages it has not mapped yet (the
 * PLT entry, libc's wrapper, the vDSO's code and data), ~60 us on a VM against ~8 us for the
 * call (perf, noop tasks). The same clock as clock_now_s, which the steps still use. */
FORK_PATH static double child_clock(void)
{
    struct timespec ts;

    if (fork_path_syscall3(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts, 0) != 0)
        return clock_now_s();
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* When the harness draws the run as it goes (live): task i's start in its shared record, which
 * the child's own record replaces once the task is sent. */
FORK_PATH static void mark_start(struct task_table *live, int i, int worker)
{
    if (live == NULL)
        return;
    live->records[i].worker = worker;
    live->records[i].start_s = clock_now_s();
}

/* In the child: task i on a record of the child's own stack (a page it has written already;
 * one in a table would be a fault of its own), its details in ctx's private table; sent. */
FORK_PATH static void child_task(struct run_ctx *ctx, int fd, int i, int worker,
                                 struct task_table *live)
{
    struct task_record rec;

    task_record_init(&rec, i);
    mark_start(live, i, worker);
    task_run_record(ctx, &rec, worker);
    send_task(fd, ctx->env.table, &rec);
}

/* In the child, which reads ctx in place (a copy would be 6 KiB of stack to fault in): run its
 * task, or tasks from the shared counter, send each one, never return. The pipe's read end stays
 * open: closing it is a call (and a page of libc's code to fault in) that changes nothing, as
 * the parent's end of file waits for the write ends alone and a child whose parent died is
 * killed. */
FORK_PATH static void child_main(struct run_ctx *ctx, int fd, int id, int *next_task,
                                 struct task_table *live, pid_t parent)
{
    die_with_parent(parent);
    if (next_task == NULL) {
        child_task(ctx, fd, id, id, live);
    } else {
        for (;;) {
            int i = __atomic_fetch_add(next_task, 1, __ATOMIC_RELAXED);
            if (i >= ctx->tasks)
                break;
            child_task(ctx, fd, i, id, live);
        }
    }
    _exit(0);
}

/* Reads exactly len bytes; 0 at the end of the pipe (or a torn message), 1 when read. */
static int read_full(int fd, void *buf, size_t len)
{
    size_t have = 0;

    while (have < len) {
        ssize_t n = read(fd, (char *)buf + have, len - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        have += (size_t)n;
    }
    return 1;
}

static void read_tasks(struct run_ctx *ctx, int fd, char *seen)
{
    struct processes_msg m;

    while (read_full(fd, &m.rec, sizeof(m.rec))) {
        int has_detail = m.rec.detail != TASK_NO_DETAIL;
        if (has_detail && !read_full(fd, &m.detail, sizeof(m.detail)))
            break;
        if (m.rec.task < 0 || m.rec.task >= ctx->tasks)
            continue;
        task_table_adopt(ctx->env.table, &m.rec, has_detail ? &m.detail : NULL);
        seen[m.rec.task] = 1;
    }
}

/* Explains how a child ended; empty when it exited normally with status 0. */
static void describe_end(int status, char *buf, size_t len)
{
    buf[0] = '\0';
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        proc_status_text(status, buf, len);
}

/* Waits for one child; when it did not end well, the tasks it took and never reported are
 * lost with it: each gets an error, and so does the case. 0, or -1 when it ended badly. */
static int reap_child(struct run_ctx *ctx, const struct processes_child *kid, int pool, char *seen)
{
    struct rusage ru;
    char how[96];
    int status;

    if (kid->reaped)
        status = kid->status;
    else
        while (wait4(kid->pid, &status, 0, &ru) < 0 && errno == EINTR)
            ;
    describe_end(status, how, sizeof(how));
    if (how[0] == '\0')
        return 0;
    for (int i = 0; i < ctx->tasks; i++) {
        if (seen[i] || (!pool && i != kid->id))
            continue;
        ctx->env.table->records[i].worker = kid->id;
        task_fail(ctx->env.table, &ctx->env.table->records[i], -ECHILD, "process %d %s",
                  (int)kid->pid, how);
        seen[i] = 1;
    }
    if (ctx->error[0] == '\0')
        snprintf(ctx->error, sizeof(ctx->error), "child process %d %s", (int)kid->pid, how);
    return -1;
}

/* The shared task counter of a pool, or NULL. 0, or an errno with ctx->error set. */
static int pool_counter(struct run_ctx *ctx, int count, int **next_task)
{
    int e;

    *next_task = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (*next_task != MAP_FAILED)
        return 0;
    e = errno;

    *next_task = NULL;
    run_limit_error(ctx, "mmap of the shared task counter", e, 0, count);
    return e;
}

/* Forks count children running on ctx (its table the children's private one); returns how many
 * were started, with rc set when a fork failed. A child starts here, after fork: kept out of
 * processes_run, in the hot text. */
FORK_PATH __attribute__((noinline)) static int fork_children(struct run_ctx *ctx,
                                                             struct processes_book *b, int count,
                                                             int fd, int *next_task,
                                                             struct task_table *live, int *rc)
{
    int started = 0;

    for (pid_t parent = getpid(); started < count; started++) {
        pid_t pid = fork();
        if (pid == 0)
            child_main(ctx, fd, started, next_task, live, parent);
        if (pid < 0) {
            *rc = errno;
            run_limit_error(ctx, "fork", *rc, started, count);
            break;
        }
        b->kids[started].pid = pid;
        b->kids[started].id = started;
        pid_index_put(&b->ix, pid, started);
        reap_finished(b->kids, &b->ix);
    }
    return started;
}

static int processes_run(struct run_ctx *ctx)
{
    int pool = ctx->workers > 0;
    int count = pool ? ctx->workers : ctx->tasks;
    struct task_table *shared = ctx->env.table;
    /* Children work on a private copy, so what the parent learns comes through the pipe only.
     * The parent never writes its records: each child sets up its own, so a fork copies no
     * page-table entries for them (they grew with N when the parent reset them all). */
    struct task_table *mine = task_table_map(ctx->tasks, shared->marks_every, 0);
    struct processes_book b;
    int *next_task = NULL;
    int fds[2] = {-1, -1}, started = 0, rc = 0;

    if (book_map(&b, count, ctx->tasks) != 0 || mine == NULL || pipe(fds) != 0) {
        rc = errno ? errno : ENOMEM;
        run_limit_error(ctx, "setting up children", rc, 0, count);
        goto out;
    }
    if (pool && (rc = pool_counter(ctx, count, &next_task)) != 0)
        goto out;
    ctx->env.table = mine; /* what the children run on, read in place */
    ctx->task_clock = child_clock;
    started = fork_children(ctx, &b, count, fds[1], next_task, shared->live ? shared : NULL, &rc);
    ctx->env.table = shared;
    ctx->task_clock = NULL;
    close(fds[1]);
    fds[1] = -1;
    read_tasks(ctx, fds[0], b.seen);

    for (int k = 0; k < started; k++)
        if (reap_child(ctx, &b.kids[k], pool, b.seen) != 0 && rc == 0)
            rc = ECHILD;
out:
    if (fds[0] >= 0)
        close(fds[0]);
    if (fds[1] >= 0)
        close(fds[1]);
    if (next_task != NULL)
        munmap(next_task, sizeof(int));
    if (b.kids != NULL)
        munmap(b.kids, b.bytes);
    task_table_free(mine);
    return -rc;
}

static const struct runner_spawn processes_spawn = {"processes", "fork_spawn", "processes_task"};

const struct runner runner_processes = {
    .name = "processes",
    .summary = "fork one process per task, or a pool of --workers processes; results over a pipe",
    .run = processes_run,
    .pool = 1,
    .compute = RUNNER_COMPUTE_PROCESSES,
    .spawn = &processes_spawn,
    .parallel = runner_parallel_always,
};
