/* A case whose ranks ran on several hosts (the mpi model's "launch" object) as the timelines
 * show it, from a synthetic results file (no MPI, no namespaces needed): the Gantt marks each
 * task's host with a letter, lists the hosts under the panel and states the uncertainty of the
 * clock alignment; the HTML timeline names the host and states it too; a case on one host says
 * none of it. Each states the start-up (inside the wall time, before the first task). rank_host is
 * read like the rest of the file: a bad one is an error, never a crash, and a host name reaches the
 * terminal escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "rmodel/rmodel.h"
#include "testutil.h"

#define OUT_LEN (256 * 1024)

/* A case of six tasks, task i on rank i, ranks on hosts as in rank_host (nhosts of them). */
static void launched_case(struct rm_file *f, const char *model, int nhosts, const char *first)
{
    struct rm_case *c = synth_case(f, "cpu_bound", model, 1.0, 3, 1);
    struct rm_host hosts[3] = {
        {(char *)first, 2, 0, 0.00002}, {"h2", 2, 0.0125, 0.00005}, {"h3", 2, -0.003, 0.00004}};
    int rank_host[6] = {0, 0, 1, 1, 2, 2};

    if (nhosts == 1) {
        hosts[0].ranks = 6;
        memset(rank_host, 0, sizeof(rank_host));
    }
    c->tasks = 6;
    c->timeline = calloc(6, sizeof(*c->timeline));
    assert_non_null(c->timeline);
    c->ntimeline = 6;
    for (int i = 0; i < 6; i++)
        c->timeline[i] = (struct rm_task){
            .task = i, .worker = i, .start_s = 0.1 * i, .end_s = 0.1 * i + 0.3, .ok = 1};
    rm_launch_add(c, 0.5, hosts, nhosts, rank_host, 6);
}

static void write_file(char *path, size_t len, int nhosts, const char *first)
{
    struct rm_file *f = synth_file("testhost", "abc123");

    launched_case(f, "mpi", nhosts, first);
    synth_write(f, path, len);
}

static char *report(const char *path, const char *a, const char *b, int want_rc)
{
    static char out[OUT_LEN], err[OUT_LEN];
    const char *argv[] = {"report", path, a, b, NULL};
    int rc = run_concbench(argv, 60, out, err, OUT_LEN);

    if (rc != want_rc)
        fail_msg("report %s %s: exit %d (want %d): %s%s", a ? a : "", b ? b : "", rc, want_rc, out,
                 err);
    if (want_rc != 0)
        snprintf(out, sizeof(out), "%s", err);
    return out;
}

static void test_gantt_marks_hosts(void **state)
{
    char path[256];
    const char *out;

    (void)state;
    write_file(path, sizeof(path), 3, "h1");
    out = report(path, "--timeline", "--ascii", 0);
    assert_non_null(strstr(out, "times across hosts aligned to rank 0 within +-0.05 ms"));
    assert_non_null(strstr(out, "0A|")); /* task 0, rank 0, on h1 */
    assert_non_null(strstr(out, "3B|"));
    assert_non_null(strstr(out, "5C|"));
    assert_non_null(strstr(out, "A h1, B h2 (clock +12.5 ms), C h3 (clock -3 ms);"));
    assert_non_null(strstr(out, "6 tasks (start-up 0.50 s)"));
    out = report(path, NULL, NULL, 0); /* the tables: start-up told apart from the wall time */
    assert_non_null(strstr(out, "start-up 0.5000 s median (mpirun to every rank past MPI_Init)"));
    unlink(path);
}

static void test_html_names_hosts(void **state)
{
    char path[256], html[256];
    const char *argv[] = {"report", path, "--html", html, NULL};
    char out[4096], err[4096], *page;

    (void)state;
    write_file(path, sizeof(path), 3, "h1");
    temp_path(html, sizeof(html), ".html");
    assert_int_equal(run_concbench(argv, 60, out, err, sizeof(out)), 0);
    page = read_text_file(html);
    assert_non_null(page);
    assert_non_null(strstr(page, "times across hosts aligned to rank 0 within ±0.05 ms"));
    assert_non_null(strstr(page, "task 2 · w2 @ h2"));
    assert_non_null(strstr(page, "start-up 0.5 s before the first task"));
    free(page);
    unlink(html);
    unlink(path);
}

/* One host: no letters, no hosts line, no alignment note. */
static void test_one_host_says_nothing(void **state)
{
    char path[256];
    const char *out;

    (void)state;
    write_file(path, sizeof(path), 1, "h1");
    out = report(path, "--timeline", "--ascii", 0);
    assert_null(strstr(out, "aligned to rank 0"));
    assert_null(strstr(out, "hosts (the letter"));
    assert_non_null(strstr(out, "  0 |"));
    unlink(path);
}

/* rank_host set to value (JSON text) in the file at path: report names it and exits 1. */
static void expect_bad_rank_host(const char *path, const char *value)
{
    json_t *root = load_json(path), *v = json_loads(value, JSON_DECODE_ANY, NULL);
    json_t *c = json_array_get(json_object_get(root, "cases"), 0);
    const char *out;

    assert_non_null(v);
    json_object_set_new(json_object_get(c, "launch"), "rank_host", v);
    assert_int_equal(json_dump_file(root, path, 0), 0);
    json_decref(root);
    out = report(path, "--timeline", NULL, 1);
    if (strstr(out, "rank_host") == NULL)
        fail_msg("rank_host %s: the error does not name it: %s", value, out);
}

static void test_bad_rank_host_refused(void **state)
{
    char path[256];

    (void)state;
    write_file(path, sizeof(path), 3, "h1");
    expect_bad_rank_host(path, "[0, 3]");   /* only three hosts */
    expect_bad_rank_host(path, "[0, 1.5]"); /* not an index */
    expect_bad_rank_host(path, "[-2]");
    expect_bad_rank_host(path, "\"0,1\"");
    unlink(path);
}

/* A host name with a terminal escape in it reaches the terminal escaped. */
static void test_host_name_escaped(void **state)
{
    char path[256];
    const char *out;

    (void)state;
    write_file(path, sizeof(path), 3, "evil\033[2Jhost");
    out = report(path, "--timeline", "--ascii", 0);
    assert_null(strchr(out, '\033'));
    assert_non_null(strstr(out, "A evil"));
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gantt_marks_hosts),     cmocka_unit_test(test_html_names_hosts),
        cmocka_unit_test(test_one_host_says_nothing), cmocka_unit_test(test_bad_rank_host_refused),
        cmocka_unit_test(test_host_name_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
