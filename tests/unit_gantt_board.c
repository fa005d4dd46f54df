/* The demo's live board, frame by frame: a recorded sequence of task events (gather's A, B and
 * C under sequential, then under evloop) is written into task records as a model writes them,
 * read back as the harness reads a running repetition (results_progress), and drawn; the frames
 * at fixed times equal the golden ones (tests/golden/board_*.txt; CONCBENCH_UPDATE_GOLDEN=1
 * rewrites them). The layouts: two models fit 80x24, five fit 120x40, fourteen cases of ten
 * tasks do not (the demo then says so). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bench/results.h"
#include "report/gantt.h"
#include "testutil.h"
#include "workloads/task.h"

#define T0     100.0 /* the clock when the run began: records hold absolute times */
#define NTASKS 3

/* A task's life in a case: it starts, its one wait ends (step 0), it ends. */
struct event {
    int model, task, worker;
    double start, end;
};

/* gather at scale 0.5: sequential 0..3 s, then evloop 3..4.5 s. */
static const struct event events[] = {
    {0, 0, 0, 0.0, 1.0}, {0, 1, 0, 1.0, 1.5}, {0, 2, 0, 1.5, 3.0},
    {1, 0, 0, 3.0, 4.0}, {1, 1, 0, 3.0, 3.5}, {1, 2, 0, 3.0, 4.5},
};

static const char *const names[] = {"A", "B", "C"};
static const double planned[] = {1, 0.5, 1.5};

/* Model m's records as they stand at time t. */
static void records_at(struct task_table *tt, int m, double t)
{
    task_table_reset(tt);
    for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
        const struct event *e = &events[i];
        struct task_record *r = &tt->records[e->task];
        if (e->model != m || e->start > t)
            continue;
        r->worker = e->worker;
        r->start_s = T0 + e->start;
        if (e->end <= t) {
            task_mark_step_at(tt, r, 0, T0 + e->end);
            r->steps_done = 1;
            r->end_s = T0 + e->end;
        }
    }
}

static void case_init(struct rm_case *c, const char *label)
{
    memset(c, 0, sizeof(*c));
    c->label = (char *)label;
    c->model = (char *)label;
    c->workload = (char *)"sleep";
    c->tasks = NTASKS;
    c->step_kinds = (char *)"w";
}

static void case_free_timeline(struct rm_case *c)
{
    for (int i = 0; i < c->ntimeline; i++)
        free(c->timeline[i].steps_end_s);
    free(c->timeline);
    c->timeline = NULL;
    c->ntimeline = 0;
}

/* The frame at time t of a run of nmodels models (model m starts at 3 m s), at width x height. */
static char *frame_at(double t, int nmodels, int width, int height, const char *const *labels)
{
    struct gantt_style st = {.width = width, .ascii = 0, .color = 0};
    struct gantt_names nm = {.name = names, .planned_s = planned, .n = NTASKS};
    struct gantt_board bd = {.st = &st, .names = &nm, .tmax = 3.15};
    struct gantt_panel p[8];
    struct rm_case c[8];
    struct task_table *tt = task_table_new(NTASKS, 1, 0);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);

    assert_non_null(tt);
    for (int m = 0; m < nmodels; m++) {
        double start = 3.0 * (m < 2 ? m : 1), end = m == 0 ? 3.0 : start + 1.5;
        case_init(&c[m], labels[m]);
        p[m] = (struct gantt_panel){.c = &c[m], .state = GANTT_TO_COME};
        if (t < start)
            continue;
        records_at(tt, m < 2 ? m : 1, t);
        results_progress(&c[m], tt, 1, NTASKS, T0 + (t < end ? t : end));
        p[m].state = t < end ? GANTT_RUNNING : GANTT_DONE;
        p[m].now_s = (t < end ? t : end) - start;
        c[m].reps_done = t < end ? 0 : 1; /* its wall time once done */
        c[m].fig[RM_WALL].st.median = end - start;
    }
    assert_int_equal(gantt_board_fit(&bd, p, nmodels, height - 2), 0);
    gantt_board_draw(&bd, p, nmodels, out);
    fprintf(out, "%s\n", "running (status line)");
    fclose(out);
    for (int m = 0; m < nmodels; m++)
        case_free_timeline(&c[m]);
    task_table_free(tt);
    return text;
}

/* Columns of a line of UTF-8 (one a character). */
static int columns(const char *s, size_t n)
{
    int cols = 0;

    for (size_t i = 0; i < n; i++)
        cols += ((unsigned char)s[i] & 0xC0) != 0x80;
    return cols;
}

static void assert_fits(const char *text, int width, int height)
{
    int lines = 0;

    for (const char *p = text; *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
        if (columns(p, n) > width)
            fail_msg("a line of %d columns passes %d: %.*s", columns(p, n), width, (int)n, p);
        lines++;
        p += n + (nl != NULL);
    }
    if (lines > height - 1) /* the cursor's line below */
        fail_msg("%d lines do not fit %d rows", lines, height);
}

static void same_as_golden(const char *text, const char *name)
{
    char path[1024], *want;
    FILE *f;

    snprintf(path, sizeof(path), "%s/tests/golden/%s", CONCBENCH_TEST_SOURCE_DIR, name);
    if (getenv("CONCBENCH_UPDATE_GOLDEN") != NULL) {
        f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
        return;
    }
    want = read_text_file(path);
    if (want == NULL)
        fail_msg("no golden %s", path);
    if (strcmp(want, text) != 0)
        fail_msg("the frame differs from %s:\n%s", name, text);
    free(want);
}

static const char *const two[] = {"sequential", "evloop"};
static const char *const five[] = {"sequential", "pthreads", "processes", "green", "evloop"};

/* Frames of a two-model run at 80x24: sequential half way, sequential with C running, evloop
 * running, and the end. */
static void test_frames(void **state)
{
    const double times[] = {0.5, 2.0, 3.7, 5.0};
    char name[64];
    (void)state;

    for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
        char *text = frame_at(times[i], 2, 80, 24, two);
        assert_fits(text, 80, 24);
        snprintf(name, sizeof(name), "board_frame_%zu.txt", i + 1);
        same_as_golden(text, name);
        free(text);
    }
}

/* Five models at 120x40, the end of the run. */
static void test_five_fit_120x40(void **state)
{
    char *text = frame_at(9.0, 5, 120, 40, five);
    (void)state;

    assert_fits(text, 120, 40);
    same_as_golden(text, "board_120x40.txt");
    free(text);
}

/* cpu-vs-io's fourteen cases of ten tasks fit no 120x40 board: the demo draws one at a time. */
static void test_too_many_for_120x40(void **state)
{
    struct gantt_style st = {.width = 120};
    struct gantt_board bd = {.st = &st};
    struct gantt_panel p[14];
    struct rm_case c[14];
    (void)state;

    for (int i = 0; i < 14; i++) {
        case_init(&c[i], "pthreads");
        c[i].tasks = 10;
        p[i] = (struct gantt_panel){.c = &c[i], .state = GANTT_TO_COME};
    }
    assert_int_equal(gantt_board_fit(&bd, p, 14, 38), -1);
    assert_int_equal(gantt_board_fit(&bd, p, 2, 22), 0); /* two of them fit 80x24 */
    assert_int_equal(bd.in_flight, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames),
        cmocka_unit_test(test_five_fit_120x40),
        cmocka_unit_test(test_too_many_for_120x40),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
