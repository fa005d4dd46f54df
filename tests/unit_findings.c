/* The reading as data (analysis/findings.c) on fixture files, and its prose
 * (report/repro_reading.c) against golden text: the committed reference reproduction (a quiet run
 * with Python), a short-task run on a busy machine (load 4.77 on 2 CPUs), and an inconclusive run
 * (an idle machine where pthreads' and evloop's 95% intervals hold the 1.25x threshold). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rmodel/article.h"
#include "analysis/findings.h"
#include "report/demo_story.h"
#include "report/report_sections.h"

static struct rm_file *load_fixture(const char *rel)
{
    char path[1024], err[1024];
    struct rm_file *f;

    snprintf(path, sizeof(path), "%s/%s", CONCBENCH_TEST_SOURCE_DIR, rel);
    f = rm_load(path, err, sizeof(err));
    if (f == NULL)
        fail_msg("%s", err);
    return f;
}

static int verdict(const struct reading *r, enum finding_kind k, enum finding_source s,
                   const char *model)
{
    for (int m = 0; m < REPRO_NMODELS; m++)
        if (strcmp(repro_models[m], model) == 0) {
            const struct finding *x = reading_get(r, k, s, m);
            if (x == NULL)
                fail_msg("no finding for %s", model);
            return x->verdict;
        }
    fail_msg("no model %s", model);
    return -1;
}

static void test_reference_findings(void **state)
{
    struct rm_file *f = load_fixture("results/reference/reproduce.json");
    struct reading r;
    (void)state;

    reading_compute(f, f->repro->published, &r);
    /* io_bound: every concurrent model overlapped, C and Python, close to 10x */
    assert_true(verdict(&r, FINDING_IO, FINDING_C, "pthreads") & FINDING_YES);
    assert_true(verdict(&r, FINDING_IO, FINDING_PYTHON, "green") & FINDING_YES);
    assert_true(r.io_near_ideal);
    assert_true(reading_ratio(&r, FINDING_IO, FINDING_C, 1) > 9.0);
    /* cpu_bound: C threads gain, green does not; the article's threads do not, processes do */
    assert_true(verdict(&r, FINDING_CPU, FINDING_C, "pthreads") & FINDING_YES);
    assert_false(verdict(&r, FINDING_CPU, FINDING_C, "green") & FINDING_YES);
    assert_false(verdict(&r, FINDING_CPU, FINDING_ARTICLE, "pthreads") & FINDING_YES);
    assert_true(verdict(&r, FINDING_CPU, FINDING_ARTICLE, "processes") & FINDING_YES);
    assert_true(verdict(&r, FINDING_CPU, FINDING_PYTHON, "processes") & FINDING_YES);
    assert_false(verdict(&r, FINDING_CPU, FINDING_PYTHON, "pthreads") & FINDING_YES);
    /* the article's sizes: seconds compare; 2 CPUs: ceiling 2 */
    assert_true(r.same_size_s[0] > 0 && r.same_size_s[2] > 0);
    assert_int_equal((int)r.ceiling, 2);
    assert_false(r.short_tasks);
    rm_free(f);
}

static void test_busy_short_tasks_findings(void **state)
{
    struct rm_file *f = load_fixture("tests/fixtures/busy_short_tasks.json");
    struct reading r;
    (void)state;

    reading_compute(f, NULL, &r);
    assert_true(r.short_tasks);
    /* slower than sequential, but within the noise: flagged, not counted */
    assert_true(verdict(&r, FINDING_CPU, FINDING_C, "processes") & FINDING_NOISE);
    assert_false(verdict(&r, FINDING_CPU, FINDING_C, "processes") & FINDING_YES);
    assert_true(verdict(&r, FINDING_CPU, FINDING_C, "processes") & FINDING_INCONCLUSIVE);
    /* the load when it started, above the 2 CPUs */
    assert_true(r.busy);
    assert_int_equal(r.cpus_used, 2);
    assert_true(r.load > 4.7 && r.load < 4.8);
    assert_null(reading_get(&r, FINDING_CPU, FINDING_ARTICLE, 1)); /* no published figures */
    assert_true(r.same_size_s[0] < 0);
    rm_free(f);
}

static void test_inconclusive_findings(void **state)
{
    struct rm_file *f = load_fixture("tests/fixtures/inconclusive.json");
    struct reading r;
    (void)state;

    reading_compute(f, f->repro->published, &r);
    assert_false(r.busy);
    assert_true(verdict(&r, FINDING_CPU, FINDING_C, "pthreads") & FINDING_INCONCLUSIVE);
    assert_false(verdict(&r, FINDING_CPU, FINDING_C, "pthreads") & FINDING_YES); /* 1.36x */
    assert_true(verdict(&r, FINDING_CPU, FINDING_C, "evloop") & FINDING_INCONCLUSIVE);
    assert_true(verdict(&r, FINDING_CPU, FINDING_C, "processes") & FINDING_YES);
    assert_false(verdict(&r, FINDING_CPU, FINDING_C, "green") & FINDING_INCONCLUSIVE);
    rm_free(f);
}

/* The reading of f with its lines joined (the wrapping undone). */
static char *reading_text(struct rm_file *f)
{
    char *got = NULL, *w, *rd;
    size_t len = 0;
    FILE *out = open_memstream(&got, &len);

    repro_reading(f, &(struct render_opts){.published = f->repro ? f->repro->published : NULL},
                  out);
    fclose(out);
    for (rd = w = got; *rd != '\0'; rd++) {
        if (rd[0] == '\n' && rd[1] == ' ' && rd[2] == ' ') {
            *w++ = ' ';
            rd += 2;
            continue;
        }
        *w++ = *rd;
    }
    *w = '\0';
    return got;
}

/* The reproduction table of f, no width limit. */
static char *table_text(struct rm_file *f)
{
    char *got = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&got, &len);

    repro_table(f, &(struct render_opts){.published = f->repro ? f->repro->published : NULL}, out);
    fclose(out);
    return got;
}

/* No sentence says "agrees" or "differs" of a model whose ratio's interval holds its threshold. */
static void test_no_verdict_when_inconclusive(void **state)
{
    const char *fixtures[] = {"tests/fixtures/inconclusive.json",
                              "tests/fixtures/busy_short_tasks.json",
                              "results/reference/reproduce.json"};
    (void)state;

    for (size_t k = 0; k < sizeof(fixtures) / sizeof(fixtures[0]); k++) {
        struct rm_file *f = load_fixture(fixtures[k]);
        struct reading r;
        char *text = reading_text(f), *sentence = text;

        reading_compute(f, f->repro ? f->repro->published : NULL, &r);
        while (sentence != NULL && *sentence != '\0') {
            char *end = strstr(sentence, ". ");
            if (end != NULL)
                *end = '\0';
            if (strstr(sentence, "agree") != NULL || strstr(sentence, "differ") != NULL)
                for (int i = 0; i < r.n; i++) {
                    const struct finding *x = &r.items[i];
                    char name[64];
                    if (!(x->verdict & FINDING_INCONCLUSIVE) || x->source != FINDING_C)
                        continue;
                    snprintf(name, sizeof(name), "%s (", r.rows.name[x->model]);
                    if (strstr(sentence, name) != NULL)
                        fail_msg("%s: \"%s\" judges %s, whose interval holds %.2fx", fixtures[k],
                                 sentence, r.rows.name[x->model], x->threshold);
                }
            sentence = end != NULL ? end + 2 : NULL;
        }
        free(text);
        rm_free(f);
    }
}

/* demo cpu-vs-io's "What happened" on a file: the load first when busy; "computed in parallel"
 * only when the ratios show it. */
static char *story(const char *fixture)
{
    struct rm_file *f = load_fixture(fixture);
    char *got = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&got, &len);

    story_cpu_vs_io(f, NULL, out);
    fclose(out);
    rm_free(f);
    /* the wrapping undone: every run of spaces and newlines one space */
    for (char *rd = got, *w = got;; rd++) {
        if ((*rd == ' ' || *rd == '\n') && w > got && w[-1] == ' ')
            continue;
        *w++ = *rd == '\n' ? ' ' : *rd;
        if (*rd == '\0')
            break;
    }
    return got;
}

static void test_demo_claims(void **state)
{
    char *idle = story("results/reference/reproduce.json");
    char *busy = story("tests/fixtures/busy_short_tasks.json");
    (void)state;

    assert_null(strstr(idle, "machine was busy"));
    assert_non_null(strstr(idle, "computed in parallel (pthreads 1.69x, evloop 1.80x)"));
    assert_non_null(strstr(busy, "The machine was busy: its load average was 4.77"));
    assert_true(strstr(busy, "machine was busy") < strstr(busy, "speed-up here"));
    assert_null(strstr(busy, "computed in parallel ("));
    assert_non_null(strstr(busy, "this run does not show it (pthreads 0.27x"));
    free(idle);
    free(busy);
}

/* The prose of a fixture, byte for byte as in tests/golden/. */
static void expect_golden(const char *fixture, const char *golden)
{
    struct rm_file *f = load_fixture(fixture);
    char path[1024], *got = NULL, want[16384];
    size_t len = 0, n;
    FILE *out = open_memstream(&got, &len), *g;
    struct rm_published *loaded = NULL;
    const struct rm_published *pub;

    /* as `report` does: the embedded figures, else the committed ones */
    snprintf(path, sizeof(path), "%s/%s", CONCBENCH_TEST_SOURCE_DIR, PUBLISHED_REL_PATH);
    pub = published_for(f, path, &loaded, want, sizeof(want));
    if (f->repro != NULL && f->repro->published != NULL)
        pub = f->repro->published;
    repro_reading(f, &(struct render_opts){.published = pub}, out);
    fclose(out);
    snprintf(path, sizeof(path), "%s/tests/golden/%s", CONCBENCH_TEST_SOURCE_DIR, golden);
    g = fopen(path, "r");
    assert_non_null(g);
    n = fread(want, 1, sizeof(want) - 1, g);
    want[n] = '\0';
    fclose(g);
    /* the golden file is the reading as `report` prints it: after one blank line */
    if (strcmp(got + 1, want) != 0)
        fail_msg("reading of %s differs from %s:\n%s", fixture, golden, got);
    free(got);
    rm_published_free(loaded);
    rm_free(f);
}

/* An io_bound run whose embedded server was late (evloop: p99 lateness 60 ms of 100 ms): the
 * finding says so, and the reading gives the shortfall to the instrument, never to the model. */
static void test_server_limited(void **state)
{
    struct rm_file *f = load_fixture("tests/fixtures/server_late.json");
    struct reading r;
    char *got = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&got, &len);
    (void)state;

    reading_compute(f, NULL, &r);
    assert_true(verdict(&r, FINDING_IO, FINDING_C, "evloop") & FINDING_SERVER);
    assert_false(verdict(&r, FINDING_IO, FINDING_C, "sequential") & FINDING_SERVER);
    repro_reading(f, NULL, out);
    fclose(out);
    /* the prose is wrapped: one space wherever it broke a line */
    for (char *w = got, *rd = got;; rd++) {
        if (*rd == '\n') {
            while (rd[1] == ' ')
                rd++;
            *w++ = ' ';
            continue;
        }
        *w++ = *rd;
        if (*rd == '\0')
            break;
    }
    if (strstr(got, "evloop's io_bound result was limited by the server: p99 lateness 60 ms of "
                    "100 ms") == NULL ||
        strstr(got, "the instrument's, not the model's") == NULL)
        fail_msg("the reading does not name the server as the limit:\n%s", got);
    if (strstr(got, "did not overlap") != NULL)
        fail_msg("the reading blames a model for the server's lateness:\n%s", got);
    free(got);
    rm_free(f);
}

static void test_reading_prose(void **state)
{
    (void)state;
    expect_golden("results/reference/reproduce.json", "reference_reading.txt");
    expect_golden("tests/fixtures/busy_short_tasks.json", "busy_short_tasks_reading.txt");
    expect_golden("tests/fixtures/inconclusive.json", "inconclusive_reading.txt");
}

/* ---- a model's parallel trait read with the options its case ran with ---- */

static struct rm_case *c_case(struct rm_file *f, const char *workload, const char *model)
{
    for (int i = 0; i < f->ncases; i++)
        if (strcmp(f->cases[i].implementation, "c") == 0 &&
            strcmp(f->cases[i].workload, workload) == 0 && strcmp(f->cases[i].model, model) == 0)
            return &f->cases[i];
    fail_msg("no C %s case of %s", workload, model);
    return NULL;
}

/* Sets the text option key=value of c (replacing a value already there). */
static void option_set(struct rm_case *c, const char *key, const char *value)
{
    struct rm_params *ps = &c->model_options;
    struct rm_param *p = NULL;

    for (int i = 0; i < ps->n; i++)
        if (strcmp(ps->v[i].key, key) == 0)
            p = &ps->v[i];
    if (p == NULL) {
        ps->v = realloc(ps->v, (size_t)(ps->n + 1) * sizeof(*ps->v));
        assert_non_null(ps->v);
        p = &ps->v[ps->n++];
        memset(p, 0, sizeof(*p));
        p->key = rm_strdup(key);
        p->v = calloc(1, sizeof(*p->v));
        assert_non_null(p->v);
        p->n = 1;
    }
    free(p->v[0].s);
    p->v[0].is_int = 0;
    p->v[0].s = rm_strdup(value);
}

static int green_index(void)
{
    for (int m = 0; m < REPRO_NMODELS; m++)
        if (strcmp(repro_models[m], "green") == 0)
            return m;
    fail_msg("green is not one of the article's models");
    return -1;
}

/* The reference file with its C cpu_bound green case turned into green:sched=mn (options as
 * given) that gained as pthreads did (pthreads' samples). */
static struct rm_file *reference_as_mn(const char *extra_key, const char *extra_value)
{
    struct rm_file *f = load_fixture("results/reference/reproduce.json");
    struct rm_case *g = c_case(f, "cpu_bound", "green");
    const struct rm_case *p = c_case(f, "cpu_bound", "pthreads");

    free(g->label);
    g->label = rm_strdup("green:sched=mn");
    option_set(g, "sched", "mn");
    if (extra_key != NULL)
        option_set(g, extra_key, extra_value);
    rm_figure_set(&g->fig[RM_WALL], p->fig[RM_WALL].samples, p->fig[RM_WALL].nsamples);
    return f;
}

/* The row of r labelled label (a row after the article's), or fails. */
static int row_of(const struct reading *r, const char *label)
{
    for (int m = REPRO_NMODELS; m < r->rows.n; m++)
        if (strcmp(r->rows.name[m], label) == 0)
            return m;
    fail_msg("no row %s", label);
    return -1;
}

static void test_parallel_given_options(void **state)
{
    int g = green_index(), mn;
    struct rm_file *f = load_fixture("tests/fixtures/inconclusive.json");
    struct reading r;
    char *text = reading_text(f);
    (void)state;

    /* plain green: takes turns */
    reading_compute(f, NULL, &r);
    assert_false(r.parallel[g]);
    assert_non_null(strstr(text, "green threads take turns on one thread"));
    free(text);
    rm_free(f);
    /* green:sched=mn: a row of its own after the article's (never gevent's), a worker per CPU,
     * said so, named as given; no article or Python finding */
    f = reference_as_mn(NULL, NULL);
    reading_compute(f, f->repro->published, &r);
    mn = row_of(&r, "green:sched=mn");
    assert_true(r.parallel[mn]);
    assert_string_equal(r.label[mn], "green:sched=mn");
    assert_null(r.label[g]); /* the cpu_bound green row has no case left */
    assert_true(reading_get(&r, FINDING_CPU, FINDING_C, mn)->verdict & FINDING_YES);
    assert_null(reading_get(&r, FINDING_CPU, FINDING_ARTICLE, mn));
    assert_null(reading_get(&r, FINDING_CPU, FINDING_PYTHON, mn));
    text = reading_text(f);
    assert_non_null(strstr(text, "green:sched=mn runs its coroutines on a worker thread per CPU"));
    assert_non_null(strstr(text, "Beyond the article's models (no article or Python figure): "
                                 "C's green:sched=mn ran "));
    assert_null(strstr(text, "take turns on one thread"));
    assert_null(strstr(text, "unexpected for coroutines"));
    free(text);
    text = table_text(f);
    assert_non_null(strstr(text, "green:sched=mn / n/a"));
    assert_non_null(strstr(text, "n/a: green:sched=mn is not in the article"));
    free(text);
    rm_free(f);
    /* gil=on makes the workers take turns; a value this build refuses is its default (one hub) */
    f = reference_as_mn("gil", "on");
    reading_compute(f, f->repro->published, &r);
    assert_false(r.parallel[row_of(&r, "green:sched=mn")]);
    rm_free(f);
    f = reference_as_mn("sched", "\033[31mbogus");
    reading_compute(f, f->repro->published, &r);
    assert_false(r.parallel[row_of(&r, "green:sched=mn")]);
    rm_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_findings),
        cmocka_unit_test(test_busy_short_tasks_findings),
        cmocka_unit_test(test_inconclusive_findings),
        cmocka_unit_test(test_no_verdict_when_inconclusive),
        cmocka_unit_test(test_demo_claims),
        cmocka_unit_test(test_reading_prose),
        cmocka_unit_test(test_server_limited),
        cmocka_unit_test(test_parallel_given_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
