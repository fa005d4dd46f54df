#define _GNU_SOURCE /* strcasestr */
/* concbench compare: the Mann-Whitney U p-values against published values, the verdicts on
 * synthetic results files, and the command's output and exit statuses (bad input too). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "analysis/compare.h"
#include "analysis/mannwhitney.h"
#include "bench/count.h"
#include "testutil.h"

#define OUT_LEN 65536

static const double one_to_ten[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

/* Exact p-values without ties: the classic table (R's wilcox.test gives the same). */
static void test_mw_exact_table(void **state)
{
    const double a4[] = {1, 2, 3, 5}, b4[] = {4, 6, 7, 8};
    const double a5[] = {1, 2, 4, 5, 7}, b5[] = {3, 6, 8, 9, 10};
    (void)state;

    /* 5 + 5, complete separation: 2 / C(10, 5) = 2/252 (R: p-value = 0.007937) */
    assert_float_equal(mw_pvalue(one_to_ten, 5, one_to_ten + 5, 5), 2.0 / 252, 1e-12);
    /* 3 + 3 separated: 2/20 = 0.1, the smallest p 3+3 samples can give */
    assert_float_equal(mw_pvalue(one_to_ten, 3, one_to_ten + 3, 3), 0.1, 1e-12);
    /* 4 + 4, U = 1: P(U <= 1) = 2/70, two-sided 4/70 (R: 0.05714) */
    assert_float_equal(mw_pvalue(a4, 4, b4, 4), 4.0 / 70, 1e-12);
    /* 5 + 5, U = 4: P(U <= 4) = (1+1+2+3+5)/252 = 12/252, two-sided 0.0952 (R: 0.09524) */
    assert_float_equal(mw_pvalue(a5, 5, b5, 5), 24.0 / 252, 1e-12);
    /* the test is symmetric in its two samples */
    assert_float_equal(mw_pvalue(b5, 5, a5, 5), 24.0 / 252, 1e-12);
    /* identical samples: no evidence at all */
    assert_float_equal(mw_pvalue(one_to_ten, 10, one_to_ten, 10), 1.0, 1e-12);
}

/* With ties, the normal approximation with the tie-corrected variance and continuity correction:
 * a = {1,2,2,3}, b = {2,3,4,5}: U = 2.5, ties sum(t^3 - t) = 24 + 6, var = 16/12 (9 - 30/56) =
 * 11.2857, z = (5.5 - 0.5) / 3.3594 = 1.4884, p = 0.1367 (R: wilcox.test(correct=TRUE)). */
static void test_mw_ties(void **state)
{
    const double a[] = {1, 2, 2, 3}, b[] = {2, 3, 4, 5}, c[] = {7, 7, 7}, d[] = {7, 7, 7, 7};
    (void)state;

    assert_float_equal(mw_pvalue(a, 4, b, 4), 0.13666, 1e-4);
    assert_float_equal(mw_pvalue(c, 3, d, 4), 1.0, 1e-12);
}

/* Large samples go to the normal approximation: 60 + 60 separated is far below any alpha. */
static void test_mw_large(void **state)
{
    double a[60], b[60];
    (void)state;

    for (int i = 0; i < 60; i++) {
        a[i] = i;
        b[i] = 100 + i;
    }
    assert_true(mw_pvalue(a, 60, b, 60) < 1e-15);
    assert_float_equal(mw_pvalue(a, 60, a, 60), 1.0, 1e-12);
}

/* From 46,341 samples a side, na * (na + 1) no longer fits an int (issue 24, item 8: UBSan
 * aborted, Release gave a wrong p). Interleaved samples are one distribution: p near 1; one
 * side above the other: p near 0. */
static void test_mw_huge(void **state)
{
    enum { N = 60000 };
    static double a[N], b[N];
    (void)state;

    for (int i = 0; i < N; i++) {
        a[i] = 2.0 * i;
        b[i] = 2.0 * i + 1;
    }
    assert_true(mw_pvalue(a, N, b, N) > 0.9);
    for (int i = 0; i < N; i++)
        b[i] = 1e6 + i;
    assert_true(mw_pvalue(a, N, b, N) < 1e-15);
}

static void test_mw_min_p(void **state)
{
    (void)state;
    assert_float_equal(mw_min_pvalue(3, 3), 0.1, 1e-12);
    assert_float_equal(mw_min_pvalue(4, 4), 2.0 / 70, 1e-12);
    assert_int_equal(mw_reps_needed(0.05), 4);
    assert_int_equal(mw_reps_needed(0.01), 5);
}

/* The verdict of one pair: base at 1 s, head at scale, n repetitions each. */
static const struct cmp_row *verdict_of(struct cmp_result *r, double scale, int nhead,
                                        int head_valid)
{
    struct rm_file *b = synth_file("m", "base"), *h = synth_file("m", "head");
    struct cmp_opts o = {CMP_WALL, 0.05, 5.0};

    synth_case(b, "cpu_bound", "pthreads", 1.0, 10, 1);
    synth_case(h, "cpu_bound", "pthreads", scale, nhead, head_valid);
    assert_int_equal(cmp_run(b, h, &o, r), 0);
    assert_int_equal(r->npaired, 1);
    assert_int_equal(r->warnings.n, 0);
    rm_free(b);
    rm_free(h);
    return &r->rows[0];
}

static void test_verdicts(void **state)
{
    struct cmp_result r;
    const struct cmp_row *row;
    (void)state;

    row = verdict_of(&r, 1.3, 10, 1);
    assert_int_equal(row->verdict, CMP_SLOWER);
    assert_true(row->p < 0.001);
    assert_float_equal(row->ratio, 1.3, 1e-9);
    assert_int_equal(r.nregressions, 1);
    cmp_free(&r);

    row = verdict_of(&r, 0.7, 10, 1);
    assert_int_equal(row->verdict, CMP_FASTER);
    assert_int_equal(r.nregressions, 0);
    cmp_free(&r);

    /* 1% slower with a 2% spread: within the 5% threshold */
    row = verdict_of(&r, 1.01, 10, 1);
    assert_int_equal(row->verdict, CMP_SAME);
    cmp_free(&r);

    /* 10 + 3 samples can reach 0.05 (2 / C(13, 3) = 0.007) */
    row = verdict_of(&r, 1.5, 3, 1);
    assert_int_equal(row->verdict, CMP_SLOWER);
    cmp_free(&r);

    /* a fast but wrong head is a regression */
    row = verdict_of(&r, 0.5, 10, 0);
    assert_int_equal(row->verdict, CMP_BROKEN);
    assert_int_equal(r.nregressions, 1);
    cmp_free(&r);
}

/* 3 + 3 samples can never reach 0.05, however far apart: insufficient, needing 4. */
static void test_insufficient(void **state)
{
    struct rm_file *b = synth_file("m", "base"), *h = synth_file("m", "head");
    struct cmp_opts o = {CMP_WALL, 0.05, 5.0};
    struct cmp_result r;
    (void)state;

    synth_case(b, "sleep", "green", 1.0, 3, 1);
    synth_case(h, "sleep", "green", 2.0, 3, 1);
    assert_int_equal(cmp_run(b, h, &o, &r), 0);
    assert_int_equal(r.rows[0].verdict, CMP_INSUFFICIENT);
    assert_int_equal(r.rows[0].reps_needed, 4);
    assert_int_equal(r.nregressions, 0);
    cmp_free(&r);
    rm_free(b);
    rm_free(h);
}

/* A ratio beyond the threshold whose samples overlap too much for p < alpha: "~". */
static void test_maybe(void **state)
{
    struct rm_file *b = synth_file("m", "base"), *h = synth_file("m", "head");
    struct cmp_opts o = {CMP_WALL, 0.05, 5.0};
    struct cmp_result r;
    const double bs[] = {1, 2, 3, 4, 5, 6}, hs[] = {1.5, 2.5, 3.5, 4.5, 5.5, 7};
    (void)state;

    rm_figure_set(&synth_case(b, "sleep", "green", 1.0, 6, 1)->fig[RM_WALL], bs, 6);
    rm_figure_set(&synth_case(h, "sleep", "green", 1.0, 6, 1)->fig[RM_WALL], hs, 6);
    assert_int_equal(cmp_run(b, h, &o, &r), 0);
    assert_int_equal(r.rows[0].verdict, CMP_MAYBE);
    assert_true(r.rows[0].p >= 0.05);
    assert_string_equal(cmp_verdict_name(CMP_MAYBE), "~");
    cmp_free(&r);
    rm_free(b);
    rm_free(h);
}

/* Two files drawn from the same distribution with a 20% spread (a busy machine), 200 pairs of
 * 10 repetitions each: never "slower"; and the inputs' load and warnings are carried along. */
static void test_noisy_never_slower(void **state)
{
    struct cmp_opts o = {CMP_WALL, 0.05, 5.0};
    unsigned long long x = 12345;
    int slower = 0, noisy = 0;
    (void)state;

    for (int pair = 0; pair < 200; pair++) {
        struct rm_file *b = synth_file("m", "base"), *h = synth_file("m", "head");
        double bs[10], hs[10];
        struct cmp_result r;

        for (int i = 0; i < 10; i++) { /* uniform on [0.65, 1.35]: stddev 20% of the mean */
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            bs[i] = 0.65 + 0.7 * (double)(x >> 11) / 9007199254740992.0;
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            hs[i] = 0.65 + 0.7 * (double)(x >> 11) / 9007199254740992.0;
        }
        rm_figure_set(&synth_case(b, "cpu_bound", "pthreads", 1.0, 10, 1)->fig[RM_WALL], bs, 10);
        rm_figure_set(&synth_case(h, "cpu_bound", "pthreads", 1.0, 10, 1)->fig[RM_WALL], hs, 10);
        b->context->load_avg[0] = 5.4;
        rm_strs_note(&h->cases[0].warnings, "unstable: wall-time stddev is 20% of the mean", 8);
        assert_int_equal(cmp_run(b, h, &o, &r), 0);
        slower += r.rows[0].verdict == CMP_SLOWER;
        noisy += r.rows[0].verdict == CMP_NOISY;
        assert_int_equal(r.nregressions, 0);
        if (pair == 0) {
            int load = 0, warned = 0;
            for (int k = 0; k < r.warnings.n; k++) {
                load |= strstr(r.warnings.v[k], "base ran on a busy machine: load average 5.40") !=
                        NULL;
                warned |= strstr(r.warnings.v[k], "head: 1 of 1 cases carry warnings") != NULL;
            }
            assert_true(load);
            assert_true(warned);
        }
        cmp_free(&r);
        rm_free(b);
        rm_free(h);
    }
    assert_int_equal(slower, 0);
    assert_true(noisy > 0); /* some pairs did pass the test alone: the spread caught them */
    assert_string_equal(cmp_verdict_name(CMP_NOISY), "noisy");
}

/* cpu_bound calibrated to a different count in each file: a warning says the work differs. */
static void test_calibration_differs(void **state)
{
    struct rm_file *b = synth_file("m", "base"), *h = synth_file("m", "head");
    struct cmp_opts o = {CMP_WALL, 0.05, 5.0};
    struct cmp_result r;
    struct rm_case *cb = synth_case(b, "cpu_bound", "pthreads", 1.0, 10, 1);
    struct rm_case *ch = synth_case(h, "cpu_bound", "pthreads", 1.0, 10, 1);
    int found = 0;
    (void)state;

    cb->calibration = calloc(1, sizeof(*cb->calibration));
    ch->calibration = calloc(1, sizeof(*ch->calibration));
    assert_non_null(cb->calibration);
    assert_non_null(ch->calibration);
    cb->calibration->count = 3;
    cb->calibration->task = rm_strdup("7777**200000, 3 times");
    ch->calibration->count = 2;
    ch->calibration->task = rm_strdup("7777**200000, 2 times");
    assert_int_equal(cmp_run(b, h, &o, &r), 0);
    for (int k = 0; k < r.warnings.n; k++)
        found |= strstr(r.warnings.v[k], "different work; give -p count=3") != NULL;
    assert_true(found);
    cmp_free(&r);
    rm_free(b);
    rm_free(h);
}

/* --metric speedup: per-round sequential/model ratios; a pthreads case that lost its speed-up
 * while the whole machine got slower (sequential too) is slower in speedup, not in wall. */
static void test_speedup_metric(void **state)
{
    struct rm_file *b = synth_file("m", "base"), *h = synth_file("other", "head");
    struct cmp_opts o = {CMP_SPEEDUP, 0.05, 5.0};
    struct cmp_result r;
    (void)state;

    synth_case(b, "cpu_bound", "sequential", 1.0, 10, 1);
    synth_case(b, "cpu_bound", "pthreads", 0.5, 10, 1);
    synth_case(b, "cpu_bound", "green", 1.0, 10, 1);
    synth_case(h, "cpu_bound", "sequential", 2.0, 10, 1);
    synth_case(h, "cpu_bound", "pthreads", 2.0, 10, 1);
    synth_case(h, "cpu_bound", "green", 2.0, 10, 1);
    synth_case(h, "sleep", "green", 2.0, 10, 1);
    assert_int_equal(cmp_run(b, h, &o, &r), 0);
    assert_int_equal(r.npaired, 3);
    assert_string_equal(r.rows[1].name, "cpu_bound pthreads");
    assert_float_equal(r.rows[1].base, 2.0, 1e-9);
    assert_float_equal(r.rows[1].head, 1.0, 1e-9);
    assert_int_equal(r.rows[1].verdict, CMP_SLOWER);
    assert_int_equal(r.rows[2].verdict, CMP_SAME);
    assert_int_equal(r.rows[3].verdict, CMP_GEOMEAN);
    assert_float_equal(r.rows[3].ratio, pow(0.5, 1.0 / 3), 1e-9);
    assert_int_equal(r.rows[4].verdict, CMP_ONLY_HEAD);
    assert_true(r.warnings.n >= 1 && strstr(r.warnings.v[0], "host differs") != NULL);
    cmp_free(&r);
    rm_free(b);
    rm_free(h);
}

/* One definition of speed-up: compare --metric speedup's median is rm_speedup, what history
 * stores and report prints, also where the ratio of the medians would differ (rounds whose
 * sequential and model times move together). */
static void test_speedup_one_definition(void **state)
{
    struct rm_file *f = synth_file("m", "base");
    struct rm_case *seq, *thr;
    const double sq[] = {1.0, 2.0, 3.0, 4.0, 5.0}, th[] = {0.5, 1.6, 1.0, 2.0, 2.0};
    struct cmp_opts o = {CMP_SPEEDUP, 0.05, 5.0};
    struct cmp_result r;
    (void)state;

    synth_case(f, "cpu_bound", "sequential", 1.0, 5, 1);
    synth_case(f, "cpu_bound", "pthreads", 1.0, 5, 1);
    seq = &f->cases[0]; /* after both: adding a case may move the array */
    thr = &f->cases[1];
    rm_figure_set(&seq->fig[RM_WALL], sq, 5);
    rm_figure_set(&thr->fig[RM_WALL], th, 5);
    /* per round 2, 1.25, 3, 2, 2.5: median 2; the medians' ratio would be 3 / 1.6 */
    assert_float_equal(rm_speedup(f, thr), 2.0, 1e-12);
    assert_int_equal(cmp_run(f, f, &o, &r), 0);
    assert_string_equal(r.rows[1].name, "cpu_bound pthreads");
    assert_float_equal(r.rows[1].head, rm_speedup(f, thr), 1e-12);
    cmp_free(&r);
    rm_free(f);
}

/* One direction for every metric: + is worse, for wall seconds and for speed-up alike. */
static void test_change_direction(void **state)
{
    (void)state;
    assert_float_equal(cmp_change_pct(cmp_bigger_is_better(CMP_WALL), 1.12), 12.0, 1e-9);
    assert_float_equal(cmp_change_pct(cmp_bigger_is_better(CMP_WALL), 0.92), -8.0, 1e-9);
    /* a speed-up that fell from 2x to 1.6x: the work took a quarter longer */
    assert_float_equal(cmp_change_pct(cmp_bigger_is_better(CMP_SPEEDUP), 0.8), 25.0, 1e-9);
    assert_true(cmp_change_pct(cmp_bigger_is_better(CMP_SPEEDUP), 1.25) < 0);
    assert_true(isnan(cmp_change_pct(0, NAN)) && isnan(cmp_change_pct(0, 0)));
}

/* A reference kernel of n rounds, each taking s seconds (the same machine speed). */
static void synth_kernel(struct rm_file *f, double s, int n)
{
    double v[64];

    f->kernel = calloc(1, sizeof(*f->kernel));
    assert_non_null(f->kernel);
    f->kernel->name = rm_strdup("xorshift64*-chain-v1");
    f->kernel->steps = 5000000;
    for (int i = 0; i < n; i++)
        v[i] = s * (1.0 + 0.001 * (i % 3));
    rm_figure_set(&f->kernel->fig, v, n);
}

/* A uniform 20% slowdown of every model (sequential too) on a machine that ran the kernel as
 * fast: normalized finds it, speedup cannot (every ratio to sequential stays). */
static void test_normalized_uniform_slowdown(void **state)
{
    static const char *const models[] = {"sequential", "pthreads", "green", "evloop"};
    struct rm_file *b = synth_file("m", "base"), *h = synth_file("m", "head");
    struct cmp_opts on = {CMP_NORMALIZED, 0.05, 5.0}, os = {CMP_SPEEDUP, 0.05, 5.0};
    struct cmp_result r;
    (void)state;

    for (int i = 0; i < 4; i++) {
        synth_case(b, "cpu_bound", models[i], 1.0 / (i + 1), 10, 1);
        synth_case(h, "cpu_bound", models[i], 1.2 / (i + 1), 10, 1);
    }
    synth_kernel(b, 0.04, 10);
    synth_kernel(h, 0.04, 10);
    assert_int_equal(cmp_run(b, h, &on, &r), 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(r.rows[i].verdict, CMP_SLOWER);
        assert_float_equal(cmp_change_pct(0, r.rows[i].ratio), 20.0, 1e-6);
    }
    assert_int_equal(r.nregressions, 4);
    cmp_free(&r);
    assert_int_equal(cmp_run(b, h, &os, &r), 0);
    for (int i = 0; i < 4; i++)
        assert_int_equal(r.rows[i].verdict, CMP_SAME);
    assert_int_equal(r.nregressions, 0);
    cmp_free(&r);
    /* the whole machine 20% slower, kernel too: normalized sees no change */
    rm_free(h);
    h = synth_file("m", "head");
    for (int i = 0; i < 4; i++)
        synth_case(h, "cpu_bound", models[i], 1.2 / (i + 1), 10, 1);
    synth_kernel(h, 0.048, 10);
    assert_int_equal(cmp_run(b, h, &on, &r), 0);
    assert_int_equal(r.nregressions, 0);
    cmp_free(&r);
    rm_free(b);
    rm_free(h);
}

/* compare BASE HEAD through the binary: out and err captured; the exit status. */
static int compare_cli(const char *a, const char *b, const char *o1, const char *o2, char *out,
                       char *err)
{
    const char *argv[] = {"compare", a, b, o1, o2, NULL};
    return run_concbench(argv, 60, out, err, OUT_LEN);
}

/* run --count instructions twice on the same single-thread case: the counts differ by under
 * 1%, and compare --metric instructions calls them the same. Skipped where valgrind cannot run
 * (absent, or an ASan/TSan build). */
static void test_instructions_deterministic(void **state)
{
    char a[256], b[256], out[OUT_LEN], err[OUT_LEN], msg[1024];
    long long n[2];
    (void)state;

    if (count_unavailable() != NULL) {
        fprintf(stderr, "skipped: instructions cannot be counted here: %s\n", count_unavailable());
        skip();
    }
    temp_path(a, sizeof(a), ".json");
    temp_path(b, sizeof(b), ".json");
    for (int i = 0; i < 2; i++) {
        const char *argv[] = {"run",
                              "-w",
                              "cpu_bound",
                              "-m",
                              "sequential,green,pthreads",
                              "-n",
                              "4",
                              "-r",
                              "1",
                              "--warmup",
                              "0",
                              "-p",
                              "exponent=20000",
                              "-p",
                              "count=1",
                              "--count",
                              "instructions",
                              "-q",
                              "-o",
                              i ? b : a,
                              NULL};
        struct rm_file *f;
        assert_int_equal(run_concbench(argv, 600, out, err, OUT_LEN), 0);
        f = rm_load(i ? b : a, msg, sizeof(msg));
        assert_non_null(f);
        n[i] = f->cases[0].instructions;
        assert_true(n[i] > 0);
        assert_true(f->cases[1].instructions > 0);      /* green: coroutines on one thread */
        assert_int_equal(f->cases[2].instructions, -1); /* pthreads: not single-thread */
        rm_free(f);
    }
    assert_true(fabs((double)n[1] / (double)n[0] - 1.0) < 0.01);
    assert_int_equal(compare_cli(a, b, "--metric", "instructions", out, err), 0);
    assert_non_null(strstr(out, "same"));
    assert_null(strstr(out, "slower"));
    unlink(a);
    unlink(b);
}

static void test_cli_exit_codes(void **state)
{
    char base[256], slow[256], fast[256], out[OUT_LEN], err[OUT_LEN];
    struct rm_file *b = synth_file("m", "base"), *s = synth_file("m", "slow"),
                   *f = synth_file("m", "fast");
    (void)state;

    for (int i = 0; i < 12; i++) {
        const char *w = (const char *[]){"cpu_bound", "sleep", "io_bound"}[i / 4];
        const char *m = (const char *[]){"sequential", "pthreads", "green", "evloop"}[i % 4];
        synth_case(b, w, m, 1.0, 10, 1);
        synth_case(s, w, m, i == 1 ? 1.5 : 1.0, 10, 1);
        synth_case(f, w, m, 0.5, 10, 1);
    }
    synth_write(b, base, sizeof(base));
    synth_write(s, slow, sizeof(slow));
    synth_write(f, fast, sizeof(fast));
    assert_int_equal(compare_cli(base, fast, NULL, NULL, out, err), 0);
    assert_non_null(strstr(out, "faster"));
    assert_non_null(strstr(out, "-50.0% (better)"));
    assert_int_equal(compare_cli(base, slow, NULL, NULL, out, err), 3);
    assert_non_null(strstr(out, "slower"));
    assert_non_null(strstr(out, "+50.0% (worse)"));
    /* the same direction in speed-up: pthreads lost a third of its speed-up */
    assert_int_equal(compare_cli(base, slow, "--metric", "speedup", out, err), 3);
    assert_non_null(strstr(out, "+50.0% (worse)"));
    assert_int_equal(compare_cli(base, fast, "--format", "json", out, err), 0);
    assert_non_null(strstr(out, "\"direction\": \"better\""));
    assert_int_equal(compare_cli(base, slow, "--fail-on", "none", out, err), 0);
    assert_int_equal(compare_cli(base, slow, "--format", "markdown", out, err), 3);
    assert_non_null(strstr(out, "| case | base | head | change | p | verdict |"));
    assert_non_null(strstr(out, "<details>")); /* 12 cases + 3 geomeans */
    assert_non_null(strstr(out, "**slower**"));
    assert_non_null(strstr(out, "base base on m"));
    assert_int_equal(compare_cli(base, slow, "--format", "json", out, err), 3);
    assert_non_null(strstr(out, "\"regressions\": 1"));
    assert_int_equal(compare_cli(base, slow, "--metric", "nope", out, err), 2);
    assert_non_null(strstr(err, "wall|speedup|user|rss|normalized"));
    /* files without the reference kernel's timings: a message, not a table of "no data" */
    assert_int_equal(compare_cli(base, slow, "--metric", "normalized", out, err), 1);
    assert_non_null(strstr(err, "has no reference_kernel timings"));
    assert_int_equal(compare_cli(base, slow, "--alpha", "2", out, err), 2);
    assert_int_equal(compare_cli(base, NULL, NULL, NULL, out, err), 2);
    unlink(base);
    unlink(slow);
    unlink(fast);
}

/* Each malformed file: exit 1 and a message that names the problem. */
static void test_cli_bad_input(void **state)
{
    static const struct {
        const char *text, *message;
    } cases[] = {
        {"{\"schema_version\": 1, \"cases\": [", "JSON"},
        {"", "empty"},
        {"{\"schema_version\": 99, \"cases\": []}", "schema"},
        {"{\"schema_version\": 1, \"cases\": [{\"workload\": 5}]}", "workload"},
        {"[1, 2]", "object"},
    };
    char good[256], bad[256], out[OUT_LEN], err[OUT_LEN];
    struct rm_file *g = synth_file("m", "base"), *other = synth_file("m", "x");
    (void)state;

    synth_case(g, "cpu_bound", "sequential", 1.0, 10, 1);
    synth_write(g, good, sizeof(good));
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        FILE *fp;
        temp_path(bad, sizeof(bad), ".json");
        fp = fopen(bad, "w");
        fputs(cases[i].text, fp);
        fclose(fp);
        assert_int_equal(compare_cli(good, bad, NULL, NULL, out, err), 1);
        if (strcasestr(err, cases[i].message) == NULL)
            fail_msg("'%s': wanted a message with '%s', got: %s", cases[i].text, cases[i].message,
                     err);
        unlink(bad);
    }
    assert_int_equal(compare_cli(good, "/tmp", NULL, NULL, out, err), 1);
    assert_non_null(strstr(err, "folder"));
    assert_int_equal(compare_cli("/nonexistent.json", good, NULL, NULL, out, err), 1);
    /* nothing to pair */
    synth_case(other, "sleep", "green", 1.0, 10, 1);
    synth_write(other, bad, sizeof(bad));
    assert_int_equal(compare_cli(good, bad, NULL, NULL, out, err), 1);
    assert_non_null(strstr(err, "nothing to compare"));
    unlink(bad);
    unlink(good);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mw_exact_table),
        cmocka_unit_test(test_mw_ties),
        cmocka_unit_test(test_mw_large),
        cmocka_unit_test(test_mw_min_p),
        cmocka_unit_test(test_mw_huge),
        cmocka_unit_test(test_verdicts),
        cmocka_unit_test(test_insufficient),
        cmocka_unit_test(test_maybe),
        cmocka_unit_test(test_noisy_never_slower),
        cmocka_unit_test(test_calibration_differs),
        cmocka_unit_test(test_speedup_metric),
        cmocka_unit_test(test_speedup_one_definition),
        cmocka_unit_test(test_change_direction),
        cmocka_unit_test(test_normalized_uniform_slowdown),
        cmocka_unit_test(test_instructions_deterministic),
        cmocka_unit_test(test_cli_exit_codes),
        cmocka_unit_test(test_cli_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
