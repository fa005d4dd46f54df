/* Runs mpirun for the mpi model and takes in what rank 0 prints (runners/mpi_launch.h). mpirun
 * is a child of the repetition's process, in its process group and killed with it; the ranks
 * die with their launcher (PR_SET_PDEATHSIG), so a kill -9 of the harness leaves none. */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/die_with_parent.h"
#include "common/proc_status.h"
#include "runners/mpi_launch.h"
#include "runners/mpi_wire.h"

/* What the launcher learns while mpirun runs. */
struct mpi_seen {
    char line[MPI_LINE_MAX];
    size_t have;
    int overlong;    /* the line under way did not fit: not ours */
    char errs[1024]; /* mpirun's standard error, the start of it */
    size_t nerrs;
    char *task_seen; /* per task: reported */
    int ranks_up, ended;
    double last_up_s; /* the last rank past MPI_Init, on rank 0's clock */
};

/* A host name as it may go into JSON and onto a terminal: letters, digits, '.', '-', '_'. */
static void clean_host(char *name)
{
    for (char *p = name; *p != '\0'; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '-' || *p == '_'))
            *p = '?';
}

/* Each host's offset is that of its rank with the least uncertainty (they share a clock). */
static void took_rank(struct run_ctx *ctx, struct mpi_seen *s, struct mpi_rank_info *r)
{
    struct run_host *hosts = ctx->hosts;
    int h = 0;

    clean_host(r->host);
    while (h < ctx->nhosts && strcmp(hosts[h].name, r->host) != 0)
        h++;
    if (h == ctx->nhosts && ctx->nhosts < RUN_MAX_HOSTS) {
        ctx->nhosts++;
        snprintf(hosts[h].name, sizeof(hosts[h].name), "%s", r->host);
        hosts[h].uncertainty_s = -1;
    }
    if (h < ctx->nhosts) {
        if (r->rank >= 0 && r->rank < RUN_MAX_MAPPED_RANKS)
            ctx->rank_host[r->rank] = (unsigned char)(h + 1);
        hosts[h].ranks++;
        if (hosts[h].uncertainty_s < 0 || r->uncertainty_s < hosts[h].uncertainty_s) {
            hosts[h].offset_s = r->offset_s;
            hosts[h].uncertainty_s = r->uncertainty_s;
        }
    }
    if (s->ranks_up == 0 || r->up_s > s->last_up_s)
        s->last_up_s = r->up_s;
    s->ranks_up++;
}

static void took_line(struct run_ctx *ctx, struct mpi_seen *s)
{
    struct mpi_rank_info r;
    struct task_record rec;
    struct task_detail d;
    int has_detail;

    switch (mpi_wire_parse(s->line, &r, &rec, &d, &has_detail)) {
    case 1:
        took_rank(ctx, s, &r);
        break;
    case 2:
        if (rec.task < 0 || rec.task >= ctx->tasks || rec.worker < 0)
            break;
        task_table_adopt(ctx->env.table, &rec, has_detail ? &d : NULL);
        s->task_seen[rec.task] = 1;
        break;
    case 3:
        s->ended = 1;
        break;
    }
}

/* Splits what came on mpirun's standard output into lines. */
static void took_out(struct run_ctx *ctx, struct mpi_seen *s, const char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == '\n') {
            s->line[s->have] = '\0';
            if (!s->overlong)
                took_line(ctx, s);
            s->have = 0;
            s->overlong = 0;
        } else if (s->have + 1 < sizeof(s->line)) {
            s->line[s->have++] = buf[i];
        } else {
            s->overlong = 1;
        }
    }
}

static void took_err(struct mpi_seen *s, const char *buf, size_t n)
{
    size_t room = sizeof(s->errs) - 1 - s->nerrs;

    if (n > room)
        n = room;
    memcpy(s->errs + s->nerrs, buf, n);
    s->nerrs += n;
    s->errs[s->nerrs] = '\0';
}

/* mpirun's message in one line: its non-empty lines but the boxes' rules, spaces squeezed. */
void mpi_err_summary(const char *errs, char *out, size_t len)
{
    size_t o = 0;
    int space = 0;

    for (const char *p = errs; *p != '\0' && o + 1 < len;) {
        size_t n = strcspn(p, "\n");
        if (strspn(p, "- \t") < n) {
            for (size_t i = 0; i < n && o + 1 < len; i++) {
                int blank = p[i] == ' ' || p[i] == '\t' || (unsigned char)p[i] < 32;
                if (blank && (space || o == 0))
                    continue;
                out[o++] = blank ? ' ' : p[i];
                space = blank;
            }
            if (o > 0 && !space && o + 1 < len)
                out[o++] = ' ', space = 1;
        }
        p += n + (p[n] == '\n');
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
}

/* Reads mpirun's two streams to their end; 1 when the launch timed out (mpirun then killed). */
static int pump(struct run_ctx *ctx, struct mpi_launch *l, struct mpi_seen *s, int out, int err,
                pid_t pid, double t0)
{
    struct pollfd fds[2] = {{out, POLLIN, 0}, {err, POLLIN, 0}};
    char buf[16384];

    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        double left = t0 + l->launch_timeout_s - clock_now_s();
        int wait_ms = s->ranks_up >= l->ranks ? -1 : left > 0 ? (int)(left * 1000) + 1 : 0;
        int n = poll(fds, 2, wait_ms);
        if (n == 0) {
            kill(pid, SIGKILL);
            return 1;
        }
        for (int i = 0; i < 2 && n > 0; i++) {
            ssize_t got;
            if (fds[i].fd < 0 || fds[i].revents == 0)
                continue;
            got = read(fds[i].fd, buf, sizeof(buf));
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0)
                fds[i].fd = -1;
            else if (i == 0)
                took_out(ctx, s, buf, (size_t)got);
            else
                took_err(s, buf, (size_t)got);
        }
    }
    return 0;
}

/* Starts mpirun with its output on two pipes; its pid, or -1 with errno set. */
static pid_t start(struct mpi_launch *l, int out[2], int err[2])
{
    pid_t parent = getpid(), pid;

    if (pipe2(out, O_CLOEXEC) != 0)
        return -1;
    if (pipe2(err, O_CLOEXEC) != 0) {
        close(out[0]), close(out[1]);
        return -1;
    }
    pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDONLY);
        die_with_parent(parent);
        if (null >= 0)
            dup2(null, 0); /* mpirun hands its input to rank 0: there is none */
        dup2(out[1], 1);
        dup2(err[1], 2);
        execvp(l->argv[0], l->argv);
        fprintf(stderr, "cannot run %s: %s\n", l->argv[0], strerror(errno));
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    if (pid < 0) {
        int e = errno;
        close(out[0]), close(err[0]);
        errno = e;
    }
    return pid;
}

/* Why the tasks no rank reported are missing; "" when every one was. */
static void failure_reason(const struct mpi_launch *l, const struct mpi_seen *s, int timed_out,
                           int status, char *why, size_t len)
{
    char how[96], said[150];

    mpi_err_summary(s->errs, said, sizeof(said));
    if (timed_out)
        snprintf(how, sizeof(how),
                 "mpi: %d of %d ranks past MPI_Init after %d s "
                 "(launch_timeout_s=)",
                 s->ranks_up, l->ranks, l->launch_timeout_s);
    else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        snprintf(how, sizeof(how), "mpi: mpirun ended before rank 0 reported every task");
    else {
        char st[64];
        proc_status_text(status, st, sizeof(st));
        snprintf(how, sizeof(how), "mpi: mpirun %s", st);
    }
    snprintf(why, len, "%s%s%s", how, said[0] ? ": " : "", said);
}

/* Every task came back, then mpirun failed (a rank's exit status, say): said, not hidden. */
static void late_failure(struct run_ctx *ctx, const struct mpi_launch *l, const struct mpi_seen *s,
                         int status)
{
    char why[RUN_ERROR_LEN];
    size_t have = strlen(ctx->warning);

    failure_reason(l, s, 0, status, why, sizeof(why));
    snprintf(ctx->warning + have, sizeof(ctx->warning) - have, "%severy task reported, then %s",
             have ? "; " : "", why + strlen("mpi: "));
}

int mpi_launch_run(struct run_ctx *ctx, struct mpi_launch *l)
{
    struct mpi_seen *s = calloc(1, sizeof(*s));
    int out[2], err[2], status = 0, timed_out, missing = 0;
    double t0 = clock_now_s();
    pid_t pid;

    if (s == NULL || (s->task_seen = calloc((size_t)ctx->tasks, 1)) == NULL) {
        free(s);
        return -ENOMEM;
    }
    pid = start(l, out, err);
    if (pid < 0) {
        int e = errno;
        run_limit_error(ctx, "mpi: starting mpirun", e, 0, 1);
        free(s->task_seen), free(s);
        return -e;
    }
    timed_out = pump(ctx, l, s, out[0], err[0], pid, t0);
    close(out[0]);
    close(err[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (s->ranks_up >= l->ranks)
        ctx->startup_s = s->last_up_s - t0;
    for (int i = 0; i < ctx->tasks; i++)
        missing += !s->task_seen[i];
    if (missing > 0 || !s->ended) {
        failure_reason(l, s, timed_out, status, ctx->error, sizeof(ctx->error));
        for (int i = 0; i < ctx->tasks; i++)
            if (!s->task_seen[i]) {
                ctx->env.table->records[i].worker = i % l->ranks;
                task_fail(ctx->env.table, &ctx->env.table->records[i], -ECHILD, "%s", ctx->error);
            }
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        late_failure(ctx, l, s, status);
    free(s->task_seen);
    free(s);
    return missing > 0 ? -ECHILD : 0;
}
