/* `concbench switchcost`: what one green-thread context switch costs, next to swapcontext.
 *
 * Two contexts ping-pong: main switches to a partner, which switches straight back. One round
 * trip is two switches. Each implementation is calibrated separately to about 0.2 s per run
 * (unless --iterations fixes the round trips), and the best of --runs runs is reported: the
 * minimum is the cost without interference from interrupts and the other core's work. */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <ucontext.h>

#include "common/clock.h"
#include "common/params.h"
#include "runners/green/green.h"
#include "runners/green/switch_cost.h"

#define SC_TARGET_S       0.2  /* seconds per calibrated run */
#define SC_CALIB_MIN_S    0.02 /* a calibration probe must last at least this */
#define SC_STACK          (64 * 1024)
#define SC_MAX_ITERATIONS 10000000000LL
#define SC_MAX_RUNS       100

static const char sc_usage[] =
    "usage: concbench switchcost [--iterations N] [--runs N] [--json] [--help]\n";

static const char sc_help[] =
    "\n"
    "Measures the cost of one context switch: two contexts ping-pong, each switching straight\n"
    "back to the other, first with green_ctx_switch (the green-thread runner's switch: only\n"
    "callee-saved registers) and then with glibc's swapcontext (which also saves the signal\n"
    "mask with a system call). Prints ns per switch for both and their ratio.\n"
    "\n"
    "Options:\n"
    "  --iterations N   round trips (2 switches each) per run, 1..10000000000; default:\n"
    "                   calibrated per implementation to about 0.2 s per run\n"
    "  --runs N         runs per implementation, the best is reported; 1..100 (default 3)\n"
    "  --json           print the result as JSON instead of a table\n"
    "  -h, --help       this help\n";

__attribute__((format(printf, 1, 2))) static int sc_bad_usage(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "concbench switchcost: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr,
            "\nvalid options: --iterations N (1..%lld), --runs N (1..%d), --json, --help\n%s",
            SC_MAX_ITERATIONS, SC_MAX_RUNS, sc_usage);
    return 2;
}

/* ---- green_ctx_switch ---- */

struct sc_green {
    struct green_ctx *main, *partner;
};

static void sc_green_partner(void *arg)
{
    struct sc_green *p = arg;

    for (;;)
        green_ctx_switch(p->partner, p->main);
}

/* Seconds for n round trips. */
static double sc_green_run(struct sc_green *p, long long n)
{
    double t0 = clock_now_s();

    for (long long i = 0; i < n; i++)
        green_ctx_switch(p->main, p->partner);
    return clock_now_s() - t0;
}

/* ---- swapcontext ---- */

static ucontext_t sc_uc_main, sc_uc_partner;

static void sc_uc_partner_fn(void)
{
    for (;;)
        swapcontext(&sc_uc_partner, &sc_uc_main);
}

/* Separate from switchcost_main: gcc treats getcontext as returning twice (like setjmp), which
 * would put every local of the caller under suspicion of being clobbered. */
__attribute__((noinline)) static int sc_uc_setup(void *stack, size_t size)
{
    if (getcontext(&sc_uc_partner) != 0)
        return -1;
    sc_uc_partner.uc_stack.ss_sp = stack;
    sc_uc_partner.uc_stack.ss_size = size;
    sc_uc_partner.uc_link = NULL;
    makecontext(&sc_uc_partner, sc_uc_partner_fn, 0);
    return 0;
}

static double sc_uc_run(long long n)
{
    double t0 = clock_now_s();

    for (long long i = 0; i < n; i++)
        swapcontext(&sc_uc_main, &sc_uc_partner);
    return clock_now_s() - t0;
}

/* ---- the pair, for switchcost and primitives ---- */

struct sc_pair {
    struct sc_green g;
    void *stack_g, *stack_u;
};

struct sc_pair *sc_pair_new(void)
{
    struct sc_pair *p = calloc(1, sizeof(*p));

    if (p == NULL)
        return NULL;
    p->stack_g = mmap(NULL, SC_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p->stack_u = mmap(NULL, SC_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p->g.main = aligned_alloc(16, (green_ctx_size() + 15) / 16 * 16);
    p->g.partner = aligned_alloc(16, (green_ctx_size() + 15) / 16 * 16);
    if (p->stack_g == MAP_FAILED || p->stack_u == MAP_FAILED || p->g.main == NULL ||
        p->g.partner == NULL || sc_uc_setup(p->stack_u, SC_STACK) != 0) {
        sc_pair_free(p);
        return NULL;
    }
    green_ctx_make(p->g.partner, p->stack_g, SC_STACK, sc_green_partner, &p->g);
    return p;
}

/* The partners are parked mid-switch on their stacks; nothing to unwind. */
void sc_pair_free(struct sc_pair *p)
{
    if (p == NULL)
        return;
    if (p->stack_g != MAP_FAILED && p->stack_g != NULL)
        munmap(p->stack_g, SC_STACK);
    if (p->stack_u != MAP_FAILED && p->stack_u != NULL)
        munmap(p->stack_u, SC_STACK);
    free(p->g.main);
    free(p->g.partner);
    free(p);
}

double sc_pair_time(struct sc_pair *p, int which, long long n)
{
    return which == 0 ? sc_green_run(&p->g, n) : sc_uc_run(n);
}

/* ---- measuring ---- */

struct sc_result {
    long long iterations;
    double best_s;
};

static void sc_measure(int which, struct sc_pair *p, long long fixed, int runs, struct sc_result *r)
{
    long long n = fixed;

    if (n == 0) {
        double t;

        /* Grow a probe until it is long enough to time, then scale it to the target. */
        for (n = 1000;; n *= 4) {
            t = sc_pair_time(p, which, n);
            if (t >= SC_CALIB_MIN_S || n >= SC_MAX_ITERATIONS / 4)
                break;
        }
        n = (long long)((double)n * SC_TARGET_S / (t > 0 ? t : 1e-9));
        if (n < 1)
            n = 1;
        if (n > SC_MAX_ITERATIONS)
            n = SC_MAX_ITERATIONS;
    }
    r->iterations = n;
    r->best_s = 0;
    for (int i = 0; i < runs; i++) {
        double t = sc_pair_time(p, which, n);
        if (i == 0 || t < r->best_s)
            r->best_s = t;
    }
}

static double sc_ns_per_switch(const struct sc_result *r)
{
    return r->best_s * 1e9 / (2.0 * (double)r->iterations);
}

/* The options: 0 to go on, else the exit status (0 after --help, 2 after bad usage, said). */
static int sc_parse(int argc, char **argv, long long *iterations, long long *runs, int *json)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *val, *eq;
        size_t nlen;

        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            fputs(sc_usage, stdout);
            fputs(sc_help, stdout);
            return 1;
        }
        if (strcmp(arg, "--json") == 0) {
            *json = 1;
            continue;
        }
        eq = strchr(arg, '=');
        nlen = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
        if (!(nlen == strlen("--iterations") && strncmp(arg, "--iterations", nlen) == 0) &&
            !(nlen == strlen("--runs") && strncmp(arg, "--runs", nlen) == 0)) {
            if (strncmp(arg, "-", 1) == 0)
                return sc_bad_usage("unknown option '%s'", arg);
            return sc_bad_usage("unexpected argument '%s'", arg);
        }
        if (eq != NULL)
            val = eq + 1;
        else if (i + 1 < argc)
            val = argv[++i];
        else
            return sc_bad_usage("option '%.*s' needs a value", (int)nlen, arg);
        if (arg[2] == 'i') {
            if (parse_ll(val, 1, SC_MAX_ITERATIONS, iterations) < 0)
                return sc_bad_usage("--iterations must be a whole number 1..%lld, not '%s'",
                                    SC_MAX_ITERATIONS, val);
        } else if (parse_ll(val, 1, SC_MAX_RUNS, runs) < 0) {
            return sc_bad_usage("--runs must be a whole number 1..%d, not '%s'", SC_MAX_RUNS, val);
        }
    }

    return 0;
}

/* Prints both results, as text or JSON; 0, or 1 when the JSON cannot be formatted. */
static int sc_report(const struct sc_result *rg, const struct sc_result *ru, long long runs,
                     int json)
{
    double ns_g = sc_ns_per_switch(rg), ns_u = sc_ns_per_switch(ru);

    if (json) {
        json_t *root = json_pack(
            "{s:s, s:I, s:i, s:{s:s, s:s, s:I, s:f}, s:{s:s, s:s, s:I, s:f}, s:f}", "command",
            "switchcost", "runs", (json_int_t)runs, "switches_per_round_trip", 2, "green",
            "function", "green_ctx_switch", "impl", green_ctx_impl(), "round_trips",
            (json_int_t)rg->iterations, "ns_per_switch", ns_g, "swapcontext", "function",
            "swapcontext", "impl", "glibc", "round_trips", (json_int_t)ru->iterations,
            "ns_per_switch", ns_u, "ratio_swapcontext_to_green", ns_g > 0 ? ns_u / ns_g : 0.0);

        if (root == NULL ||
            json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(6)) != 0) {
            fprintf(stderr, "concbench switchcost: could not format JSON\n");
            json_decref(root);
            return 1;
        }
        fputc('\n', stdout);
        json_decref(root);
    } else {
        char name[64];

        snprintf(name, sizeof(name), "green_ctx_switch (%s)", green_ctx_impl());
        printf("Context switch cost: two contexts ping-pong; best of %lld run%s\n", runs,
               runs == 1 ? "" : "s");
        printf("  %-32s %14s %11s\n", "switch", "round trips", "ns/switch");
        printf("  %-32s %14lld %11.2f\n", name, rg->iterations, ns_g);
        printf("  %-32s %14lld %11.2f\n", "swapcontext (glibc)", ru->iterations, ns_u);
        printf("swapcontext costs %.1fx green_ctx_switch\n", ns_g > 0 ? ns_u / ns_g : 0.0);
    }
    return 0;
}

int switchcost_main(int argc, char **argv)
{
    long long iterations = 0, runs = 3;
    int json = 0, rc = sc_parse(argc, argv, &iterations, &runs, &json);
    struct sc_pair *p;
    struct sc_result rg, ru;

    if (rc != 0)
        return rc == 1 ? 0 : rc;
    p = sc_pair_new();
    if (p == NULL) {
        fprintf(stderr, "concbench switchcost: cannot set up the two contexts (out of memory, "
                        "or getcontext failed)\n");
        return 1;
    }
    sc_measure(0, p, iterations, (int)runs, &rg);
    sc_measure(1, p, iterations, (int)runs, &ru);
    rc = sc_report(&rg, &ru, runs, json);
    sc_pair_free(p);
    return rc;
}
