#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <linux/io_uring.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "rmodel/rmodel.h"
#include "runners/runner.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void drain(int fd, char *buf, size_t len, size_t *used, int *open_fd)
{
    char scratch[4096];
    ssize_t n = read(fd, scratch, sizeof(scratch));

    if (n <= 0) {
        *open_fd = 0;
        return;
    }
    if (buf != NULL && *used + 1 < len) {
        size_t take = (size_t)n < len - 1 - *used ? (size_t)n : len - 1 - *used;
        memcpy(buf + *used, scratch, take);
        *used += take;
        buf[*used] = '\0';
    }
}

/* execv's argument vector: the binary, then argv. Never returns. */
static void exec_concbench(const char *bin, const char *const *argv)
{
    int argc = 0;
    char **args;

    while (argv[argc] != NULL)
        argc++;
    args = calloc((size_t)argc + 2, sizeof(char *));
    if (args == NULL)
        _exit(127);
    args[0] = (char *)bin;
    for (int i = 0; i < argc; i++)
        args[i + 1] = (char *)argv[i];
    execv(bin, args);
    _exit(127);
}

static const char *concbench_bin(void)
{
    const char *bin = getenv("CONCBENCH_BIN");
    return bin != NULL ? bin : "./concbench";
}

pid_t spawn_concbench(const char *const *argv)
{
    pid_t pid = fork();

    if (pid == 0)
        exec_concbench(concbench_bin(), argv);
    return pid;
}

int run_concbench(const char *const *argv, int timeout_s, char *out, char *err, size_t len)
{
    int po[2], pe[2], status;
    size_t uo = 0, ue = 0;
    int oo = 1, eo = 1;
    double deadline = now_s() + timeout_s;
    pid_t pid;

    if (out)
        out[0] = '\0';
    if (err)
        err[0] = '\0';
    if (pipe(po) != 0 || pipe(pe) != 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close(po[0]);
        close(pe[0]);
        setpgid(0, 0);
        exec_concbench(concbench_bin(), argv);
    }
    close(po[1]);
    close(pe[1]);
    while (oo || eo) {
        struct pollfd p[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
        double left = deadline - now_s();
        if (left <= 0)
            break;
        if (poll(p, 2, (int)(left * 1000) + 1) < 0 && errno != EINTR)
            break;
        if (oo && (p[0].revents & (POLLIN | POLLHUP)))
            drain(po[0], out, len, &uo, &oo);
        if (eo && (p[1].revents & (POLLIN | POLLHUP)))
            drain(pe[0], err, len, &ue, &eo);
    }
    close(po[0]);
    close(pe[0]);
    if (oo || eo) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        return -1;
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

void temp_path(char *buf, size_t len, const char *suffix)
{
    static int counter;
    snprintf(buf, len, "/tmp/concbench-test-%d-%d%s", (int)getpid(), counter++, suffix);
    unlink(buf);
}

static int deep(int n)
{
    volatile char frame[1024];

    frame[0] = (char)n;
    frame[sizeof(frame) - 1] = (char)n;
    return n > 0 ? deep(n - 1) + frame[0] + frame[sizeof(frame) - 1] : 0;
}

void overflow_stack(void *arg)
{
    *(int *)arg = deep(100000);
}

pid_t fork_stderr_piped(int *fd)
{
    int fds[2];
    pid_t pid;

    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], 2);
    } else {
        close(fds[1]);
        *fd = fds[0];
    }
    return pid;
}

int child_output_status(pid_t pid, int fd, char *msg, size_t len)
{
    size_t got = 0;
    ssize_t n;
    int status;

    while (got < len - 1 && (n = read(fd, msg + got, len - 1 - got)) > 0)
        got += (size_t)n;
    msg[got] = '\0';
    close(fd);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

char *read_text_file(const char *path)
{
    FILE *f = fopen(path, "r");
    char *text;
    long n;

    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    text = calloc((size_t)n + 1, 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return text;
}

json_t *load_json(const char *path)
{
    json_error_t e;
    json_t *root = json_load_file(path, 0, &e);

    if (root == NULL)
        fail_msg("%s is not valid JSON: %s (line %d)", path, e.text, e.line);
    return root;
}

json_t *find_case(json_t *root, const char *label)
{
    size_t i;
    json_t *c;

    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "label")), label) == 0)
            return c;
    }
    fail_msg("no case labelled %s in the results", label);
    return NULL;
}

static void timeline_bounds(json_t *c, double *max_start, double *min_end)
{
    size_t i;
    json_t *t;

    *max_start = -1e300;
    *min_end = 1e300;
    json_array_foreach(json_object_get(c, "timeline"), i, t)
    {
        double s = json_real_value(json_object_get(t, "start_s"));
        double e = json_real_value(json_object_get(t, "end_s"));
        if (s > *max_start)
            *max_start = s;
        if (e < *min_end)
            *min_end = e;
    }
}

int timeline_all_overlap(json_t *c)
{
    double max_start, min_end;

    timeline_bounds(c, &max_start, &min_end);
    return json_array_size(json_object_get(c, "timeline")) > 1 && max_start < min_end;
}

int timeline_none_overlap(json_t *c)
{
    json_t *tl = json_object_get(c, "timeline");
    size_t n = json_array_size(tl);

    for (size_t i = 0; i < n; i++) {
        double si = json_real_value(json_object_get(json_array_get(tl, i), "start_s"));
        double ei = json_real_value(json_object_get(json_array_get(tl, i), "end_s"));
        for (size_t j = 0; j < n; j++) {
            double sj = json_real_value(json_object_get(json_array_get(tl, j), "start_s"));
            if (i != j && sj > si && sj < ei)
                return 0;
        }
    }
    return 1;
}

struct latency_dist test_latency(const char *text)
{
    struct latency_dist d;
    char err[256];

    if (latency_parse(text, 100, &d, err, sizeof err) != 0)
        fail_msg("latency_parse(%s): %s", text, err);
    return d;
}

struct rm_file *synth_file(const char *host, const char *commit)
{
    struct rm_file *f = rm_new();

    f->tool = rm_strdup("concbench test");
    f->context = calloc(1, sizeof(*f->context));
    assert_non_null(f->context);
    f->context->date = rm_strdup("2026-12-01T00:00:00Z");
    f->context->host = rm_strdup(host);
    f->context->kernel = rm_strdup("Linux 6.1 x86_64");
    f->context->cpu_model = rm_strdup("Test CPU");
    f->context->compiler = rm_strdup("GNU 12");
    f->context->build_type = rm_strdup("Release");
    f->context->git_commit = rm_strdup(commit);
    f->context->logical_cpus = 2;
    return f;
}

struct rm_case *synth_case(struct rm_file *f, const char *workload, const char *model, double scale,
                           int n, int valid)
{
    struct rm_case *c = rm_case_add(f);
    double s[256];

    assert_non_null(c);
    assert_true(n <= 256);
    c->implementation = rm_strdup("c");
    c->model = rm_strdup(model);
    c->label = rm_strdup(model);
    c->workload = rm_strdup(workload);
    c->tasks = 10;
    c->reps_done = n;
    for (int i = 0; i < n; i++)
        s[i] = scale * (1.0 + 0.002 * ((i * 7) % 11));
    rm_figure_set(&c->fig[RM_WALL], s, n);
    rm_figure_set(&c->fig[RM_USER], s, n);
    for (int i = 0; i < n; i++)
        s[i] = 4096.0 + i;
    rm_figure_set(&c->fig[RM_RSS], s, n);
    c->validation_ok = valid;
    c->tasks_checked = 10;
    c->failures = valid ? 0 : 1;
    c->error_count = valid ? 0 : 1;
    if (!valid)
        rm_strs_note(&c->errors, "task 3: wrong result", 20);
    return c;
}

void synth_write(struct rm_file *f, char *buf, size_t len)
{
    char err[1024];

    temp_path(buf, len, ".json");
    if (rm_write(f, buf, err, sizeof(err)) != 0)
        fail_msg("rm_write: %s", err);
    rm_free(f);
}

void synth_level_run(char *buf, size_t len, const char *host, int k, double level)
{
    char commit[16], date[32];
    struct rm_file *f;

    snprintf(commit, sizeof(commit), "gate%03d", k);
    snprintf(date, sizeof(date), "2026-11-%02dT%02d:00:00Z", 1 + k / 24, k % 24);
    f = synth_file(host, commit);
    free(f->context->date);
    f->context->date = rm_strdup(date);
    synth_case(f, "cpu_bound", "sequential", 1.0, 10, 1);
    synth_case(f, "cpu_bound", "pthreads", level, 10, 1);
    synth_write(f, buf, len);
}

double synth_noisy(double level, int k)
{
    return level * (1.0 + 0.01 * (((k * 37) % 7) - 3) / 3.0);
}

/* One connection of the canned server: request heads in, the canned reply out. */
static void canned_serve(int fd, const char *reply, size_t len, int close_after)
{
    char buf[4096];
    size_t used = 0;
    for (;;) {
        ssize_t n = read(fd, buf + used, sizeof buf - 1 - used);
        if (n <= 0)
            return;
        used += (size_t)n;
        buf[used] = '\0';
        if (strstr(buf, "\r\n\r\n") == NULL) {
            if (used == sizeof buf - 1)
                return;
            continue;
        }
        used = 0;
        for (size_t off = 0; off < len;) {
            ssize_t w = write(fd, reply + off, len - off);
            if (w <= 0)
                return;
            off += (size_t)w;
        }
        if (close_after == CANNED_HALF_CLOSE) {
            shutdown(fd, SHUT_WR);
            while (read(fd, buf, sizeof buf) > 0)
                ;
            return;
        }
        if (close_after)
            return;
    }
}

pid_t canned_server_start(const char *reply, size_t len, int close_after, int *port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(lfd, 512) != 0 ||
        getsockname(lfd, (struct sockaddr *)&a, &alen) != 0)
        fail_msg("canned server: %s", strerror(errno));
    *port = ntohs(a.sin_port);
    pid_t pid = fork();
    if (pid < 0)
        fail_msg("fork: %s", strerror(errno));
    if (pid > 0) {
        close(lfd);
        return pid;
    }
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGCHLD, SIG_IGN); /* connections are reaped by the kernel */
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0)
            continue;
        if (fork() == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            close(lfd);
            canned_serve(fd, reply, len, close_after);
            _exit(0);
        }
        close(fd);
    }
}

void canned_server_stop(pid_t pid)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* Shared by the runner contract tests of the optional models (unit_openmp, unit_uring). */

json_t *run_ok_json(const char *const *argv, const char *path)
{
    char err[8192];
    int rc = run_concbench(argv, 300, NULL, err, sizeof(err));

    if (rc != 0)
        fail_msg("concbench exited with %d: %s", rc, err);
    return load_json(path);
}

long long case_validation_int(json_t *c, const char *key)
{
    return json_integer_value(json_object_get(json_object_get(c, "validation"), key));
}

void assert_case_valid(json_t *c, long long tasks_checked)
{
    assert_true(json_is_true(json_object_get(json_object_get(c, "validation"), "ok")));
    assert_int_equal(case_validation_int(c, "tasks_checked"), tasks_checked);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "errors"), "count")), 0);
}

/* The distinct workers of a case's timeline (at most 64), and whether all are below limit. */
int case_workers_seen(json_t *c, int limit)
{
    int seen[64] = {0}, n = 0;
    size_t k;
    json_t *t;

    json_array_foreach(json_object_get(c, "timeline"), k, t)
    {
        json_int_t w = json_integer_value(json_object_get(t, "worker"));
        assert_true(w >= 0 && w < limit && w < 64);
        n += !seen[w];
        seen[w] = 1;
    }
    return n;
}

int uring_usable(char *why, size_t len)
{
    struct io_uring_params params;
    int fd;

    if (runner_find("uring") == NULL) {
        snprintf(why, len, "uring is not in this build (%s)", runner_missing_why("uring"));
        return 0;
    }
    memset(&params, 0, sizeof(params));
    fd = (int)syscall(__NR_io_uring_setup, 1, &params);
    if (fd < 0) {
        snprintf(why, len, "io_uring_setup: %s", strerror(errno));
        return 0;
    }
    close(fd);
    return 1;
}

/* PostgreSQL: the cluster's folder; "" for SQLite. */
static char pgdir[256];

int pgtest_on(void)
{
    return pgdir[0] != '\0';
}

/* Runs tests/pgtmp.sh with its arguments; its first line of output in line. Its exit status. */
static int pgtmp(char *line, size_t len, const char *a, const char *b, const char *c)
{
    char cmd[1024];
    FILE *p;
    int status;

    snprintf(cmd, sizeof(cmd), "bash '%s/tests/pgtmp.sh' %s '%s' %s", CONCBENCH_TEST_SOURCE_DIR, a,
             b, c ? c : "");
    if ((p = popen(cmd, "r")) == NULL)
        return -1;
    line[0] = '\0';
    if (fgets(line, (int)len, p) != NULL)
        line[strcspn(line, "\n")] = '\0';
    while (fgetc(p) != EOF)
        ;
    status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void pgtest_new_db(char *db, size_t len)
{
    static int count;
    char name[64];

    if (!pgtest_on()) {
        temp_path(db, len, ".sqlite");
        return;
    }
    snprintf(name, sizeof(name), "h%d_%d", (int)getpid(), ++count);
    assert_int_equal(pgtmp(db, len, "createdb", pgdir, name), 0);
    assert_non_null(strstr(db, "postgresql://"));
}

void pgtest_drop_db(const char *db)
{
    if (!pgtest_on())
        unlink(db);
}

void pgtest_stop(void)
{
    char line[512];

    if (pgtest_on())
        pgtmp(line, sizeof(line), "stop", pgdir, NULL);
    pgdir[0] = '\0';
}

int pgtest_start(void)
{
    const char *backend = getenv("CONCBENCH_TEST_BACKEND");
    char line[512], pid[32];
    int rc;

    if (backend == NULL || strcmp(backend, "postgresql") != 0)
        return -1;
#ifndef CONCBENCH_HAVE_LIBPQ
    printf("skipped: this concbench was built without libpq (apt-get install libpq-dev)\n");
    return 77;
#endif
    snprintf(pgdir, sizeof(pgdir), "/tmp/concbench-pg-XXXXXX");
    if (mkdtemp(pgdir) == NULL) {
        perror("mkdtemp");
        pgdir[0] = '\0';
        return 1;
    }
    snprintf(pid, sizeof(pid), "%d", (int)getpid());
    /* the watcher stops the cluster when this process is gone, however it ends */
    rc = pgtmp(line, sizeof(line), "start", pgdir, pid);
    if (rc != 0) {
        printf("%s\n", line);
        rmdir(pgdir);
        pgdir[0] = '\0';
        return rc == 77 ? 77 : 1;
    }
    atexit(pgtest_stop);
    printf("PostgreSQL cluster in %s\n", pgdir);
    return -1;
}

void pgtest_sql(const char *db, const char *sql)
{
    if (pgtest_on()) {
        char cmd[4096];
        snprintf(cmd, sizeof(cmd), "psql -X -q -v ON_ERROR_STOP=1 '%s' -c \"%s\"", db, sql);
        assert_int_equal(system(cmd), 0);
    } else {
        sqlite3 *s;
        char *why = NULL;
        assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
        if (sqlite3_exec(s, sql, NULL, NULL, &why) != SQLITE_OK)
            fail_msg("%s: %s", sql, why ? why : "?");
        sqlite3_close(s);
    }
}
