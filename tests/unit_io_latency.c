/* io_bound with drawn delays, from the outside: under every model the embedded server honours
 * each request's drawn delay (no request ends sooner than its delay after it began, read from
 * the timeline's step end times). No test asserts a speed. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "rmodel/rmodel.h"
#include "common/latency.h"
#include "runners/runner.h"
#include "testutil.h"
#include "workloads/io_bound.h"

#define RUN_TIMEOUT_S 120
#define TASKS         6
#define REQUESTS      4
#define SEED          11
#define LAT_ALL       "uniform:min=5,max=120"
#define LAT_3         "fixed:ms=150" /* position 3: above the old fixed 100 ms */

static char out_buf[1 << 16], err_buf[1 << 16];

/* Each request of each task in the case's timeline took at least its drawn delay. */
static void check_delays_honoured(json_t *c, const struct latency_dist *dists)
{
    const char *model = json_string_value(json_object_get(c, "label"));
    json_t *t;
    size_t i;

    if (!json_is_true(json_object_get(json_object_get(c, "validation"), "ok")))
        fail_msg("%s: validation failed: %s", model, json_dumps(json_object_get(c, "errors"), 0));
    assert_int_equal(json_array_size(json_object_get(c, "timeline")), TASKS);
    json_array_foreach(json_object_get(c, "timeline"), i, t)
    {
        json_int_t task = json_integer_value(json_object_get(t, "task"));
        json_t *steps = json_object_get(t, "steps_end_s");
        double prev = json_real_value(json_object_get(t, "start_s"));

        assert_int_equal(json_array_size(steps), REQUESTS);
        for (int k = 0; k < REQUESTS; k++) {
            long ms = latency_draw_ms(&dists[k], SEED, (uint64_t)task, (uint64_t)k);
            double end = json_real_value(json_array_get(steps, (size_t)k));
            double recorded =
                json_number_value(json_array_get(json_object_get(t, "delays_ms"), (size_t)k));
            if (recorded != (double)ms)
                fail_msg("%s task %lld request %d: timeline says %g ms, drawn %ld ms", model,
                         (long long)task, k + 1, recorded, ms);
            if (end - prev < ms / 1000.0 - 1e-6)
                fail_msg("%s task %lld request %d: answered after %.4f s, before its drawn "
                         "delay of %ld ms",
                         model, (long long)task, k + 1, end - prev, ms);
            prev = end;
        }
    }
}

/* Every case records the same plan: the distributions, seed, the digest and bounds C computes
 * for it, read back through the results model; efficiency is bound / median. */
static void check_recorded_latency(const char *path, const struct latency_dist *dists)
{
    char err[512], digest[17];
    struct rm_file *f = rm_load(path, err, sizeof err);
    struct io_latency plan = {.seed = SEED, .requests = REQUESTS};
    long long makespan, total;

    if (f == NULL)
        fail_msg("rm_load: %s", err);
    plan.dists = (struct latency_dist *)dists;
    io_latency_bounds(&plan, TASKS, &makespan, &total);
    snprintf(digest, sizeof digest, "%016llx", (unsigned long long)io_latency_digest(&plan, TASKS));
    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        const struct rm_latency *l = c->latency;
        if (l == NULL)
            fail_msg("%s: no latency in the results", c->label);
        assert_int_equal(l->dists.n, REQUESTS);
        assert_string_equal(l->dists.v[0], LAT_ALL);
        assert_string_equal(l->dists.v[2], LAT_3);
        assert_int_equal(l->seed, SEED);
        assert_string_equal(l->digest, digest);
        assert_true(fabs(l->makespan_s - makespan / 1000.0) < 1e-9);
        assert_true(fabs(l->total_s - total / 1000.0) < 1e-9);
        double bound = strcmp(c->model, "sequential") == 0 ? l->total_s : l->makespan_s;
        assert_true(fabs(rm_latency_efficiency(c) - bound / rm_median(c)) < 1e-12);
    }
    rm_free(f);
}

static void test_server_honours_every_drawn_delay(void **state)
{
    (void)state;
    char path[256], tasks[16], seed[32];
    snprintf(tasks, sizeof tasks, "%d", TASKS);
    snprintf(seed, sizeof seed, "seed=%d", SEED);
    temp_path(path, sizeof path, ".json");
    const char *argv[] = {"run",      "-w",
                          "io_bound", "-m",
                          "all",      "-n",
                          tasks,      "-r",
                          "1",        "--warmup",
                          "0",        "-q",
                          "-o",       path,
                          "-p",       "latency=" LAT_ALL,
                          "-p",       "latency.3=" LAT_3,
                          "-p",       seed,
                          "-p",       "bytes=1000",
                          NULL};
    int rc = run_concbench(argv, RUN_TIMEOUT_S, out_buf, err_buf, sizeof out_buf);
    if (rc != 0)
        fail_msg("exit status %d\nstderr: %s", rc, err_buf);

    struct latency_dist all = test_latency(LAT_ALL);
    struct latency_dist dists[REQUESTS] = {all, all, test_latency(LAT_3), all};
    json_t *root = load_json(path), *c;
    size_t i;
    size_t models = 0; /* "all": every model of this build but the launched ones (mpi) */
    for (int k = 0; runners[k] != NULL; k++)
        models += !runners[k]->launched;
    assert_int_equal(json_array_size(json_object_get(root, "cases")), models);
    json_array_foreach(json_object_get(root, "cases"), i, c) check_delays_honoured(c, dists);
    json_decref(root);
    check_recorded_latency(path, dists);
    const char *report[] = {"report", path, NULL};
    if (run_concbench(report, 60, out_buf, err_buf, sizeof out_buf) != 0 ||
        strstr(out_buf, "drawn delays (seed 11, digest ") == NULL ||
        strstr(out_buf, "efficiency") == NULL)
        fail_msg("concbench report does not show the drawn delays' bound:\n%s%s", out_buf, err_buf);
    unlink(path);
}

/* Prepares a plan from -p style parameters (NULL-terminated). */
static void plan_from(struct io_latency *l, int requests, ...)
{
    const struct param_spec *specs = workload_io_bound.params;
    struct param_set set = {0};
    char err[512];
    va_list ap;
    const char *kv;

    va_start(ap, requests);
    while ((kv = va_arg(ap, const char *)) != NULL)
        if (params_add(&set, specs, kv, err, sizeof err) != 0)
            fail_msg("%s: %s", kv, err);
    va_end(ap);
    if (io_latency_prepare(l, &set, specs, requests, 100, err, sizeof err) != 0)
        fail_msg("io_latency_prepare: %s", err);
    params_clear(&set);
}

/* Positions: latency.N over the profile over latency= over the fixed delay_ms; the digest
 * follows the seed; the bounds are the max and the sum of the tasks' sums. */
static void test_plan_positions_digest_bounds(void **state)
{
    (void)state;
    char path[256], kv[300];
    temp_path(path, sizeof path, ".txt");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "# test\nname p3\na fixed:ms=11\nb fixed:ms=12\nc fixed:ms=13\n");
    fclose(f);
    snprintf(kv, sizeof kv, "latency_profile=%s", path);

    struct io_latency fixed, a, b, c, prof;
    plan_from(&fixed, 3, NULL);
    plan_from(&a, 3, "latency=uniform:min=10,max=90", "latency.2=fixed:ms=7", "seed=3", NULL);
    plan_from(&b, 3, "latency=uniform:min=10,max=90", "latency.2=fixed:ms=7", "seed=3", NULL);
    plan_from(&c, 3, "latency=uniform:min=10,max=90", "latency.2=fixed:ms=7", "seed=4", NULL);
    plan_from(&prof, 3, "latency=fixed:ms=1", kv, "latency.3=fixed:ms=5", "latency_scale=2", NULL);
    unlink(path);

    assert_int_equal(fixed.varied, 0);
    assert_int_equal(io_latency_ms(&fixed, 9, 2), 100);
    assert_int_equal(a.varied, 1);
    assert_int_equal(io_latency_ms(&a, 5, 1), 7);
    assert_true(io_latency_digest(&a, 100) == io_latency_digest(&b, 100));
    assert_true(io_latency_digest(&a, 100) != io_latency_digest(&c, 100));
    assert_string_equal(prof.profile, "p3");
    assert_int_equal(io_latency_ms(&prof, 0, 0), 22); /* latency_scale=2 */
    assert_int_equal(io_latency_ms(&prof, 0, 1), 24);
    assert_int_equal(io_latency_ms(&prof, 0, 2), 10);

    long long makespan, total, max = 0, sum = 0;
    io_latency_bounds(&a, 50, &makespan, &total);
    for (uint64_t i = 0; i < 50; i++) {
        long long t = 0;
        for (int k = 0; k < 3; k++)
            t += io_latency_ms(&a, i, k);
        max = t > max ? t : max;
        sum += t;
    }
    assert_int_equal(makespan, max);
    assert_int_equal(total, sum);
    io_latency_free(&fixed);
    io_latency_free(&a);
    io_latency_free(&b);
    io_latency_free(&c);
    io_latency_free(&prof);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_positions_digest_bounds),
        cmocka_unit_test(test_server_honours_every_drawn_delay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
