/* cpu_bound: base ** exponent with GMP, the article's 7777 ** 200000, repeated `count` times per
 * task; with target_ms, the count is calibrated before anything is timed so that a task takes
 * about that long (one power takes ~8 ms with GMP, against ~218 ms in the article's Python). One
 * compute step. */
#include <errno.h>
#include <gmp.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/article_sizes.h"
#include "common/hash.h"
#include "workloads/gil.h"
#include "workloads/workload.h"

/* Results above this many bits take minutes per task and gigabytes across tasks; refuse them
 * unless allow_huge=1. 2^28 bits = 32 MiB per result. */
#define CPU_BOUND_MAX_BITS (1LL << 28)

/* Calibration times one power at most this many times, and stops sooner once it has spent
 * CALIB_BUDGET_S of CPU time. It reads the thread's CPU clock, not the wall clock: on a loaded
 * machine a power's wall time includes waiting for a CPU (4x at a load of 12 on 2 CPUs), which
 * would calibrate too few powers; the fastest CPU timing is the power's cost. */
#define CALIB_TIMINGS  7
#define CALIB_BUDGET_S 0.5
/* The default time per task: creating a thread costs ~0.013 ms and forking a process ~0.56 ms per
 * task here at a load of 13 on 2 CPUs (`concbench primitives`, docs/measuring.md): under 5% of
 * 20 ms. */
#define CPU_BOUND_TARGET_MS "20"

static const struct param_spec cpu_bound_params[] = {
    {"base", PARAM_INT, ARTICLE_TEXT(ARTICLE_BASE), 2, 4294967295LL, NULL,
     "the number raised to a power", 0},
    {"exponent", PARAM_INT, ARTICLE_TEXT(ARTICLE_EXPONENT), 1, 4000000000LL, NULL,
     "the power (result has about "
     "exponent*log2(base) bits)",
     0},
    {"allow_huge", PARAM_INT, "0", 0, 1, NULL,
     "1 = accept results over 2^28 bits (minutes per task)", 0},
    {"target_ms", PARAM_INT, CPU_BOUND_TARGET_MS, 0, 600000, NULL,
     "time per task: repeat the power as many times as this takes, calibrated before timing "
     "(0 = one power per task, the article's operation once)",
     0},
    {"count", PARAM_INT, "0", 0, 1000000, NULL,
     "powers per task, fixed (0 = calibrate from target_ms); the same work on every machine", 0},
    {0},
};

struct cpu_bound {
    unsigned long base, exponent;
    uint64_t expected;
    long long count; /* powers per task */
    double target_ms, op_ms;
    int timings;
};

/* base ** exponent by left-to-right square-and-multiply, one GMP multiplication per piece,
 * offering the GIL between pieces as CPython's eval loop checks its eval breaker. */
static void power_in_pieces(mpz_t x, unsigned long base, unsigned long exponent, struct gil *gil)
{
    int top = 63 - __builtin_clzl(exponent);

    mpz_set_ui(x, base);
    for (int bit = top - 1; bit >= 0; bit--) {
        gil_check(gil);
        mpz_mul(x, x, x);
        if (exponent >> bit & 1UL) {
            gil_check(gil);
            mpz_mul_ui(x, x, base);
        }
    }
}

static uint64_t power_digest(unsigned long base, unsigned long exponent, struct gil *gil)
{
    mpz_t x;
    uint64_t h = HASH_FNV1A_INIT;
    size_t bits;

    mpz_init(x);
    if (gil != NULL)
        power_in_pieces(x, base, exponent, gil);
    else
        mpz_ui_pow_ui(x, base, exponent);
    bits = mpz_sizeinbase(x, 2);
    h = hash_fnv1a(h, &bits, sizeof(bits));
    h = hash_fnv1a(h, mpz_limbs_read(x), mpz_size(x) * sizeof(mp_limb_t));
    mpz_clear(x);
    return h;
}

static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The expected digest, and the count: the fastest of a few timed powers against target_ms. */
static void calibrate(struct cpu_bound *cb)
{
    double spent = 0;

    cb->op_ms = 0;
    cb->timings = 0;
    do {
        double t0 = thread_cpu_s(), dt;
        cb->expected = power_digest(cb->base, cb->exponent, NULL);
        dt = thread_cpu_s() - t0;
        spent += dt;
        if (cb->timings++ == 0 || dt * 1e3 < cb->op_ms)
            cb->op_ms = dt * 1e3;
    } while (cb->target_ms > 0 && cb->timings < CALIB_TIMINGS && spent < CALIB_BUDGET_S);
    if (cb->count > 0)
        return;
    cb->count = cb->target_ms > 0 && cb->op_ms > 0 ? llround(cb->target_ms / cb->op_ms) : 1;
    if (cb->count < 1)
        cb->count = 1;
}

static int cpu_bound_prepare(const struct param_set *p, void **instance, char *err, size_t errlen)
{
    struct cpu_bound *cb = calloc(1, sizeof(*cb));
    double bits;

    if (cb == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    cb->base = (unsigned long)params_int(p, cpu_bound_params, "base");
    cb->exponent = (unsigned long)params_int(p, cpu_bound_params, "exponent");
    bits = (double)cb->exponent * log2((double)cb->base);
    if (bits > (double)CPU_BOUND_MAX_BITS && !params_int(p, cpu_bound_params, "allow_huge")) {
        snprintf(err, errlen,
                 "%lu**%lu has about %.0f Mbit; above %lld Mbit a task takes minutes and "
                 "memory grows with every task. Use a smaller exponent (default " ARTICLE_TEXT(
                     ARTICLE_EXPONENT) "), or "
                                       "-p allow_huge=1 if you mean it",
                 cb->base, cb->exponent, bits / 1e6, CPU_BOUND_MAX_BITS / 1000000);
        free(cb);
        return -1;
    }
    cb->count = params_int(p, cpu_bound_params, "count");
    cb->target_ms = cb->count > 0 ? 0 : (double)params_int(p, cpu_bound_params, "target_ms");
    calibrate(cb);
    *instance = cb;
    return 0;
}

static void cpu_bound_release(void *instance)
{
    free(instance);
}

static int cpu_bound_steps(const void *instance)
{
    (void)instance;
    return 1;
}

static enum step_kind cpu_bound_step_kind(const void *instance, int step)
{
    (void)instance;
    (void)step;
    return STEP_COMPUTE;
}

static int cpu_bound_step_block(void *instance, struct task_ctx *t)
{
    const struct cpu_bound *cb = instance;

    /* every power's digest is checked: a wrong one is the task's digest, and its error says which
     */
    for (long long k = 0; k < cb->count; k++) {
        uint64_t d = power_digest(cb->base, cb->exponent, t->env->gil);
        if (k == 0 || d != cb->expected)
            t->rec->digest = d;
        if (d != cb->expected)
            return task_fail(t->env->table, t->rec, -1,
                             "power %lld of %lld: digest %016llx, expected %016llx", k + 1,
                             cb->count, (unsigned long long)d, (unsigned long long)cb->expected);
    }
    return 0;
}

static int cpu_bound_calibration(const void *instance, struct workload_calibration *out)
{
    const struct cpu_bound *cb = instance;

    memset(out, 0, sizeof(*out));
    out->target_ms = cb->target_ms;
    out->count = cb->count;
    out->op_ms = cb->op_ms;
    out->timings = cb->timings;
    if (cb->count == 1)
        snprintf(out->task, sizeof(out->task), "%lu**%lu once", cb->base, cb->exponent);
    else
        snprintf(out->task, sizeof(out->task), "%lu**%lu, %lld times", cb->base, cb->exponent,
                 cb->count);
    return 0;
}

static int cpu_bound_check(const void *instance, const struct task_record *rec, char *err,
                           size_t errlen)
{
    const struct cpu_bound *cb = instance;

    if (rec->digest != cb->expected) {
        snprintf(err, errlen, "task %d: digest %016llx, expected %016llx", rec->task,
                 (unsigned long long)rec->digest, (unsigned long long)cb->expected);
        return -1;
    }
    return 0;
}

const struct workload workload_cpu_bound = {
    .name = "cpu_bound",
    .summary = "GMP base**exponent per task (the article's 7777**200000); pure computation",
    .params = cpu_bound_params,
    .prepare = cpu_bound_prepare,
    .release = cpu_bound_release,
    .steps = cpu_bound_steps,
    .step_kind = cpu_bound_step_kind,
    .step_block = cpu_bound_step_block,
    .check = cpu_bound_check,
    .calibration = cpu_bound_calibration,
};
