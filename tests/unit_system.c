/* concbench system, context.system and context.ci in results, run --cpus: the facts are there
 * with values, the pinning is recorded and warned about, bad CPU lists are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "rmodel/rmodel.h"
#include "bench/sysfacts.h"
#include "testutil.h"

#define OUT_LEN 65536

static const char *kv_get(const struct rm_kv *v, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v[i].key, key) == 0)
            return v[i].value;
    return NULL;
}

static void test_system_command(void **state)
{
    static char out[OUT_LEN], err[OUT_LEN];
    const char *argv[] = {"system", NULL}, *bad[] = {"system", "--fix", NULL};
    struct sysfact facts[SYSF_MAX];
    int n = sysf_read(facts);
    (void)state;

    assert_int_equal(run_concbench(argv, 30, out, err, OUT_LEN), 0);
    assert_true(n >= 11);
    for (int i = 0; i < n; i++) {
        assert_true(facts[i].value[0] != '\0' && facts[i].hint[0] != '\0');
        if (strstr(out, facts[i].label) == NULL)
            fail_msg("system does not show '%s':\n%s", facts[i].label, out);
    }
    assert_non_null(strstr(out, "vm.max_map_count"));
    assert_int_equal(run_concbench(bad, 30, out, err, OUT_LEN), 2);
}

/* A pinned run in "CI": config.cpus, the facts and the CI variables in context, the warning on
 * the parallel model (when this machine has two CPUs to lose). */
static void test_pinned_run_context(void **state)
{
    static char out[OUT_LEN], err[OUT_LEN];
    char path[256], msg[1024];
    const char *argv[] = {"run", "-m",     "sequential,pthreads",
                          "-n",  "2",      "-r",
                          "2",   "-p",     "exponent=2000",
                          "-q",  "--cpus", "0",
                          "-o",  path,     NULL};
    struct rm_file *f;
    (void)state;

    temp_path(path, sizeof(path), ".json");
    setenv("GITHUB_SHA", "0123456789abcdef", 1);
    assert_int_equal(run_concbench(argv, 120, out, err, OUT_LEN), 0);
    unsetenv("GITHUB_SHA");
    f = rm_load(path, msg, sizeof(msg));
    if (f == NULL)
        fail_msg("%s", msg);
    assert_string_equal(f->config.cpus, "0");
    assert_non_null(f->context);
    assert_non_null(kv_get(f->context->system, f->context->nsystem, "cpu_governor"));
    assert_non_null(kv_get(f->context->system, f->context->nsystem, "pid_max"));
    assert_string_equal(kv_get(f->context->ci, f->context->nci, "GITHUB_SHA"), "0123456789abcdef");
    /* the harness itself was pinned when the context was read */
    assert_true(
        strncmp(kv_get(f->context->system, f->context->nsystem, "cpus_allowed"), "1 of", 4) == 0);
    if (sysconf(_SC_NPROCESSORS_ONLN) >= 2) {
        assert_int_equal(f->cases[0].warnings.n, 1); /* sequential: only the few-reps one */
        assert_non_null(strstr(f->cases[1].warnings.v[1], "pinned to 1 CPU (--cpus 0)"));
        assert_non_null(strstr(err, "warning: pinned to 1 CPU"));
    }
    rm_free(f);
    unlink(path);
}

static void test_bad_cpu_lists(void **state)
{
    static char out[OUT_LEN], err[OUT_LEN];
    const char *lists[] = {"x", "1-0", "", "-1", "99999", "4096"};
    (void)state;

    for (size_t i = 0; i < sizeof(lists) / sizeof(*lists); i++) {
        const char *argv[] = {"run", "--cpus", lists[i], NULL};
        int rc = run_concbench(argv, 30, out, err, OUT_LEN);
        if (rc != 2 || strstr(err, "--cpus") == NULL)
            fail_msg("--cpus '%s': status %d, %s", lists[i], rc, err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_system_command),
        cmocka_unit_test(test_pinned_run_context),
        cmocka_unit_test(test_bad_cpu_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
