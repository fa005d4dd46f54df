/* Green-thread scheduler (the hub) and coroutine stacks. See green.h for the design and the
 * stack layout; this file keeps to that: a FIFO run queue, libuv for everything that waits, and
 * stacks that are either guarded mappings or canary-checked slots of a shared region. */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <fcntl.h>

#include "runners/green/green.h"

#if defined(__SANITIZE_ADDRESS__)
#define GREEN_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define GREEN_TSAN 1
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer) && !defined(GREEN_ASAN)
#define GREEN_ASAN 1
#endif
#if __has_feature(thread_sanitizer) && !defined(GREEN_TSAN)
#define GREEN_TSAN 1
#endif
#endif

/* Without a sanitizer (which reports overflows itself), a SIGSEGV handler on an alternate stack
 * names the coroutine whose stack overflowed before the process dies of the signal. */
#if !defined(GREEN_ASAN) && !defined(GREEN_TSAN)
#define GREEN_SEGV_HINT 1
#define GREEN_ALTSTACK  (64 * 1024)
#endif

#ifdef GREEN_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef GREEN_TSAN
#include <sanitizer/tsan_interface.h>
#endif

#define GREEN_DEFAULT_STACK  ((size_t)64 * 1024)
#define GREEN_CANARY_BYTES   16
#define GREEN_CANARY_PATTERN 0x9e3779b97f4a7c15ULL
#define GREEN_REGION_SLOTS   64                /* slots in the first shared region */
#define GREEN_REGION_MAX     ((size_t)1 << 30) /* bytes: later regions double up to this */
#define GREEN_MAPS_FALLBACK  65530             /* Linux's default vm.max_map_count */
#define GREEN_MAP_MARGIN_MIN 2048              /* mappings left for everything else */
#define GREEN_ALIGN          16

/* ThreadSanitizer gives every fiber its own state: about 4 mappings and ~0.8 MiB (measured with
 * gcc 12's libtsan), created once per stack slot. They count against the map budget so that a
 * TSan build fails spawns cleanly instead of dying inside the runtime. */
#ifdef GREEN_TSAN
#define GREEN_FIBER_MAPS 4
#else
#define GREEN_FIBER_MAPS 0
#endif

enum green_state {
    G_FREE,     /* slot on a free list */
    G_RUNNABLE, /* in the run queue */
    G_RUNNING,
    G_PARKED,
    G_DONE, /* returned; the hub puts the slot on a free list */
};

/* Lives at the top of its own stack slot, followed by the saved context. */
struct green_thread {
    struct green_thread *next;     /* run queue or free list */
    struct green_thread *all_next; /* every slot of the scheduler, for green_sched_free */
    struct green_sched *sched;
    void (*fn)(void *arg);
    void *arg;
    char *lo; /* lowest usable stack byte; the canary, if any, is just below */
    int id;
    unsigned char state;
    unsigned char guarded;
    unsigned char woken;   /* a wake arrived while running or queued: next park returns */
    unsigned char started; /* the slot's context exists (green_entry's loop is on the stack) */
#ifdef GREEN_ASAN
    void *asan_fake;
#endif
#ifdef GREEN_TSAN
    void *tsan_fiber;
#endif
};

struct green_region {
    struct green_region *next;
    char *base;
    size_t nslots, used;
};

struct green_sched {
    uv_loop_t *loop;
    int guard;     /* -1 auto, 0 off, 1 on */
    int guard_off; /* auto mode ran out of map budget: new stacks come unguarded */
    size_t page;
    size_t stack_size;  /* configured usable size, page rounded */
    size_t hdr;         /* struct + context at the top of each slot */
    size_t guarded_len; /* one guarded mapping, guard page included */
    size_t slot_len;    /* one slot of a shared region, canary included */
    size_t guard_limit; /* from the config; 0 = only the map budget limits */
    long map_cap;       /* mappings all schedulers' stacks may use together */
    size_t n_guarded, n_unguarded, guard_off_at;
    unsigned long overflows;
    size_t live; /* spawned, not returned */
    int next_id;
    struct green_thread *runq_head, *runq_tail;
    size_t runq_len;
    struct green_thread *free_guarded, *free_unguarded;
    struct green_thread *all;
    struct green_region *regions;
    size_t region_next_slots;
    struct green_thread *current;
    struct green_ctx *hub;
#ifdef GREEN_SEGV_HINT
    void *altstack;
    stack_t old_altstack;
    struct sigaction old_segv, old_bus;
#endif
#ifdef GREEN_ASAN
    void *hub_fake;
    const void *hub_bottom;
    size_t hub_size;
#endif
#ifdef GREEN_TSAN
    void *hub_fiber;
#endif
};

/* Mappings held by the stacks of every scheduler in the process (guarded stack = 2, region =
 * 1), so schedulers on several threads share one budget. */
static atomic_long green_maps_used;
static _Thread_local struct green_sched *green_tls; /* the scheduler running on this thread */

static size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) / to * to;
}

static struct green_ctx *ctx_of(struct green_thread *g)
{
    return (struct green_ctx *)((char *)g + round_up(sizeof(*g), GREEN_ALIGN));
}

static size_t usable_of(const struct green_thread *g)
{
    return (size_t)((const char *)g - g->lo);
}

/* Takes n mappings from the process-wide budget; 0, or -1 when that would exceed s->map_cap. */
static int maps_reserve(const struct green_sched *s, long n)
{
    if (n == 0)
        return 0;
    if (atomic_fetch_add(&green_maps_used, n) + n > s->map_cap) {
        atomic_fetch_sub(&green_maps_used, n);
        return -1;
    }
    return 0;
}

static uint64_t canary_of(const void *where)
{
    return GREEN_CANARY_PATTERN ^ (uint64_t)(uintptr_t)where;
}

static long read_long_file(const char *path, long fallback)
{
    char buf[64];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n;
    long v;
    char *end;

    if (fd < 0)
        return fallback;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return fallback;
    buf[n] = '\0';
    v = strtol(buf, &end, 10);
    return end == buf || v <= 0 ? fallback : v;
}

long green_max_map_count(void)
{
    static atomic_long cached;
    long v = atomic_load(&cached);

    if (v == 0) {
        v = read_long_file("/proc/sys/vm/max_map_count", GREEN_MAPS_FALLBACK);
        atomic_store(&cached, v);
    }
    return v;
}

/* Lines of /proc/self/maps: the mappings the process holds now. -1 if unreadable. */
static long count_maps(void)
{
    char buf[16384];
    long lines = 0;
    ssize_t n;
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return -1;
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        for (ssize_t i = 0; i < n; i++)
            lines += buf[i] == '\n';
    close(fd);
    return n < 0 ? -1 : lines;
}

struct green_sched *green_sched_new(uv_loop_t *loop, const struct green_config *cfg)
{
    struct green_sched *s;
    long max_maps, others, margin, used;
    size_t stack;

    if (loop == NULL || (cfg != NULL && (cfg->guard < -1 || cfg->guard > 1))) {
        errno = EINVAL;
        return NULL;
    }
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        return NULL;
    s->hub = aligned_alloc(GREEN_ALIGN, round_up(green_ctx_size(), GREEN_ALIGN));
    if (s->hub == NULL) {
        free(s);
        errno = ENOMEM;
        return NULL;
    }
    s->loop = loop;
    s->page = (size_t)sysconf(_SC_PAGESIZE);
    s->guard = cfg != NULL ? cfg->guard : -1;
    s->guard_limit = cfg != NULL ? cfg->guard_limit : 0;
    stack = cfg != NULL && cfg->stack_size > 0 ? cfg->stack_size : GREEN_DEFAULT_STACK;
    if (stack > SIZE_MAX / 4) {
        free(s->hub);
        free(s);
        errno = ENOMEM;
        return NULL;
    }
    s->stack_size = round_up(stack, s->page);
    s->hdr = round_up(sizeof(struct green_thread), GREEN_ALIGN) +
             round_up(green_ctx_size(), GREEN_ALIGN);
    s->guarded_len = s->page + round_up(s->stack_size + s->hdr, s->page);
    s->slot_len = round_up(s->stack_size + s->hdr + GREEN_CANARY_BYTES, s->page);
    s->region_next_slots = GREEN_REGION_SLOTS;

    /* The map budget: vm.max_map_count minus what the rest of the process holds, minus a margin
     * for what it will still map (malloc arenas, libuv, curl, shared records). */
    max_maps = green_max_map_count();
    used = atomic_load(&green_maps_used);
    others = count_maps();
    others = others < 0 ? 1000 : others - used;
    if (others < 0)
        others = 0;
    margin = max_maps / 8 > GREEN_MAP_MARGIN_MIN ? max_maps / 8 : GREEN_MAP_MARGIN_MIN;
    s->map_cap = max_maps - others - margin;
    return s;
}

/* A new stack with a guard page: its own mapping, split in two by mprotect. */
static struct green_thread *slot_new_guarded(struct green_sched *s, int *err)
{
    const long cost = 2 + GREEN_FIBER_MAPS;
    struct green_thread *g;
    char *map;

    if (maps_reserve(s, cost) != 0) {
        *err = ENOMEM;
        return NULL;
    }
    map = mmap(NULL, s->guarded_len, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (map == MAP_FAILED) {
        *err = errno;
        atomic_fetch_sub(&green_maps_used, cost);
        return NULL;
    }
    if (mprotect(map, s->page, PROT_NONE) != 0) {
        *err = errno;
        munmap(map, s->guarded_len);
        atomic_fetch_sub(&green_maps_used, cost);
        return NULL;
    }
#ifdef GREEN_ASAN
    /* Shadow is not cleared by munmap: whoever had these addresses may have left poison. */
    __asan_unpoison_memory_region(map + s->page, s->guarded_len - s->page);
#endif
    g = (struct green_thread *)(map + s->guarded_len - s->hdr);
    memset(g, 0, sizeof(*g));
    g->lo = map + s->page;
    g->guarded = 1;
    g->all_next = s->all;
    s->all = g;
    s->n_guarded++;
    return g;
}

/* Slots of a region are shifted down by the canary's size from page boundaries: a slot's canary
 * is then the last bytes of the page that holds the top of the slot below (its struct and newest
 * frames), a page that is resident anyway. Page-aligned slots would put every canary alone on a
 * page and cost one more resident page per coroutine. The first canary gets a page of its own. */
static size_t region_len(const struct green_sched *s, size_t nslots)
{
    return nslots * s->slot_len + s->page;
}

/* A new stack without a guard page: the next slot of the current shared region, or of a new
 * region twice the size of the previous one (up to GREEN_REGION_MAX). */
static struct green_thread *slot_new_unguarded(struct green_sched *s, int *err)
{
    struct green_region *r = s->regions;
    struct green_thread *g;
    uint64_t *canary;
    char *slot;

    if (maps_reserve(s, GREEN_FIBER_MAPS) != 0) {
        *err = ENOMEM;
        return NULL;
    }
    if (r == NULL || r->used == r->nslots) {
        size_t n = s->region_next_slots;
        size_t max_n = GREEN_REGION_MAX / s->slot_len;
        char *base;

        if (max_n < 1)
            max_n = 1;
        if (n > max_n)
            n = max_n;
        r = malloc(sizeof(*r));
        if (r == NULL) {
            atomic_fetch_sub(&green_maps_used, GREEN_FIBER_MAPS);
            *err = ENOMEM;
            return NULL;
        }
        base = mmap(NULL, region_len(s, n), PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
        if (base == MAP_FAILED) {
            atomic_fetch_sub(&green_maps_used, GREEN_FIBER_MAPS);
            *err = errno;
            free(r);
            return NULL;
        }
        /* Each stack touches a page or two at its top: huge pages would commit whole stacks. */
        madvise(base, region_len(s, n), MADV_NOHUGEPAGE);
#ifdef GREEN_ASAN
        __asan_unpoison_memory_region(base, region_len(s, n));
#endif
        atomic_fetch_add(&green_maps_used, 1);
        r->base = base;
        r->nslots = n;
        r->used = 0;
        r->next = s->regions;
        s->regions = r;
        s->region_next_slots = n * 2;
    }
    slot = r->base + s->page - GREEN_CANARY_BYTES + r->used++ * s->slot_len;
    canary = (uint64_t *)slot;
    canary[0] = canary[1] = canary_of(slot);
    g = (struct green_thread *)(slot + s->slot_len - s->hdr);
    memset(g, 0, sizeof(*g));
    g->lo = slot + GREEN_CANARY_BYTES;
    g->guarded = 0;
    g->all_next = s->all;
    s->all = g;
    s->n_unguarded++;
    return g;
}

static struct green_thread *pop_free(struct green_thread **list)
{
    struct green_thread *g = *list;

    if (g != NULL)
        *list = g->next;
    return g;
}

/* A stack for a new coroutine: reuse a finished one's, else map one as the guard mode says. */
static struct green_thread *slot_get(struct green_sched *s, int *err)
{
    struct green_thread *g;
    int under_limit = s->guard_limit == 0 || s->n_guarded < s->guard_limit;

    if (s->guard != 0 && (g = pop_free(&s->free_guarded)) != NULL)
        return g;
    if (s->guard == 1) {
        if (!under_limit) {
            *err = ENOMEM;
            return NULL;
        }
        return slot_new_guarded(s, err);
    }
    if (s->guard == -1 && !s->guard_off) {
        if (under_limit && (g = slot_new_guarded(s, err)) != NULL)
            return g;
        if (under_limit && *err != ENOMEM)
            return NULL;
        /* The map budget (or the configured limit) is used up: from now on, canaries. */
        s->guard_off = 1;
        s->guard_off_at = s->n_guarded;
    }
    if ((g = pop_free(&s->free_unguarded)) != NULL)
        return g;
    return slot_new_unguarded(s, err);
}

static void runq_push(struct green_sched *s, struct green_thread *g)
{
    g->next = NULL;
    if (s->runq_tail != NULL)
        s->runq_tail->next = g;
    else
        s->runq_head = g;
    s->runq_tail = g;
    s->runq_len++;
}

static struct green_thread *runq_pop(struct green_sched *s)
{
    struct green_thread *g = s->runq_head;

    if (g != NULL) {
        s->runq_head = g->next;
        if (s->runq_head == NULL)
            s->runq_tail = NULL;
        s->runq_len--;
    }
    return g;
}

static void switch_to_hub(struct green_sched *s, struct green_thread *g);

/* The bottom of every slot's stack. One context serves every coroutine that ever runs in the
 * slot: after fn returns, the slot parks here as G_DONE, and a later spawn that reuses the slot
 * just sets fn/arg and lets the hub resume it. No context to rebuild, and the sanitizers see
 * balanced calls on a fiber that lives as long as the slot. */
static void green_entry(void *arg)
{
    struct green_thread *g = arg;

#ifdef GREEN_ASAN
    __sanitizer_finish_switch_fiber(NULL, &g->sched->hub_bottom, &g->sched->hub_size);
#endif
    for (;;) {
        g->fn(g->arg);
        g->state = G_DONE;
        g->sched->live--;
        switch_to_hub(g->sched, g);
    }
}

int green_spawn(struct green_sched *s, void (*fn)(void *arg), void *arg)
{
    struct green_thread *g;
    int err = 0;

    if (s == NULL || fn == NULL)
        return -EINVAL;
    g = slot_get(s, &err);
    if (g == NULL)
        return -(err > 0 ? err : ENOMEM);
    g->sched = s;
    g->fn = fn;
    g->arg = arg;
    g->id = s->next_id++;
    g->state = G_RUNNABLE;
    g->woken = 0;
    if (!g->started) {
        green_ctx_make(ctx_of(g), g->lo, usable_of(g), green_entry, g);
        g->started = 1;
    }
    runq_push(s, g);
    s->live++;
    return 0;
}

/* The canary of an unguarded stack is damaged: the coroutine wrote below its stack, into the
 * top of the slot below, where another coroutine's struct and live frames are. Nothing on that
 * stack can be trusted any more, so count it, say what happened and stop the process (policy
 * documented in green.h) rather than let a corrupted coroutine run. */
static void canary_check(struct green_sched *s, struct green_thread *g)
{
    const uint64_t *c = (const uint64_t *)(g->lo - GREEN_CANARY_BYTES);
    uint64_t want = canary_of(c);

    if (c[0] == want && c[1] == want)
        return;
    s->overflows++;
    fprintf(stderr,
            "green: stack overflow in coroutine %d: it used more than its %zu-byte stack, which "
            "has no guard page (vm.max_map_count budget), and wrote into the neighbouring "
            "stack; detected by the canary when it %s. Give coroutines bigger stacks (concbench: "
            "-m green:stack_kib=N). Aborting.\n",
            g->id, usable_of(g), g->state == G_DONE ? "returned" : "switched out");
    abort();
}

static void slot_release(struct green_sched *s, struct green_thread *g)
{
    g->state = G_FREE;
    if (g->guarded) {
        g->next = s->free_guarded;
        s->free_guarded = g;
    } else {
        g->next = s->free_unguarded;
        s->free_unguarded = g;
    }
}

/* Hub side: run g until it parks, yields or returns. */
static void hub_run_one(struct green_sched *s, struct green_thread *g)
{
    s->current = g;
    g->state = G_RUNNING;
#ifdef GREEN_TSAN
    if (g->tsan_fiber == NULL)
        g->tsan_fiber = __tsan_create_fiber(0); /* once per slot, destroyed with the scheduler */
    __tsan_switch_to_fiber(g->tsan_fiber, 0);
#endif
#ifdef GREEN_ASAN
    __sanitizer_start_switch_fiber(&s->hub_fake, g->lo, usable_of(g));
#endif
    green_ctx_switch(s->hub, ctx_of(g));
#ifdef GREEN_ASAN
    __sanitizer_finish_switch_fiber(s->hub_fake, NULL, NULL);
#endif
    s->current = NULL;
    if (!g->guarded)
        canary_check(s, g);
    if (g->state == G_DONE)
        slot_release(s, g);
}

/* Coroutine side: back to the hub; returns when the hub runs g again (for a finished coroutine:
 * when its slot is reused). */
static void switch_to_hub(struct green_sched *s, struct green_thread *g)
{
#ifdef GREEN_TSAN
    __tsan_switch_to_fiber(s->hub_fiber, 0);
#endif
#ifdef GREEN_ASAN
    __sanitizer_start_switch_fiber(&g->asan_fake, s->hub_bottom, s->hub_size);
#endif
    green_ctx_switch(ctx_of(g), s->hub);
#ifdef GREEN_ASAN
    __sanitizer_finish_switch_fiber(g->asan_fake, &s->hub_bottom, &s->hub_size);
#endif
}

#ifdef GREEN_SEGV_HINT
/* Appends the decimal digits of v to buf at *len (async-signal-safe). */
static void hint_num(char *buf, size_t *len, size_t cap, unsigned long v)
{
    char digits[24];
    int n = 0;

    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    while (n > 0 && *len < cap)
        buf[(*len)++] = digits[--n];
}

static void hint_str(char *buf, size_t *len, size_t cap, const char *str)
{
    while (*str != '\0' && *len < cap)
        buf[(*len)++] = *str++;
}

static void hint_restore(struct green_sched *s)
{
    sigaction(SIGSEGV, &s->old_segv, NULL);
    sigaction(SIGBUS, &s->old_bus, NULL);
}

/* A fault just below the running coroutine's stack is an overflow: say so, put the previous
 * handlers back and return, so the access faults again and the process dies (or the previous
 * handler deals with it) as it would have without us. */
static void segv_hint(int sig, siginfo_t *si, void *uc)
{
    struct green_sched *s = green_tls;
    struct green_thread *g = s != NULL ? s->current : NULL;
    const char *addr = si->si_addr;

    (void)sig;
    (void)uc;
    if (s == NULL)
        return; /* cannot happen: installed only while a hub runs */
    if (g != NULL && addr < g->lo && addr >= g->lo - ((size_t)1 << 20)) {
        char msg[320];
        size_t len = 0;

        hint_str(msg, &len, sizeof(msg), "green: stack overflow in coroutine ");
        hint_num(msg, &len, sizeof(msg), (unsigned long)g->id);
        hint_str(msg, &len, sizeof(msg), ": it needed more than its ");
        hint_num(msg, &len, sizeof(msg), usable_of(g) / 1024);
        hint_str(msg, &len, sizeof(msg),
                 " KiB stack. Give coroutines bigger stacks (concbench: -m green:stack_kib=N)\n");
        if (write(2, msg, len) < 0) {
            /* nothing else to do in a signal handler */
        }
    }
    hint_restore(s);
}

static void hint_install(struct green_sched *s)
{
    struct sigaction sa;
    stack_t ss;

    if (s->altstack == NULL) {
        s->altstack = mmap(NULL, GREEN_ALTSTACK, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (s->altstack == MAP_FAILED) {
            s->altstack = NULL;
            return;
        }
    }
    ss.ss_sp = s->altstack;
    ss.ss_size = GREEN_ALTSTACK;
    ss.ss_flags = 0;
    if (sigaltstack(&ss, &s->old_altstack) != 0)
        return;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = segv_hint;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &s->old_segv);
    sigaction(SIGBUS, &sa, &s->old_bus);
}

static void hint_remove(struct green_sched *s)
{
    if (s->altstack == NULL)
        return;
    hint_restore(s);
    sigaltstack(&s->old_altstack, NULL);
}
#endif

int green_sched_run(struct green_sched *s)
{
    struct green_sched *outer = green_tls;
    int rc = 0;

    if (s == NULL)
        return -EINVAL;
    if (outer != NULL && outer->current != NULL)
        return -EINVAL; /* called from inside a coroutine */
    green_tls = s;
#ifdef GREEN_SEGV_HINT
    hint_install(s);
#endif
#ifdef GREEN_TSAN
    s->hub_fiber = __tsan_get_current_fiber();
#endif
    while (s->live > 0) {
        if (s->runq_head != NULL) {
            /* One round: the coroutines queued now. Those queued meanwhile (yield, wake from a
             * coroutine) wait for the next round, after a non-blocking look at the loop, so a
             * coroutine that keeps yielding cannot starve I/O. */
            for (size_t n = s->runq_len; n > 0 && s->runq_head != NULL; n--)
                hub_run_one(s, runq_pop(s));
            if (s->runq_head != NULL)
                uv_run(s->loop, UV_RUN_NOWAIT);
            continue;
        }
        if (!uv_loop_alive(s->loop)) {
            rc = -EDEADLK; /* parked coroutines, and nothing left that could wake one */
            break;
        }
        uv_run(s->loop, UV_RUN_ONCE);
    }
#ifdef GREEN_SEGV_HINT
    hint_remove(s);
#endif
    green_tls = outer;
    return rc;
}

void green_sched_free(struct green_sched *s)
{
    struct green_thread *g, *next;
    struct green_region *r, *rnext;
    long maps = 0;

    if (s == NULL)
        return;
    for (g = s->all; g != NULL; g = next) {
        next = g->all_next; /* g lives in the mapping about to go */
#ifdef GREEN_TSAN
        if (g->tsan_fiber != NULL)
            __tsan_destroy_fiber(g->tsan_fiber);
#endif
        if (g->guarded) {
#ifdef GREEN_ASAN
            __asan_unpoison_memory_region(g->lo, usable_of(g));
#endif
            munmap(g->lo - s->page, s->guarded_len);
            maps += 2;
        }
        maps += GREEN_FIBER_MAPS;
    }
    for (r = s->regions; r != NULL; r = rnext) {
        rnext = r->next;
#ifdef GREEN_ASAN
        __asan_unpoison_memory_region(r->base, region_len(s, r->used));
#endif
        munmap(r->base, region_len(s, r->nslots));
        maps += 1;
        free(r);
    }
    atomic_fetch_sub(&green_maps_used, maps);
#ifdef GREEN_SEGV_HINT
    if (s->altstack != NULL)
        munmap(s->altstack, GREEN_ALTSTACK);
#endif
    free(s->hub);
    free(s);
}

static struct green_thread *current_or_die(const char *what)
{
    struct green_sched *s = green_tls;

    if (s == NULL || s->current == NULL) {
        fprintf(stderr, "green: %s called outside a coroutine\n", what);
        abort();
    }
    return s->current;
}

struct green_thread *green_self(void)
{
    return green_tls != NULL ? green_tls->current : NULL;
}

int green_id(const struct green_thread *g)
{
    return g != NULL ? g->id : -1;
}

void green_park(void)
{
    struct green_thread *g = current_or_die("green_park");

    if (g->woken) {
        g->woken = 0;
        return;
    }
    g->state = G_PARKED;
    switch_to_hub(g->sched, g);
}

void green_yield(void)
{
    struct green_thread *g = current_or_die("green_yield");

    g->state = G_RUNNABLE;
    runq_push(g->sched, g);
    switch_to_hub(g->sched, g);
}

void green_wake(struct green_thread *g)
{
    if (g == NULL)
        return;
    switch (g->state) {
    case G_PARKED:
        g->state = G_RUNNABLE;
        runq_push(g->sched, g);
        break;
    case G_RUNNING:
    case G_RUNNABLE:
        g->woken = 1;
        break;
    default: /* returned already: a late wake is harmless */
        break;
    }
}

int green_sched_guarded(const struct green_sched *s)
{
    return s->guard != 0 && s->n_unguarded == 0;
}

size_t green_sched_stack_size(const struct green_sched *s)
{
    return s->stack_size;
}

unsigned long green_sched_overflows(const struct green_sched *s)
{
    return s->overflows;
}

size_t green_sched_stacks(const struct green_sched *s)
{
    return s->n_guarded + s->n_unguarded;
}

size_t green_sched_unguarded(const struct green_sched *s)
{
    return s->n_unguarded;
}

size_t green_sched_guard_off_at(const struct green_sched *s)
{
    return s->guard_off ? s->guard_off_at : 0;
}

size_t green_sched_live(const struct green_sched *s)
{
    return s->live;
}

void green_stack_bounds(const struct green_thread *g, void **lo, size_t *size)
{
    *lo = g->lo;
    *size = usable_of(g);
}
