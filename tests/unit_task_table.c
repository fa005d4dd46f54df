/* Compact task records: error texts and step marks survive the trip through the processes
 * runner's pipe and through memory shared with a forked harness, in the sampled tasks and in the
 * failed ones outside the sample; error slots that run out are counted, not overrun. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/params.h"
#include "runners/runner.h"

#define STEPS 3

/* Three blocking steps; every third task (1, 4, 7...) fails in step 1 with its own text. */
static int tt_steps(const void *inst)
{
    (void)inst;
    return STEPS;
}

static enum step_kind tt_kind(const void *inst, int step)
{
    (void)inst;
    (void)step;
    return STEP_COMPUTE;
}

static int tt_block(void *inst, struct task_ctx *t)
{
    (void)inst;
    if (t->step == 1 && t->rec->task % 3 == 1)
        return task_fail(t->env->table, t->rec, -EPROTO, "task %d broke in step %d", t->rec->task,
                         t->step);
    t->rec->digest += 7;
    return 0;
}

static int tt_check(const void *inst, const struct task_record *rec, char *err, size_t errlen)
{
    (void)inst;
    (void)rec;
    (void)err;
    (void)errlen;
    return 0;
}

static const struct workload tt_workload = {
    .name = "tt",
    .summary = "test workload",
    .steps = tt_steps,
    .step_kind = tt_kind,
    .step_block = tt_block,
    .check = tt_check,
};

static int run_model(const char *model, struct task_table *tt, int workers)
{
    static struct param_set opts;
    struct run_ctx ctx = {
        .wl = &tt_workload,
        .tasks = tt->tasks,
        .workers = workers,
        .opts = &opts,
        .env.table = tt,
    };
    const struct runner *r = runner_find(model);

    assert_non_null(r);
    params_clear(&opts);
    return r->run(&ctx);
}

/* Every task ran; failures carry their text; sampled tasks carry ordered step marks. */
static void check_table(const struct task_table *tt)
{
    char want[64];

    for (int i = 0; i < tt->tasks; i++) {
        const struct task_record *r = &tt->records[i];
        const double *marks = task_step_marks(tt, r);

        assert_int_equal(r->task, i);
        assert_true(r->worker >= 0);
        assert_true(r->end_s >= r->start_s && r->start_s > 0);
        if (i % 3 == 1) {
            snprintf(want, sizeof(want), "task %d broke in step 1", i);
            assert_int_equal(r->status, -EPROTO);
            assert_int_equal(r->steps_done, 1);
            assert_string_equal(task_error_text(tt, r), want);
        } else {
            assert_int_equal(r->status, 0);
            assert_int_equal(r->steps_done, STEPS);
            assert_int_equal(r->digest, 7 * STEPS);
            assert_string_equal(task_error_text(tt, r), "");
        }
        if (i % tt->marks_every != 0) {
            assert_null(marks);
            continue;
        }
        assert_non_null(marks);
        for (unsigned k = 0; k < r->steps_done; k++) {
            assert_true(marks[k] >= r->start_s && marks[k] <= r->end_s);
            assert_true(k == 0 || marks[k] >= marks[k - 1]);
        }
    }
}

static void test_pipe_roundtrip(void **state)
{
    (void)state;
    struct task_table *tt = task_table_new(40, 4, 0);

    assert_non_null(tt);
    assert_int_equal(sizeof(struct task_record), 48);
    assert_int_equal(run_model("processes", tt, 0), 0);
    check_table(tt);
    /* Failed tasks outside the sample (1, 7, 10...) took error slots. */
    assert_true(tt->errors_used > 0);

    task_table_reset(tt);
    assert_int_equal(run_model("processes", tt, 3), 0); /* a pool: many tasks per child */
    check_table(tt);
    task_table_free(tt);
}

/* pthreads in a forked child writing into the shared table, as the harness's repetitions do. */
static void test_shared_roundtrip(void **state)
{
    (void)state;
    struct task_table *tt = task_table_new(30, 5, 1);
    int status;
    pid_t pid;

    assert_non_null(tt);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(run_model("pthreads", tt, 0) == 0 ? 0 : 1);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    check_table(tt);
    task_table_free(tt);
}

/* More failed tasks than error slots: the first keep their texts, the rest are counted. */
static void test_error_slots_run_out(void **state)
{
    (void)state;
    int n = TASK_ERROR_SLOTS + 10;
    struct task_table *tt = task_table_new(n, 0, 0);

    assert_non_null(tt);
    for (int i = 0; i < n; i++)
        assert_int_equal(task_fail(tt, &tt->records[i], -EIO, "lost %d", i), -EIO);
    /* First error wins: a second failure of the same task changes nothing. */
    assert_int_equal(task_fail(tt, &tt->records[0], -EPIPE, "second"), -EIO);
    assert_string_equal(task_error_text(tt, &tt->records[0]), "lost 0");
    assert_string_equal(task_error_text(tt, &tt->records[TASK_ERROR_SLOTS - 1]), "lost 4095");
    assert_string_equal(task_error_text(tt, &tt->records[n - 1]), "");
    assert_int_equal(tt->records[n - 1].status, -EIO);
    assert_int_equal(tt->errors_dropped, 10);
    assert_null(task_step_marks(tt, &tt->records[0]));
    task_table_reset(tt);
    assert_int_equal(tt->errors_dropped, 0);
    assert_int_equal(tt->records[5].status, 0);
    assert_string_equal(task_error_text(tt, &tt->records[5]), "");
    task_table_free(tt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pipe_roundtrip),
        cmocka_unit_test(test_shared_roundtrip),
        cmocka_unit_test(test_error_slots_run_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
