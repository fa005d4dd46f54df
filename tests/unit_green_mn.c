/* The M:N green scheduler (runners/green/mn.c) and the green runner's sched=mn: coroutines that
 * yield, sleep and move between workers each run exactly once; wakes across workers are never
 * lost; compute runs on two workers at once; deadlock, pinning and the stack=copy refusal. No
 * test looks at a time: overlap is shown by a rendezvous that one thread could never complete. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/params.h"
#include "runners/green/green.h"
#include "runners/runner.h"

/* ThreadSanitizer gives each fiber ~0.8 MiB of its own and ~4 mappings (stacks.c): 100,000
 * coroutines would need 80 GiB there, so TSan runs a few thousand; ASan's shadow of 100,000
 * stacks is also too heavy for CI. */
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define MANY 2000
#else
#define MANY 100000
#endif

/* A spin that cannot hang CI: gives up (the test fails) after this many seconds. */
#define GIVE_UP_S 120

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct green_mn *mn_new(int workers)
{
    struct green_config cfg = {.stack_size = 16 * 1024, .guard = -1};
    struct green_mn *m = green_mn_new(workers, &cfg);

    assert_non_null(m);
    assert_int_equal(green_mn_workers(m), workers);
    return m;
}

/* ---- every coroutine exactly once, through yields, sleeps and moves ---- */

struct many {
    atomic_int *count; /* per coroutine */
    atomic_long moved; /* coroutines that resumed on another worker than they started on */
};

struct nap {
    uv_timer_t timer;
    struct green_thread *g;
    atomic_int fired, closed; /* set by the loop's thread, read by the coroutine's */
};

static void nap_fired(uv_timer_t *t)
{
    struct nap *n = t->data;

    atomic_store(&n->fired, 1);
    green_wake(n->g);
}

static void nap_closed(uv_handle_t *h)
{
    struct nap *n = h->data;

    atomic_store(&n->closed, 1);
    green_wake(n->g);
}

/* Sleeps on the loop of the worker it runs on; the timer is closed before returning, so the
 * coroutine holds nothing on that loop afterwards and may move. */
static void nap_ms(uint64_t ms)
{
    struct nap n = {.g = green_self()};
    uv_loop_t *loop = green_loop();

    assert_non_null(loop);
    assert_int_equal(uv_timer_init(loop, &n.timer), 0);
    n.timer.data = &n;
    assert_int_equal(uv_timer_start(&n.timer, nap_fired, ms, 0), 0);
    while (!atomic_load(&n.fired))
        green_park();
    uv_close((uv_handle_t *)&n.timer, nap_closed);
    while (!atomic_load(&n.closed))
        green_park();
}

static void yield_sleep_yield(void *arg)
{
    struct many *mm = arg;
    int id = green_id(green_self());
    int first = green_worker(), moved = 0;

    green_yield();
    moved |= green_worker() != first;
    nap_ms(1 + (uint64_t)(id % 3));
    moved |= green_worker() != first;
    green_yield();
    moved |= green_worker() != first;
    if (moved)
        atomic_fetch_add(&mm->moved, 1);
    atomic_fetch_add(&mm->count[id], 1);
}

static void test_every_coroutine_once(void **state)
{
    struct many mm = {.count = calloc(MANY, sizeof(atomic_int))};
    struct green_mn *m = mn_new(2);

    (void)state;
    assert_non_null(mm.count);
    for (int i = 0; i < MANY; i++)
        assert_int_equal(green_mn_spawn(m, yield_sleep_yield, &mm), 0);
    assert_int_equal(green_mn_run(m), 0);
    for (int i = 0; i < MANY; i++)
        if (atomic_load(&mm.count[i]) != 1)
            fail_msg("coroutine %d ran %d times", i, atomic_load(&mm.count[i]));
    assert_int_equal(green_mn_live(m), 0);
    assert_int_equal(green_mn_failed(m), 0);
    assert_true(green_mn_stacks(m) <= MANY); /* slots were reused, never more than spawned */
    print_message("%d coroutines, %ld moved between workers, %lu steals\n", MANY,
                  atomic_load(&mm.moved), green_mn_steals(m));
    assert_int_equal(green_mn_free(m), 0);
    free(mm.count);
}

/* ---- a steal that must happen ---- */

/* X starts Y on its worker, then yields until it has moved, or Y has moved. Either a thief took
 * Y (Y moved), or X's worker runs Y, which spins until X moved: X's worker is then busy, so the
 * only way X runs again is the other, idle worker stealing it. No timing decides the outcome. */
struct pair {
    struct green_mn *m;
    int home;
    atomic_int x_moved, y_moved;
};

static void y_spin(void *arg)
{
    struct pair *p = arg;
    double give_up = now_s() + GIVE_UP_S;

    if (green_worker() != p->home) {
        atomic_store(&p->y_moved, 1);
        return;
    }
    while (!atomic_load(&p->x_moved))
        if (now_s() > give_up)
            fail_msg("X never moved to the idle worker");
}

static void x_yield(void *arg)
{
    struct pair *p = arg;

    p->home = green_worker();
    assert_int_equal(green_mn_spawn(NULL, y_spin, p), -EINVAL);
    assert_int_equal(green_mn_spawn(p->m, y_spin, p), 0); /* onto this worker's deque */
    while (!atomic_load(&p->y_moved)) {
        green_yield();
        if (green_worker() != p->home) {
            atomic_store(&p->x_moved, 1);
            break;
        }
    }
}

static void test_steal_happens(void **state)
{
    struct pair p = {0};

    (void)state;
    p.m = mn_new(2);
    assert_int_equal(green_mn_spawn(p.m, x_yield, &p), 0);
    assert_int_equal(green_mn_run(p.m), 0);
    assert_true(atomic_load(&p.x_moved) || atomic_load(&p.y_moved));
    assert_true(green_mn_steals(p.m) >= 1);
    assert_int_equal(green_mn_free(p.m), 0);
}

/* ---- wakes across workers: a ping-pong where a lost wake would hang ---- */

#define PINGS 20000

struct pingpong {
    struct green_thread *g[2];
    atomic_int turn; /* whose move it is: 0 or 1 */
    atomic_int ready;
};

static void player(void *arg)
{
    struct pingpong *pp = arg;
    int me = green_id(green_self()), other = 1 - me;

    pp->g[me] = green_self();
    atomic_fetch_add(&pp->ready, 1);
    while (atomic_load(&pp->ready) < 2)
        green_yield();
    for (int i = 0; i < PINGS; i++) {
        while (atomic_load(&pp->turn) != me)
            green_park(); /* spurious returns are allowed: look again */
        atomic_store(&pp->turn, other);
        green_wake(pp->g[other]);
    }
}

static void test_cross_worker_wakes(void **state)
{
    struct pingpong pp = {0};
    struct green_mn *m = mn_new(2);

    (void)state;
    assert_int_equal(green_mn_spawn(m, player, &pp), 0);
    assert_int_equal(green_mn_spawn(m, player, &pp), 0);
    assert_int_equal(green_mn_run(m), 0);
    assert_int_equal(atomic_load(&pp.turn), 0); /* 2 * PINGS moves: back to the first */
    assert_int_equal(green_mn_free(m), 0);
}

/* ---- deadlock, pinning, refusals ---- */

static void park_forever(void *arg)
{
    (void)arg;
    green_park();
    fail_msg("woken although nobody wakes it");
}

static void nothing(void *arg)
{
    atomic_fetch_add((atomic_int *)arg, 1);
}

static void test_deadlock(void **state)
{
    atomic_int ran = 0;
    struct green_mn *m = mn_new(2);

    (void)state;
    assert_int_equal(green_mn_spawn(m, park_forever, NULL), 0);
    for (int i = 0; i < 10; i++)
        assert_int_equal(green_mn_spawn(m, nothing, &ran), 0);
    assert_int_equal(green_mn_run(m), -EDEADLK);
    assert_int_equal(atomic_load(&ran), 10);
    assert_int_equal(green_mn_live(m), 1);
    assert_int_equal(green_mn_free(m), 0); /* reclaims the stuck coroutine's stack */
}

/* A pinned coroutine that yields many times while the other worker looks for work never moves. */
static void pinned_yielder(void *arg)
{
    int home = green_worker();

    green_pin(1);
    for (int i = 0; i < 2000; i++) {
        green_yield();
        if (green_worker() != home)
            atomic_fetch_add((atomic_int *)arg, 1);
    }
    green_pin(0);
}

static void test_pinned_stays(void **state)
{
    atomic_int moved = 0;
    struct green_mn *m = mn_new(2);

    (void)state;
    for (int i = 0; i < 4; i++)
        assert_int_equal(green_mn_spawn(m, pinned_yielder, &moved), 0);
    assert_int_equal(green_mn_run(m), 0);
    assert_int_equal(atomic_load(&moved), 0);
    assert_int_equal(green_mn_free(m), 0);
}

static void test_refusals(void **state)
{
    struct green_config copy = {.stack_size = 64 * 1024, .copy_stack = 1};
    struct green_mn *m;

    (void)state;
    errno = 0;
    assert_null(green_mn_new(2, &copy)); /* frames on one worker's run stack cannot move */
    assert_int_equal(errno, EINVAL);
    assert_null(green_mn_new(-1, NULL));
    m = green_mn_new(0, NULL); /* one per CPU */
    assert_non_null(m);
    assert_true(green_mn_workers(m) >= 1);
    assert_null(green_mn_loop(m, green_mn_workers(m)));
    assert_non_null(green_mn_loop(m, 0));
    assert_int_equal(green_mn_run(m), 0); /* nothing spawned: returns at once */
    assert_int_equal(green_mn_free(m), 0);
}

/* ---- the runner with sched=mn ---- */

extern const struct runner runner_green;

/* Two steps: compute, then wait on a 1 ms timer. rendezvous = the compute step waits until
 * `rendezvous` tasks are computing at once, which only threads computing in parallel reach. */
struct fake {
    int rendezvous;
    atomic_int computing, gave_up;
    atomic_int loop_inits, loop_finis;
};

struct fake_timer {
    uv_timer_t timer;
    struct task_ctx *t;
};

static int fake_steps(const void *inst)
{
    (void)inst;
    return 2;
}

static enum step_kind fake_kind(const void *inst, int step)
{
    (void)inst;
    return step == 0 ? STEP_COMPUTE : STEP_WAIT;
}

static int fake_block(void *inst, struct task_ctx *t)
{
    struct fake *f = inst;
    double give_up = now_s() + GIVE_UP_S;

    atomic_fetch_add(&f->computing, 1);
    while (f->rendezvous > 0 && atomic_load(&f->computing) < f->rendezvous)
        if (now_s() > give_up) {
            atomic_store(&f->gave_up, 1);
            break;
        }
    t->rec->digest += 1;
    return 0;
}

static void fake_closed(uv_handle_t *h)
{
    free(h->data);
}

static void fake_fired(uv_timer_t *tm)
{
    struct fake_timer *ft = tm->data;

    uv_close((uv_handle_t *)tm, fake_closed);
    ft->t->rec->digest += 10;
    ft->t->done(ft->t, 0);
}

static int fake_start(void *inst, struct task_ctx *t)
{
    struct fake_timer *ft = malloc(sizeof(*ft));

    (void)inst;
    if (ft == NULL)
        return -ENOMEM;
    uv_timer_init(t->loop, &ft->timer);
    ft->timer.data = ft;
    ft->t = t;
    uv_timer_start(&ft->timer, fake_fired, 1, 0);
    return 0;
}

static int fake_loop_init(void *inst, uv_loop_t *loop, void **loop_state)
{
    struct fake *f = inst;

    (void)loop;
    atomic_fetch_add(&f->loop_inits, 1);
    *loop_state = f;
    return 0;
}

static void fake_loop_fini(void *inst, void *loop_state)
{
    struct fake *f = inst;

    assert_ptr_equal(loop_state, f);
    atomic_fetch_add(&f->loop_finis, 1);
}

static const struct workload fake_workload = {
    .name = "fake",
    .summary = "test workload",
    .steps = fake_steps,
    .step_kind = fake_kind,
    .step_block = fake_block,
    .step_start = fake_start,
    .loop_init = fake_loop_init,
    .loop_fini = fake_loop_fini,
};

/* Runs the green runner with the options (":"-separated, as after "green:") on n tasks. */
static int run_mn(struct fake *f, int n, int workers, const char *options, struct run_ctx *ctx,
                  struct task_table **out)
{
    static struct param_set opts;
    char list[128], err[256], *save = NULL;

    params_clear(&opts);
    snprintf(list, sizeof(list), "%s", options);
    for (char *o = strtok_r(list, ":", &save); o != NULL; o = strtok_r(NULL, ":", &save))
        assert_int_equal(params_add(&opts, runner_green.options, o, err, sizeof(err)), 0);
    *out = task_table_new(n, 1, 0);
    assert_non_null(*out);
    memset(ctx, 0, sizeof(*ctx));
    ctx->wl = &fake_workload;
    ctx->wl_instance = f;
    ctx->tasks = n;
    ctx->workers = workers;
    ctx->opts = &opts;
    ctx->table = *out;
    return runner_green.run(ctx);
}

static void check_records(const struct task_table *tt, int n, int per_task)
{
    for (int i = 0; i < n; i++) {
        assert_int_equal(tt->records[i].status, 0);
        assert_int_equal(tt->records[i].digest, 11); /* each step ran once */
        if (per_task)
            assert_int_equal(tt->records[i].worker, i);
    }
}

/* Two tasks whose compute steps each wait for the other's to start: done only if two workers
 * computed at once; their intervals in the timeline then overlap. */
static void test_runner_compute_in_parallel(void **state)
{
    struct fake f = {.rendezvous = 2};
    struct run_ctx ctx;
    struct task_table *tt;
    const struct task_record *a, *b;

    (void)state;
    assert_int_equal(run_mn(&f, 2, 0, "sched=mn:threads=2", &ctx, &tt), 0);
    assert_string_equal(ctx.error, "");
    assert_int_equal(atomic_load(&f.gave_up), 0);
    check_records(tt, 2, 1);
    a = &tt->records[0];
    b = &tt->records[1];
    assert_true(a->start_s < b->end_s && b->start_s < a->end_s);
    assert_non_null(strstr(ctx.warning, "green M:N on 2 worker threads"));
    assert_int_equal(atomic_load(&f.loop_inits), 2); /* one per worker loop */
    assert_int_equal(atomic_load(&f.loop_finis), 2);
    task_table_free(tt);
}

static void test_runner_tasks_and_workers(void **state)
{
    struct fake f = {0};
    struct run_ctx ctx;
    struct task_table *tt;

    (void)state;
    assert_int_equal(run_mn(&f, 3000, 0, "sched=mn:threads=2:stack_kib=16", &ctx, &tt), 0);
    assert_string_equal(ctx.error, "");
    check_records(tt, 3000, 1);
    task_table_free(tt);

    memset(&f, 0, sizeof(f)); /* -j 5: five coroutines share the tasks */
    assert_int_equal(run_mn(&f, 500, 5, "sched=mn:threads=3:guard=on", &ctx, &tt), 0);
    check_records(tt, 500, 0);
    for (int i = 0; i < 500; i++)
        assert_true(tt->records[i].worker >= 0 && tt->records[i].worker < 5);
    assert_int_equal(atomic_load(&f.loop_inits), 3);
    task_table_free(tt);
}

static void test_runner_refuses_copy(void **state)
{
    struct fake f = {0};
    struct run_ctx ctx;
    struct task_table *tt;
    struct param_set opts = {0};
    char err[256];

    (void)state;
    assert_int_equal(run_mn(&f, 3, 0, "sched=mn:stack=copy", &ctx, &tt), -EINVAL);
    assert_non_null(strstr(ctx.error, "sched=mn needs stack=separate"));
    assert_int_equal(tt->records[0].worker, -1); /* nothing ran */
    task_table_free(tt);
    /* the trait the reports read: parallel with sched=mn, unless gil=on */
    assert_int_equal(params_add(&opts, runner_green.options, "sched=mn", err, sizeof(err)), 0);
    assert_true(runner_green.parallel(&opts));
    assert_int_equal(params_add(&opts, runner_green.options, "gil=on", err, sizeof(err)), 0);
    assert_false(runner_green.parallel(&opts));
    params_clear(&opts);
    assert_false(runner_green.parallel(&opts));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_coroutine_once),
        cmocka_unit_test(test_steal_happens),
        cmocka_unit_test(test_cross_worker_wakes),
        cmocka_unit_test(test_deadlock),
        cmocka_unit_test(test_pinned_stays),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_runner_compute_in_parallel),
        cmocka_unit_test(test_runner_tasks_and_workers),
        cmocka_unit_test(test_runner_refuses_copy),
    };

    alarm(400); /* a hang fails the run instead of stalling CI */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
