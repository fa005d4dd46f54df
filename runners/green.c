/* green: tasks as coroutines on one hub thread (the article's gevent). A wait step starts its
 * async face on the hub's libuv loop and parks the coroutine until the callback wakes it; a
 * compute step runs inline on the coroutine and blocks the hub, as CPU work blocks gevent.
 * sched=mn: the same coroutines on one hub per CPU with work stealing (Go's and Tokio's design,
 * runners/green/mn.c): a wait registers on the loop of the worker the coroutine runs on, and a
 * compute step blocks only its worker, so compute runs in parallel. */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bulk_alloc.h"
#include "runners/green/green.h"
#include "runners/runner.h"

/* 128 KiB by measurement: GMP's mpz_ui_pow_ui needs 26 KiB for the default 7777**200000, but up
 * to 66 KiB for results around 480,000 bits (e.g. exponent=37000; its temporaries go on the
 * stack below 32 KiB each, and nest), which would leave a 64 KiB stack no margin. Untouched stack
 * pages cost address space only, not memory. */
static const struct param_spec green_options[] = {
    {"stack_kib", PARAM_INT, "128", 8, 1048576, NULL,
     "usable stack per coroutine, KiB; only the pages a coroutine touches become memory", 0},
    {"stack", PARAM_CHOICE, "auto", 0, 0, "auto|copy|separate",
     "copy = one shared run stack with a guard page; a parked coroutine's used stack (a few "
     "hundred bytes) is copied out and back (a million coroutines in well under 1 GB); "
     "separate = a stack per coroutine, switches copy nothing, but each touches at least a page "
     "(see README); auto = copy where the build supports it (assembly switch, no sanitizer), "
     "else separate. Under sched=mn each worker has its own run stack and a copy coroutine may "
     "move only before its first run (then it stays on that worker); separate ones move freely",

     0},
    {"guard", PARAM_CHOICE, "auto", 0, 0, "auto|on|off",
     "guard page below each stack: on = always (spawning fails when vm.max_map_count runs out), "
     "off = never (canary checks only), auto = while the mapping budget allows, then canaries; "
     "stack=separate only (the copy run stack always has one)",
     0},
    {"sched", PARAM_CHOICE, "hub", 0, 0, "hub|mn",
     "hub = every coroutine on one thread (gevent): waits overlap, compute takes turns; mn = "
     "M:N, coroutines spread over `threads` worker threads, each with its own loop, idle workers "
     "stealing runnable coroutines from busy ones (Go, Tokio): compute runs in parallel too. "
     "With stack=copy (auto's choice) only coroutines not yet started are stolen: a started "
     "one's copied frames hold addresses of its worker's run stack",

     0},
    {"threads", PARAM_INT, "0", 0, 1024, NULL,
     "sched=mn: worker threads; 0 = one per CPU this process may run on (as GOMAXPROCS). -j "
     "still sets the number of coroutines, not of threads",
     0},
    GIL_OPTIONS,
    {0},
};

/* A wait step's result in t->owner_status while the coroutine (t->owner) waits: none yet. */
#define GREEN_WAITING 1

/* A coroutine's task state lives here, not on its stack: with stack=copy a parked coroutine's
 * stack addresses belong to whoever runs, and the loop's callbacks reach t meanwhile. t->owner is
 * the coroutine, t->owner_status what its wait step ended with (statuses are 0 or negative). */
struct green_task {
    struct task_ctx t;
};

struct green_run {
    struct run_ctx *ctx;
    uv_loop_t loop;           /* sched=hub */
    struct task_env env;      /* sched=hub: every wait's (the run's, with the loop and its state) */
    struct task_env *envs;    /* sched=mn: one per worker loop */
    int mn;                   /* sched=mn */
    int per_task;             /* one coroutine per task; else workers share next_task */
    atomic_int next_task;     /* workers mode: next task to take */
    struct green_task *slots; /* per coroutine */
    size_t slots_bytes;
};

static void green_step_done(struct task_ctx *t, int status)
{
    t->owner_status = status > 0 ? 0 : status;
    green_wake(t->owner);
}

/* One step of the task in slot gt: a compute step inline (the hub waits for it), a wait step
 * started on the loop of the worker it runs on now (its callback wakes it there; the workload
 * may keep state on that loop until the task ends: mn.c, pinning) and parked on. */
static inline int green_step(struct green_run *r, struct green_task *gt)
{
    struct run_ctx *ctx = r->ctx;
    struct task_ctx *t = &gt->t;
    int status;

    if (ctx->wl->step_start == NULL ||
        ctx->wl->step_kind(ctx->wl_instance, t->step) == STEP_COMPUTE)
        return task_step_block(ctx, t);
    green_pin(1);
    t->env = r->mn ? &r->envs[green_worker()] : &r->env;
    t->owner_status = GREEN_WAITING;
    status = ctx->wl->step_start(ctx->wl_instance, t);
    if (status < 0)
        return status;
    while (t->owner_status == GREEN_WAITING)
        green_park();
    return t->owner_status;
}

/* Only r and gt stay live across a park: every other value is read again from them. A parked
 * coroutine's frames are copied out whole (stack=copy), so each register its frames hold is 8
 * bytes per parked task (this one's were 80 bytes with ctx, wl and the rest kept at hand). */
static void green_run_task(struct green_run *r, int index, int worker)
{
    struct green_task *gt = &r->slots[worker];
    int more;

    more = task_begin(r->ctx, &gt->t, index, worker) == 0; /* index and worker die here */
    gt->t.owner = green_self();
    while (more)
        more = task_step_done(r->ctx, &gt->t, green_step(r, gt));
    task_end(r->ctx, &gt->t);
    green_pin(0);
}

static void green_coroutine(void *arg)
{
    struct green_run *r = arg;
    int id = green_id(green_self()); /* spawn order: 0, 1, 2, ... */
    int index;

    if (r->per_task) {
        green_run_task(r, id, id);
        return;
    }
    while ((index = atomic_fetch_add(&r->next_task, 1)) < r->ctx->tasks)
        green_run_task(r, index, id);
}

static void close_leftover(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

static int green_mn_chosen(const struct param_set *opts)
{
    return strcmp(params_str(opts, green_options, "sched"), "mn") == 0;
}

static struct green_config green_config_of(const struct run_ctx *ctx)
{
    const char *guard = params_str(ctx->opts, green_options, "guard");
    struct green_config cfg = {
        .stack_size = (size_t)params_int(ctx->opts, green_options, "stack_kib") * 1024,
        .guard = strcmp(guard, "on") == 0    ? 1
                 : strcmp(guard, "off") == 0 ? 0
                                             : -1,
    };
    const char *stack = params_str(ctx->opts, green_options, "stack");

    cfg.copy_stack =
        strcmp(stack, "copy") == 0 || (strcmp(stack, "auto") == 0 && green_copy_stack_supported());
    return cfg;
}

static void green_run_free(struct green_run *r)
{
    bulk_free(r->slots, r->slots_bytes);
    free(r->envs);
    free(r);
}

/* The run's tables: NULL (with ctx->error set) when memory ran out. */
static struct green_run *green_run_new(struct run_ctx *ctx, int coroutines)
{
    struct green_run *r = calloc(1, sizeof(*r));

    if (r != NULL) {
        r->ctx = ctx;
        r->per_task = ctx->workers <= 0;
        r->mn = green_mn_chosen(ctx->opts);
        r->slots_bytes = (size_t)coroutines * sizeof(*r->slots);
        r->slots = bulk_alloc(r->slots_bytes);
    }
    if (r == NULL || r->slots == NULL) {
        if (r != NULL)
            green_run_free(r);
        run_limit_error(ctx, "allocating task table", ENOMEM, 0, ctx->tasks);
        return NULL;
    }
    return r;
}

/* After green_sched_run found coroutines parked with nothing left to wake them. */
static void green_report_deadlock(struct green_run *r, size_t stuck)
{
    struct run_ctx *ctx = r->ctx;

    for (int i = 0; i < ctx->tasks; i++) {
        struct task_record *rec = &ctx->env.table->records[i];
        if (rec->worker >= 0 && rec->end_s == 0) /* began, never reached task_end */
            task_fail(ctx->env.table, rec, -EDEADLK,
                      "never woken: its wait step left nothing pending on the loop");
    }
    if (ctx->error[0] == '\0')
        snprintf(ctx->error, sizeof(ctx->error),
                 "green: deadlock, %zu coroutine%s parked with nothing pending on the libuv loop "
                 "that could wake them",
                 stuck, stuck == 1 ? "" : "s");
}

/* Spawns the coroutines and runs the hub: 0 or a negative errno. */
static int green_run_all(struct green_run *r, struct green_sched *s, int wanted)
{
    struct run_ctx *ctx = r->ctx;
    int rc = 0, run_rc;

    for (int spawned = 0; spawned < wanted; spawned++) {
        int err = green_spawn(s, green_coroutine, r);
        if (err < 0) {
            /* Out of stacks: run what exists; tasks never started keep worker = -1. */
            run_limit_error(ctx, "green stack mmap", -err, spawned, wanted);
            rc = err;
            break;
        }
    }
    run_rc = green_sched_run(s);
    if (run_rc == -EDEADLK)
        green_report_deadlock(r, green_sched_live(s));
    return rc != 0 ? rc : run_rc;
}

/* A scheduler (what names it) could not be made: errno says why. */
static void green_sched_error(struct run_ctx *ctx, const struct green_config *cfg, const char *what,
                              int wanted)
{
    if (errno == ENOTSUP && cfg->copy_stack)
        snprintf(ctx->error, sizeof(ctx->error),
                 "green: stack=copy needs the assembly context switch and a build without "
                 "sanitizers; use stack=separate");
    else
        run_limit_error(ctx, what, errno, 0, wanted);
}

/* sched=mn: the workload's per-loop state on every worker's loop; 0, or a negative errno with
 * the ones made so far torn down again. */
static int green_mn_loops_init(struct green_run *r, struct green_mn *m, int wanted)
{
    struct run_ctx *ctx = r->ctx;
    int n = green_mn_workers(m), rc = 0, i;

    r->envs = calloc((size_t)n, sizeof(*r->envs));
    if (r->envs == NULL) {
        run_limit_error(ctx, "allocating worker loops", ENOMEM, 0, wanted);
        return -ENOMEM;
    }
    for (i = 0; i < n && ctx->wl->loop_init != NULL; i++) {
        rc = ctx->wl->loop_init(ctx->wl_instance, green_mn_loop(m, i), &r->envs[i].loop_state);
        if (rc < 0) {
            run_limit_error(ctx, "workload loop setup", -rc, 0, wanted);
            break;
        }
    }
    if (rc < 0 && ctx->wl->loop_fini != NULL)
        while (i-- > 0)
            ctx->wl->loop_fini(ctx->wl_instance, r->envs[i].loop_state);
    for (i = 0; rc == 0 && i < n; i++) {
        void *state = r->envs[i].loop_state;
        r->envs[i] = ctx->env; /* the run's table and gil */
        r->envs[i].loop = green_mn_loop(m, i);
        r->envs[i].loop_state = state;
        r->envs[i].done = green_step_done;
    }
    return rc;
}

/* sched=mn: what the run reports beyond the tasks' records. */
static void green_mn_report(struct green_run *r, struct green_mn *m, int rc, int wanted, int copy)
{
    struct run_ctx *ctx = r->ctx;
    size_t failed = green_mn_failed(m);

    if (rc == -EDEADLK)
        green_report_deadlock(r, green_mn_live(m));
    else if (rc < 0 && failed > 0) /* tasks never started keep worker = -1 */
        run_limit_error(ctx, "green stack mmap", -rc, wanted - (int)failed, wanted);
    else if (rc < 0)
        run_thread_error(ctx, "starting green worker threads: pthread_create", -rc, 0,
                         green_mn_workers(m), 0);
    if (green_mn_unguarded(m) > 0 && ctx->warning[0] == '\0')
        snprintf(ctx->warning, sizeof(ctx->warning),
                 "guard pages off above %zu coroutines (vm.max_map_count=%ld); stacks "
                 "canary-checked",
                 green_mn_guard_off_at(m), green_max_map_count());
    if (ctx->warning[0] == '\0')
        snprintf(ctx->warning, sizeof(ctx->warning),
                 "green M:N on %d worker thread%s (%s), %lu coroutine%s stolen%s",
                 green_mn_workers(m), green_mn_workers(m) == 1 ? "" : "s",
                 params_int(ctx->opts, green_options, "threads") > 0 ? "threads=" : "one per CPU",
                 green_mn_steals(m), green_mn_steals(m) == 1 ? "" : "s",
                 copy ? " (stack=copy: before their first run only)" : "");
}

/* sched=mn: the workers' loops set up, the coroutines spawned onto the injection queue, the
 * workers run to the end, everything torn down. */
static int green_run_mn(struct green_run *r, const struct green_config *cfg, int wanted)
{
    struct run_ctx *ctx = r->ctx;
    struct green_mn *m = green_mn_new((int)params_int(ctx->opts, green_options, "threads"), cfg);
    int rc = 0;

    if (m == NULL) {
        rc = -errno;
        green_sched_error(ctx, cfg, "green M:N scheduler", wanted);
        return rc;
    }
    rc = green_mn_loops_init(r, m, wanted);
    if (rc < 0) {
        green_mn_free(m);
        return rc;
    }
    for (int spawned = 0; spawned < wanted && rc == 0; spawned++)
        if ((rc = green_mn_spawn(m, green_coroutine, r)) < 0)
            run_limit_error(ctx, "green spawn", -rc, spawned, wanted);
    {
        int run_rc = green_mn_run(m);
        rc = rc != 0 ? rc : run_rc;
    }
    green_mn_report(r, m, rc, wanted, cfg->copy_stack);
    run_memory_probe(ctx);
    for (int i = 0; i < green_mn_workers(m) && ctx->wl->loop_fini != NULL; i++)
        ctx->wl->loop_fini(ctx->wl_instance, r->envs[i].loop_state);
    if (green_mn_free(m) > 0 && ctx->warning[0] == '\0')
        snprintf(ctx->warning, sizeof(ctx->warning), "libuv loop still busy at close");
    return rc;
}

static int green_run(struct run_ctx *ctx)
{
    struct green_config cfg = green_config_of(ctx);
    int wanted = ctx->workers > 0 && ctx->workers < ctx->tasks ? ctx->workers : ctx->tasks;
    struct green_run *r = green_run_new(ctx, wanted);
    struct green_sched *s = NULL;
    int rc = 0;

    if (r == NULL)
        return -ENOMEM;
    cfg.expected = (size_t)wanted; /* stack=copy: structs for all in one allocation */
    if (r->mn) {
        rc = run_gil_setup(ctx, green_options); /* gil=on: workers take turns computing */
        if (rc == 0)
            rc = green_run_mn(r, &cfg, wanted);
        else
            run_limit_error(ctx, "GIL", -rc, 0, wanted);
        run_gil_free(ctx);
        green_run_free(r);
        return rc;
    }
    rc = run_gil_setup(ctx, green_options); /* one thread: never contended, as with gevent */
    if (rc == 0)
        rc = uv_loop_init(&r->loop);
    if (rc < 0) {
        run_limit_error(ctx, "uv_loop_init", -rc, 0, wanted);
        run_gil_free(ctx);
        green_run_free(r);
        return rc;
    }
    r->loop.data = r;
    if (ctx->wl->loop_init != NULL &&
        (rc = ctx->wl->loop_init(ctx->wl_instance, &r->loop, &r->env.loop_state)) < 0) {
        run_limit_error(ctx, "workload loop setup", -rc, 0, wanted);
        goto close_loop;
    }
    r->env.table = ctx->env.table;
    r->env.gil = ctx->env.gil;
    r->env.loop = &r->loop;
    r->env.done = green_step_done;
    s = green_sched_new(&r->loop, &cfg);
    if (s == NULL) {
        rc = -errno;
        green_sched_error(ctx, &cfg, "green scheduler", wanted);
        goto fini;
    }
    rc = green_run_all(r, s, wanted);
    run_memory_probe(ctx);
    if (!cfg.copy_stack && cfg.guard == -1 && green_sched_unguarded(s) > 0 &&
        ctx->warning[0] == '\0')
        snprintf(ctx->warning, sizeof(ctx->warning),
                 "guard pages off above %zu coroutines (vm.max_map_count=%ld); stacks "
                 "canary-checked",
                 green_sched_guard_off_at(s), green_max_map_count());
fini:
    if (ctx->wl->loop_fini != NULL)
        ctx->wl->loop_fini(ctx->wl_instance, r->env.loop_state);
close_loop:
    /* Handles may live on coroutine stacks (a deadlock leaves them there): close them all while
     * the stacks still exist, then free the stacks. */
    uv_walk(&r->loop, close_leftover, NULL);
    uv_run(&r->loop, UV_RUN_DEFAULT);
    if (uv_loop_close(&r->loop) != 0 && ctx->warning[0] == '\0')
        snprintf(ctx->warning, sizeof(ctx->warning), "libuv loop still busy at close");
    green_sched_free(s);
    run_gil_free(ctx);
    green_run_free(r);
    return rc;
}

/* sched=mn computes on several workers at once, unless gil=on makes them take turns. */
static int green_parallel(const struct param_set *opts)
{
    return green_mn_chosen(opts) && !run_gil_on(opts, green_options);
}

const struct runner runner_green = {
    .name = "green",
    .summary = "coroutines on one hub thread (sched=mn: a hub per CPU, work stealing); waits "
               "park on a libuv loop, compute blocks its hub",
    .options = green_options,
    .run = green_run,
    .pool = 1,
    .compute = RUNNER_COMPUTE_TURNS,
    .parallel = green_parallel,
};
