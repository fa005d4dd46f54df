/* Timelines that show waiting for a CPU (rmodel/rmodel_cpu.c, report/gantt.c): running, runnable
 * and queued told apart, and "at once" counting running tasks only. Two recorded fixtures (10
 * pthreads pinned to 2 CPUs; evloop's pool of 3 under 6 blocking and 6 computing tasks) and
 * synthetic timelines; nothing here runs a model or asserts a speed. */
#include <math.h>
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

#define OUT_LEN 262144
/* Densities are sums of floating-point ratios: a sum that should be 2 may read 2 + 1e-12. */
#define EPS 1e-9

static char out[OUT_LEN], err[OUT_LEN];

static void fixture_path(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/tests/fixtures/%s", CONCBENCH_TEST_SOURCE_DIR, name);
}

static struct rm_file *load_fixture(const char *name)
{
    char path[1024], msg[1024];
    struct rm_file *f;

    fixture_path(path, sizeof(path), name);
    f = rm_load(path, msg, sizeof(msg));
    if (f == NULL)
        fail_msg("%s", msg);
    return f;
}

/* Draws the fixture's Gantt in ASCII, 100 columns wide, into out. */
static void draw(const char *name)
{
    char path[1024];
    const char *argv[] = {"report", path, "--timeline", "--ascii", NULL};

    fixture_path(path, sizeof(path), name);
    setenv("COLUMNS", "100", 1);
    if (run_concbench(argv, 120, out, err, OUT_LEN) != 0)
        fail_msg("report %s --timeline failed:\n%s", name, err);
}

/* The most cells of one column, over every panel's task rows, whose glyph is in `glyphs`. */
static int most_per_column(const char *glyphs)
{
    int count[1024] = {0}, most = 0;

    for (const char *line = out; line != NULL && *line != '\0';) {
        const char *nl = strchr(line, '\n'), *bar = strchr(line, '|');
        size_t len = nl != NULL ? (size_t)(nl - line) : strlen(line);
        /* a task row: "   task  wk |cells|"; a new panel's title clears the counts */
        if (len > 0 && line[0] != ' ')
            memset(count, 0, sizeof(count));
        if (bar != NULL && (size_t)(bar - line) < len && strncmp(line, "    running", 11) != 0)
            for (int x = 0; bar + 1 + x < line + len && x < 1024; x++)
                if (bar[1 + x] != '|' && strchr(glyphs, bar[1 + x]) != NULL && ++count[x] > most)
                    most = count[x];
        line = nl != NULL ? nl + 1 : NULL;
    }
    return most;
}

/* Ten threads pinned to two CPUs: at most 2 running at any instant, by the model and drawn. */
static void test_ten_threads_two_cpus(void **state)
{
    struct rm_file *f = load_fixture("timeline_10threads_2cpus.json");
    struct rm_overlap o;
    (void)state;

    assert_int_equal(f->ncases, 1);
    assert_int_equal(f->cases[0].ntimeline, 10);
    rm_timeline_overlap(&f->cases[0], &o);
    assert_true(o.cpu);
    assert_int_equal(o.max_at_once, 10); /* in flight: all of them, as before */
    if (!(o.max_running <= 2 + EPS) || !(o.max_running > 0))
        fail_msg("%.6f running at once on 2 CPUs", o.max_running);
    assert_true(o.overlap <= 2 + EPS);
    rm_free(f);
    draw("timeline_10threads_2cpus.json");
    assert_non_null(strstr(out, "running at once"));
    assert_true(most_per_column("#@") <= 2);
    assert_true(most_per_column(":") > 0); /* the rest of their time: runnable */
}

/* evloop's pool of 3 under 6 tasks: at most 3 hold a worker and at most 3 run; the others are
 * drawn queued. */
static void test_executor_pool_of_three(void **state)
{
    struct rm_file *f = load_fixture("timeline_executor.json");
    (void)state;

    assert_int_equal(f->ncases, 2);
    for (int i = 0; i < f->ncases; i++) {
        struct rm_overlap o;
        rm_timeline_overlap(&f->cases[i], &o);
        assert_true(o.cpu);
        assert_int_equal(o.max_at_once, 6);
        assert_true(o.max_holding <= 3);
        assert_true(o.max_running <= 3 + EPS);
    }
    rm_free(f);
    draw("timeline_executor.json");
    assert_true(most_per_column("#@:") <= 3);
    assert_true(most_per_column(".") >= 3); /* the second wave waited in the queue */
}

/* The trace and the HTML page of the executor fixture: queued slices, a running counter that
 * never passes the pool, and the page's three fills. */
static void test_trace_and_html(void **state)
{
    char src[1024], path[256];
    const char *trace[] = {"trace", src, "-o", path, NULL};
    const char *html[] = {"report", src, "--html", path, NULL};
    json_t *doc, *e;
    size_t i;
    int queued = 0, counters = 0;
    FILE *fp;
    (void)state;

    fixture_path(src, sizeof(src), "timeline_executor.json");
    temp_path(path, sizeof(path), ".json");
    assert_int_equal(run_concbench(trace, 120, out, err, OUT_LEN), 0);
    doc = load_json(path);
    unlink(path);
    json_array_foreach(json_object_get(doc, "traceEvents"), i, e)
    {
        const char *cat = json_string_value(json_object_get(e, "cat"));
        const char *name = json_string_value(json_object_get(e, "name"));
        queued += cat != NULL && strcmp(cat, "queued") == 0;
        if (name != NULL && strcmp(name, "running on a CPU") == 0) {
            counters++;
            assert_true(json_number_value(json_object_get(json_object_get(e, "args"), "tasks")) <=
                        3 + EPS);
        }
    }
    json_decref(doc);
    assert_true(queued >= 6); /* the second waves' waits, and the waits for the loop */
    assert_true(counters > 0);
    temp_path(path, sizeof(path), ".html");
    assert_int_equal(run_concbench(html, 120, out, err, OUT_LEN), 0);
    fp = fopen(path, "r");
    assert_non_null(fp);
    out[fread(out, 1, OUT_LEN - 1, fp)] = '\0';
    fclose(fp);
    unlink(path);
    assert_non_null(strstr(out, "class=\"queued\""));
    assert_non_null(strstr(out, "class=\"runnable\""));
    assert_non_null(strstr(out, "running at once (at most 3 on a worker"));
}

/* A synthetic case: n tasks over [0, wall], each one step of cpu seconds queued q seconds. */
static void synth_tasks(struct rm_case *c, int n, double wall, double cpu, double q)
{
    memset(c, 0, sizeof(*c));
    c->step_kinds = strdup("c");
    c->timeline = calloc((size_t)n, sizeof(*c->timeline));
    c->ntimeline = n;
    for (int i = 0; i < n; i++) {
        struct rm_task *t = &c->timeline[i];
        t->task = i;
        t->worker = i;
        t->start_s = 0;
        t->end_s = wall;
        t->ok = 1;
        t->steps_end_s = calloc(1, sizeof(double));
        t->steps_end_s[0] = wall;
        t->nsteps = 1;
        t->steps_cpu_s = calloc(1, sizeof(double));
        t->steps_cpu_s[0] = cpu;
        t->ncpu = 1;
        if (q > 0) {
            t->steps_queued_s = calloc(1, sizeof(double));
            t->steps_queued_s[0] = q;
            t->nqueued = 1;
        }
    }
}

static void test_densities(void **state)
{
    struct rm_case c;
    struct rm_overlap o;
    double d;
    int step;
    (void)state;

    /* ten tasks of 5 s, each 1 s of CPU: two CPUs busy, ten in flight */
    synth_tasks(&c, 10, 5, 1, 0);
    rm_timeline_overlap(&c, &o);
    assert_true(fabs(o.max_running - 2) < EPS);
    assert_int_equal(o.max_holding, 10);
    assert_true(fabs(o.overlap - 2) < EPS);
    assert_true(fabs(rm_running_at(&c, 2.5) - 2) < EPS);
    assert_int_equal(rm_task_state_at(&c.timeline[0], 2.5, &step, &d), RM_TS_ACTIVE);
    assert_true(fabs(d - 0.2) < EPS);
    rm_case_clear(&c);

    /* queued for 4 s of 5: only the last second holds a worker, at full speed */
    synth_tasks(&c, 3, 5, 1, 4);
    assert_int_equal(rm_task_state_at(&c.timeline[1], 3.9, &step, &d), RM_TS_QUEUED);
    assert_int_equal(rm_task_state_at(&c.timeline[1], 4.5, &step, &d), RM_TS_ACTIVE);
    assert_true(fabs(d - 1) < EPS);
    rm_case_clear(&c);

    /* what a file may hold: CPU beyond the wall, negative or not finite, is clamped */
    synth_tasks(&c, 2, 1, 7, 0);
    c.timeline[1].steps_cpu_s[0] = NAN;
    c.timeline[0].steps_queued_s = calloc(1, sizeof(double));
    c.timeline[0].steps_queued_s[0] = -3;
    c.timeline[0].nqueued = 1;
    rm_timeline_overlap(&c, &o);
    assert_true(fabs(o.max_running - 1) < EPS);
    rm_case_clear(&c);
}

/* Files written before CPU time was recorded draw as before and say so. */
static void test_older_file(void **state)
{
    char path[1024];
    const char *argv[] = {"report", path, "--timeline", "--ascii", NULL};
    (void)state;

    snprintf(path, sizeof(path), "%s/tests/golden/gantt_input.json", CONCBENCH_TEST_SOURCE_DIR);
    setenv("COLUMNS", "100", 1);
    assert_int_equal(run_concbench(argv, 120, out, err, OUT_LEN), 0);
    assert_non_null(strstr(out, "CPU time not recorded"));
    assert_null(strstr(out, "running at once"));
}

/* A wrong type in steps_cpu_s is a clear error naming the field; a dump keeps the figures. */
static void test_load_and_dump(void **state)
{
    char path[256], msg[1024];
    struct rm_file *f = load_fixture("timeline_executor.json"), *g;
    FILE *fp;
    (void)state;

    temp_path(path, sizeof(path), ".json");
    assert_int_equal(rm_write(f, path, msg, sizeof(msg)), 0);
    g = rm_load(path, msg, sizeof(msg));
    assert_non_null(g);
    assert_int_equal(g->cases[1].timeline[4].ncpu, f->cases[1].timeline[4].ncpu);
    assert_true(g->cases[1].timeline[4].steps_cpu_s[0] == f->cases[1].timeline[4].steps_cpu_s[0]);
    assert_int_equal(g->cases[1].timeline[4].nqueued, 1);
    rm_free(g);
    rm_free(f);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("{\"schema_version\": 1, \"cases\": [{\"model\": \"evloop\", \"timeline\": [{\"task\": "
          "0, \"start_s\": 0, \"end_s\": 1, \"steps_cpu_s\": [\"x\"]}]}]}",
          fp);
    fclose(fp);
    assert_null(rm_load(path, msg, sizeof(msg)));
    unlink(path);
    if (strstr(msg, "steps_cpu_s[0]") == NULL)
        fail_msg("the error does not name the field: %s", msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ten_threads_two_cpus), cmocka_unit_test(test_executor_pool_of_three),
        cmocka_unit_test(test_trace_and_html),       cmocka_unit_test(test_densities),
        cmocka_unit_test(test_older_file),           cmocka_unit_test(test_load_and_dump),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
