/* The runners' traits: what the layers above ask of a model instead of its name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "runners/primitives/primitives.h"
#include "runners/runner.h"

/* The model's options from "key=value" strings (NULL-terminated). */
static void opts_of(const struct runner *r, struct param_set *set, const char *const *kv)
{
    char err[256];

    memset(set, 0, sizeof(*set));
    for (int i = 0; kv[i] != NULL; i++)
        assert_int_equal(params_add(set, r->options, kv[i], err, sizeof(err)), 0);
}

static int parallel(const char *name, const char *const *kv)
{
    const struct runner *r = runner_find(name);
    struct param_set set;
    int p;

    assert_non_null(r);
    if (r->parallel == NULL)
        return 0;
    opts_of(r, &set, kv);
    p = r->parallel(&set);
    params_clear(&set);
    return p;
}

/* One baseline, and it runs its tasks one after another with no pool (copying its file for a
 * new model must not make a second one). */
static void test_one_baseline(void **state)
{
    int n = 0;

    (void)state;
    for (int i = 0; runners[i] != NULL; i++)
        n += runners[i]->baseline;
    assert_int_equal(n, 1);
    assert_non_null(runner_baseline());
    assert_true(runner_baseline()->serial);
    assert_false(runner_baseline()->pool);
    assert_true(runner_is_baseline(runner_baseline_name()));
}

/* A spawning model names primitives that exist, and has a pool to spawn less. */
static void test_spawn_traits(void **state)
{
    (void)state;
    for (int i = 0; runners[i] != NULL; i++) {
        const struct runner *r = runners[i];
        if (r->spawn == NULL)
            continue;
        assert_non_null(r->spawn->unit);
        assert_non_null(prim_find(r->spawn->raw_prim));
        assert_non_null(prim_find(r->spawn->own_prim));
        assert_true(r->pool);
        assert_false(r->serial);
    }
}

/* Parallel given the options: a loop computing inline, or any model under gil=on, is not. */
static void test_parallel_by_options(void **state)
{
    const char *const none[] = {NULL};
    const char *const inl[] = {"compute=inline", NULL};
    const char *const gil[] = {"gil=on", NULL};

    (void)state;
    assert_true(parallel("pthreads", none));
    assert_false(parallel("pthreads", gil));
    assert_true(parallel("processes", none));
    assert_true(parallel("evloop", none));
    assert_false(parallel("evloop", inl));
    assert_false(parallel("evloop", gil));
    assert_false(parallel("green", none));
    assert_false(parallel("sequential", none));
}

/* A results file may name a model this build lacks: it has no trait. */
static void test_unknown_names(void **state)
{
    (void)state;
    assert_false(runner_is_baseline("no_such_model"));
    assert_false(runner_is_serial("no_such_model"));
    assert_false(runner_has_option("no_such_model", "gil"));
    assert_false(runner_is_baseline(NULL));
    assert_true(runner_has_option("pthreads", "gil"));
    assert_false(runner_has_option("processes", "gil"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_baseline),
        cmocka_unit_test(test_spawn_traits),
        cmocka_unit_test(test_parallel_by_options),
        cmocka_unit_test(test_unknown_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
