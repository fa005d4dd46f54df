/* reproduce --latency article --time-scale F: io_bound a second time as io_bound:article, every
 * model drawing the same delays from the article's profile (scaled), recorded in the JSON and
 * shown in the table next to the article. No test asserts a speed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "rmodel/rmodel.h"
#include "testutil.h"

static char out_buf[1 << 16], err_buf[1 << 16];

static void test_article_latency_column(void **state)
{
    (void)state;
    char path[256], err[512];
    temp_path(path, sizeof path, ".json");
    const char *argv[] = {"reproduce", "--target-ms",  "5",    "-r",         "1",  "--warmup",
                          "0",         "--exponent",   "2000", "--delay-ms", "5",  "--latency",
                          "article",   "--time-scale", "0.01", "-o",         path, NULL};
    int rc = run_concbench(argv, 120, out_buf, err_buf, sizeof out_buf);
    if (rc != 0)
        fail_msg("exit status %d\nstdout: %s\nstderr: %s", rc, out_buf, err_buf);
    if (strstr(out_buf, "| io_bound:article") == NULL ||
        strstr(out_buf, "from the latency profile article_003 times 0.01") == NULL ||
        strstr(out_buf, "io_bound:article efficiency") == NULL)
        fail_msg("the table lacks the io_bound:article column or its notes:\n%s", out_buf);

    struct rm_file *f = rm_load(path, err, sizeof err);
    if (f == NULL)
        fail_msg("rm_load: %s", err);
    const char *digest = NULL;
    int n = 0;
    for (int i = 0; i < f->ncases; i++) {
        const struct rm_case *c = &f->cases[i];
        if (strcmp(c->workload, "io_bound:article") != 0)
            continue;
        n++;
        if (c->latency == NULL || !rm_valid(c))
            fail_msg("%s: no latency recorded, or not valid", c->label);
        assert_string_equal(c->latency->profile, "article_003");
        assert_true(c->latency->scale == 0.01);
        assert_int_equal(c->latency->dists.n, 4);
        /* The profile's 715.7 ms times 0.01, its sigma kept, its cap scaled with it. */
        assert_string_equal(c->latency->dists.v[0],
                            "lognormal:median=7.157000000000001,sigma=0.43,floor=0,cap=600");
        if (digest == NULL)
            digest = c->latency->digest;
        assert_string_equal(c->latency->digest, digest); /* the same delays in every model */
        assert_true(rm_latency_efficiency(c) > 0);
    }
    assert_int_equal(n, 5);
    /* The fixed-delay column is still there, every delay 5 ms. */
    const struct rm_case *fixed = rm_find(f, "c", "io_bound", "evloop");
    assert_non_null(fixed);
    assert_non_null(fixed->latency);
    assert_true(fixed->latency->makespan_s == 4 * 0.005);
    rm_free(f);
    unlink(path);
}

/* With --with-python the Python variants of io_bound:article draw the same delays: each of
 * their cases validates, and records the C plan's digest (the script's own digest of what it
 * drew, in its params, must be the same). */
static void test_python_draws_the_article_delays(void **state)
{
    (void)state;
    if (access("/usr/bin/python3", X_OK) != 0)
        skip();
    char path[256], err[512];
    temp_path(path, sizeof path, ".json");
    const char *argv[] = {
        "reproduce",  "--target-ms",   "5",          "-r", "1",         "--warmup", "0",
        "--exponent", "2000",          "--delay-ms", "5",  "--latency", "article",  "--time-scale",
        "0.01",       "--with-python", "-q",         "-o", path,        NULL};
    int rc = run_concbench(argv, 300, out_buf, err_buf, sizeof out_buf);
    if (rc != 0)
        fail_msg("exit status %d\nstderr: %s", rc, err_buf);
    struct rm_file *f = rm_load(path, err, sizeof err);
    if (f == NULL)
        fail_msg("rm_load: %s", err);
    const struct rm_case *c = rm_find(f, "c", "io_bound:article", "sequential");
    const struct rm_case *py = rm_find(f, "python", "io_bound:article", "sequential");
    if (c == NULL || py == NULL || py->latency == NULL)
        fail_msg("no C or Python io_bound:article case with its latency:\n%s", err_buf);
    if (!rm_valid(py))
        fail_msg("python:sequential io_bound:article did not validate");
    assert_string_equal(py->latency->digest, c->latency->digest);
    assert_string_equal(rm_param_str(&py->params, "latency_digest"), c->latency->digest);
    rm_free(f);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_article_latency_column),
        cmocka_unit_test(test_python_draws_the_article_delays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
