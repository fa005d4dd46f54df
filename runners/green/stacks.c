/* Coroutine stacks: guarded mappings while the process-wide map budget lasts, else canary-checked
 * slots of large shared regions; finished coroutines' slots wait on free lists for reuse. See
 * green.h for the layout. */
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <fcntl.h>

#include "runners/green/green_internal.h"

#define GREEN_DEFAULT_STACK ((size_t)64 * 1024)

#define GREEN_CANARY_PATTERN 0x9e3779b97f4a7c15ULL
#define GREEN_REGION_SLOTS   64                /* slots in the first shared region */
#define GREEN_REGION_MAX     ((size_t)1 << 30) /* bytes: later regions double up to this */
#define GREEN_MAPS_FALLBACK  65530             /* Linux's default vm.max_map_count */
#define GREEN_MAP_MARGIN_MIN 2048              /* mappings left for everything else */

/* ThreadSanitizer gives every fiber its own state: about 4 mappings and ~0.8 MiB (measured with
 * gcc 12's libtsan), created once per stack slot. They count against the map budget so that a
 * TSan build fails spawns cleanly instead of dying inside the runtime. */
#ifdef GREEN_TSAN
#define GREEN_FIBER_MAPS 4
#else
#define GREEN_FIBER_MAPS 0
#endif

struct green_region {
    struct green_region *next;
    char *base;
    size_t nslots, used;
};

/* Mappings held by the stacks of every scheduler in the process (guarded stack = 2, region =
 * 1), so schedulers on several threads share one budget. */
static atomic_long green_maps_used;

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

int green_stacks_init(struct green_sched *s, const struct green_config *cfg)
{
    long max_maps, others, margin, used;
    size_t stack;

    s->page = (size_t)sysconf(_SC_PAGESIZE);
    s->guard = cfg != NULL ? cfg->guard : -1;
    s->guard_limit = cfg != NULL ? cfg->guard_limit : 0;
    stack = cfg != NULL && cfg->stack_size > 0 ? cfg->stack_size : GREEN_DEFAULT_STACK;
    if (stack > SIZE_MAX / 4) {
        errno = ENOMEM;
        return -1;
    }
    s->stack_size = round_up(stack, s->page);
    s->hdr = round_up(sizeof(struct green_thread), GREEN_ALIGN) +
             round_up(green_ctx_size(), GREEN_ALIGN);
    s->guarded_len = s->page + round_up(s->stack_size + s->hdr, s->page);
    s->slot_len = round_up(s->stack_size + s->hdr + GREEN_CANARY_BYTES, s->page);
    s->region_next_slots = GREEN_REGION_SLOTS;
    s->copy = cfg != NULL && cfg->copy_stack;
    s->copy_expected = cfg != NULL ? cfg->expected : 0;

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
    return s->copy ? green_copy_init(s) : 0;
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

/* Reuses a finished coroutine's stack, else maps one as the guard mode says. */
struct green_thread *green_slot_get(struct green_sched *s, int *err)
{
    struct green_thread *g;
    int under_limit = s->guard_limit == 0 || s->n_guarded < s->guard_limit;

    if (s->copy)
        return green_copy_slot_get(s, err);
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

/* The canary of an unguarded stack is damaged: the coroutine wrote below its stack, into the
 * top of the slot below, where another coroutine's struct and live frames are. Nothing on that
 * stack can be trusted any more, so count it, say what happened and stop the process (policy
 * documented in green.h) rather than let a corrupted coroutine run. */
void green_canary_check(struct green_sched *s, struct green_thread *g)
{
    const uint64_t *c = (const uint64_t *)(green_lo(s, g) - GREEN_CANARY_BYTES);
    uint64_t want = canary_of(c);

    if (c[0] == want && c[1] == want)
        return;
    s->overflows++;
    fprintf(stderr,
            "green: stack overflow in coroutine %d: it used more than its %zu-byte stack, which "
            "has no guard page (vm.max_map_count budget), and wrote into the neighbouring "
            "stack; detected by the canary when it %s. Give coroutines bigger stacks (concbench: "
            "-m green:stack_kib=N). Aborting.\n",
            g->id, green_usable(s, g), G_LOAD(g->state) == G_DONE ? "returned" : "switched out");
    abort();
}

void green_slot_release(struct green_sched *s, struct green_thread *g)
{
    G_STORE(g->state, G_FREE);
    if (s->copy) {
        green_copy_release(s, g);
        return;
    }
    if (g->guarded) {
        g->next = s->free_guarded;
        s->free_guarded = g;
    } else {
        g->next = s->free_unguarded;
        s->free_unguarded = g;
    }
}

void green_stacks_free(struct green_sched *s)
{
    struct green_thread *g, *next;
    struct green_region *r, *rnext;
    long maps = 0;

    if (s->copy) {
        green_copy_free(s);
        return;
    }
    for (g = s->all; g != NULL; g = next) {
        next = g->all_next; /* g lives in the mapping about to go */
#ifdef GREEN_TSAN
        if (g->tsan_fiber != NULL)
            __tsan_destroy_fiber(g->tsan_fiber);
#endif
        if (g->guarded) {
#ifdef GREEN_ASAN
            __asan_unpoison_memory_region(green_lo(s, g), green_usable(s, g));
#endif
            munmap(green_lo(s, g) - s->page, s->guarded_len);
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

void green_stack_bounds(const struct green_thread *g, void **lo, size_t *size)
{
    *lo = green_lo(g->sched, g);
    *size = green_usable(g->sched, g);
}
