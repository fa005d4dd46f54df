/* stack=copy: one run stack for every coroutine (see green.h). A coroutine's frames stay on the
 * run stack after it parks; only when another coroutine is about to run there are they copied
 * out, just the used part (from the saved stack pointer to the top), into a buffer the coroutine
 * keeps and reuses. They are copied back, to the same addresses, before it runs again, so
 * pointers within its own stack stay valid. Coroutine structs come from chunks and are reused.
 * Saved frames come from a pool of size classes (GREEN_COPY_CLASS bytes apart, up to
 * GREEN_COPY_CLASSES of them), carved from huge-page arenas: a parked coroutine keeps its frames
 * rounded up to the next class, not a fixed room; larger frames are malloc'd. A coroutine that
 * returns gives its buffer back to its class's free list.
 *
 * Frames of up to GREEN_COPY_DELTA_MAX bytes are kept as their difference from a template, the
 * first frame of their length the scheduler saved: a mask of the 8-byte words that differ, then
 * those words. Coroutines parked at the same place differ in a few words (their own pointers);
 * return addresses, saved constants and the switch's registers repeat. The runner's 128 bytes of
 * frames keep 3 words of their own (x86-64, gcc 12): 32 bytes. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "common/bulk_alloc.h"
#include "runners/green/green_internal.h"

#define GREEN_COPY_CHUNK_MIN 256   /* coroutine structs in the first chunk, doubling up to... */
#define GREEN_COPY_CHUNK_MAX 16384 /* ... this many */
/* A coroutine of the green runner parks with 128 bytes of frames (x86-64, gcc 12 -O3: sleep and
 * io_bound alike), 3 words of them its own: kept against the template, its class is 32 bytes. */
#define GREEN_COPY_CLASS   16
#define GREEN_COPY_CLASSES 64 /* up to 1 KiB */
#define GREEN_COPY_ARENA   (2u << 20)
#define GREEN_COPY_WORD    8
#define GREEN_COPY_DELTA_MAX                                                                       \
    (64 *                                                                                          \
     GREEN_COPY_WORD) /* a frame's words fit the mask's 64 bits (stack pointers are 8-aligned) */

struct green_copy_arena {
    struct green_copy_arena *next;
    size_t bytes;
};

struct green_copy_pool {
    void *free[GREEN_COPY_CLASSES + 1]; /* per class (1..GREEN_COPY_CLASSES): buffers given back */
    struct green_copy_arena *arenas;
    char *bump;
    size_t left;
    size_t held;     /* bytes of class buffers held by coroutines */
    size_t expected; /* coroutines announced (green_config.expected), 0 = unknown */
    /* per length (in words, 1..64): the first frame of that length saved, which frames of the
     * same length are kept as a difference from; never changed until the scheduler is freed */
    unsigned char *tmpl[GREEN_COPY_DELTA_MAX / GREEN_COPY_WORD + 1];
};

struct green_copy_chunk {
    struct green_copy_chunk *next;
    size_t used, size, bytes;
    char slots[]; /* size of elem_size(): struct and context */
};

/* A struct and its context (a saved stack pointer) in all_next's room (ctx_of): no stack
 * follows, so 8-byte alignment does (a slot's header is rounded to 16 for the stack below it). */
static size_t elem_size(const struct green_sched *s)
{
    (void)s;
    return round_up(offsetof(struct green_thread, all_next) + green_ctx_size(), sizeof(void *));
}

static struct green_thread *elem_at(const struct green_sched *s, struct green_copy_chunk *c,
                                    size_t i)
{
    return (struct green_thread *)(c->slots + i * elem_size(s));
}

/* With the number of coroutines announced, the first arena holds that many frames of the size of
 * the first one saved (the compiler and the target decide the runner's: all park alike),
 * allocated and populated at once rather than 2 MiB at a time. The very first frame saved is its
 * template's own (a mask alone, the smallest class), so the runner's others take further arenas
 * after that one. */
static size_t first_arena(const struct green_copy_pool *p, size_t size)
{
    size_t head = round_up(sizeof(struct green_copy_arena), GREEN_ALIGN);

    if (p->arenas != NULL || p->expected == 0 || p->expected > (SIZE_MAX / 4 - head) / size)
        return GREEN_COPY_ARENA;
    return bulk_round(head + p->expected * size) > GREEN_COPY_ARENA
               ? bulk_round(head + p->expected * size)
               : GREEN_COPY_ARENA;
}

/* A buffer of class c (c * GREEN_COPY_CLASS bytes), or NULL when memory ran out. */
static void *class_get(struct green_copy_pool *p, size_t c)
{
    size_t size = c * GREEN_COPY_CLASS;
    void *b = p->free[c];

    if (b != NULL) {
        memcpy(&p->free[c], b, sizeof(void *));
    } else {
        if (p->left < size) {
            size_t bytes = first_arena(p, size);
            struct green_copy_arena *a = bulk_alloc(bytes);
            if (a == NULL && bytes > GREEN_COPY_ARENA)
                a = bulk_alloc(bytes = GREEN_COPY_ARENA);
            if (a == NULL)
                return NULL;
            a->bytes = bytes;
            a->next = p->arenas;
            p->arenas = a;
            p->bump = (char *)a + round_up(sizeof(*a), GREEN_ALIGN);
            p->left = bytes - round_up(sizeof(*a), GREEN_ALIGN);
        }
        b = p->bump;
        p->bump += size;
        p->left -= size;
    }
    p->held += size;
    return b;
}

/* The class of a buffer for len bytes of frames (0: above the largest, malloc'd). A buffer's
 * size follows from the length of what it holds, so the struct keeps no capacity. */
static size_t class_of(size_t len)
{
    size_t c = (len + GREEN_COPY_CLASS - 1) / GREEN_COPY_CLASS;

    return c == 0 ? 1 : c <= GREEN_COPY_CLASSES ? c : 0;
}

/* Whether frames of len bytes are kept as a difference from their length's template. */
static int delta_kept(size_t len)
{
    return len > 0 && len <= GREEN_COPY_DELTA_MAX;
}

/* The bytes a buffer holding len bytes of frames uses: the mask and the words that differ from
 * the template, or the frames as they are. */
static size_t stored_len(size_t len, const void *saved)
{
    uint64_t mask;

    if (!delta_kept(len))
        return len;
    memcpy(&mask, saved, sizeof(mask));
    return sizeof(mask) + GREEN_COPY_WORD * (size_t)__builtin_popcountll(mask);
}

/* g's saved buffer goes back: to its class, or to malloc. */
static void frame_put(struct green_sched *s, struct green_thread *g)
{
    struct green_copy_pool *p = s->pool;
    size_t c;

    if (g->u.copy.saved == NULL)
        return;
    c = class_of(stored_len(g->u.copy.len, g->u.copy.saved));
    if (c > 0) {
        memcpy(g->u.copy.saved, &p->free[c], sizeof(void *));
        p->free[c] = g->u.copy.saved;
        p->held -= c * GREEN_COPY_CLASS;
    } else {
        free(g->u.copy.saved); /* saved_bytes counts what was ever malloc'd */
        s->saved_mallocs--;
    }
    g->u.copy.saved = NULL;
    g->u.copy.len = 0;
}

/* A buffer of len bytes for g's frames: the smallest class that holds them, else malloc. 0, or
 * -1 when memory ran out. */
static int frame_get(struct green_sched *s, struct green_thread *g, size_t len)
{
    size_t c = class_of(len);
    void *b = c > 0 ? class_get(s->pool, c) : malloc(len);

    if (b == NULL)
        return -1;
    if (c == 0) {
        s->saved_bytes += len;
        s->saved_mallocs++;
    }
    g->u.copy.saved = b;
    return 0;
}

int green_copy_stack_supported(void)
{
#if defined(GREEN_ASAN) || defined(GREEN_TSAN)
    return 0; /* the sanitizers' fiber tracking expects a stack per fiber */
#else
    /* ucontext keeps the registers outside the stack: there is no stack pointer to copy from */
    return strcmp(green_ctx_impl(), "ucontext") != 0;
#endif
}

int green_copy_init(struct green_sched *s)
{
    if (!green_copy_stack_supported()) {
        errno = ENOTSUP;
        return -1;
    }
    if (s->stack_size >= UINT32_MAX) { /* the saved length is 32-bit */
        errno = EINVAL;
        return -1;
    }
    s->pool = calloc(1, sizeof(*s->pool));
    if (s->pool == NULL)
        return -1;
    s->pool->expected = s->copy_expected;
    s->run_map_len = s->page + s->stack_size;
    s->run_map = mmap(NULL, s->run_map_len, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (s->run_map == MAP_FAILED) {
        s->run_map = NULL;
        free(s->pool);
        s->pool = NULL;
        return -1;
    }
    if (mprotect(s->run_map, s->page, PROT_NONE) != 0) {
        munmap(s->run_map, s->run_map_len);
        s->run_map = NULL;
        free(s->pool);
        s->pool = NULL;
        return -1;
    }
    s->n_guarded = 1;
    return 0;
}

/* A chunk of size coroutine structs, filled up to the end of its last (huge) page. */
static struct green_copy_chunk *chunk_of(const struct green_sched *s, size_t size)
{
    size_t bytes;
    struct green_copy_chunk *c;

    if (size > (SIZE_MAX / 2 - sizeof(*c)) / elem_size(s))
        return NULL; /* more than any address space */
    bytes = bulk_round(sizeof(*c) + size * elem_size(s));
    c = bulk_alloc(bytes); /* populated at once: all will be used */
    if (c == NULL)
        return NULL;
    c->size = (bytes - sizeof(*c)) / elem_size(s);
    c->bytes = bytes;
    return c;
}

/* A chunk for more coroutine structs: the expected number at first, then twice the previous
 * one up to the maximum. When the expected number does not fit in memory, the chunks grow
 * from the minimum instead, so a spawn fails where memory really ran out (and says how many
 * coroutines fitted), not before the first. */
static struct green_copy_chunk *chunk_new(struct green_sched *s,
                                          const struct green_copy_chunk *prev)
{
    struct green_copy_chunk *c;

    if (prev == NULL && s->copy_expected > GREEN_COPY_CHUNK_MIN &&
        (c = chunk_of(s, s->copy_expected)) != NULL)
        return c;
    return chunk_of(s, prev == NULL                        ? GREEN_COPY_CHUNK_MIN
                       : prev->size < GREEN_COPY_CHUNK_MAX ? prev->size * 2
                                                           : GREEN_COPY_CHUNK_MAX);
}

struct green_thread *green_copy_slot_get(struct green_sched *s, int *err)
{
    struct green_copy_chunk *c = s->chunks;
    struct green_thread *g = s->copy_free;

    if (g != NULL) {
        s->copy_free = g->next;
        return g;
    }
    if (c == NULL || c->used == c->size) {
        c = chunk_new(s, c);
        if (c == NULL) {
            *err = ENOMEM;
            return NULL;
        }
        c->next = s->chunks;
        s->chunks = c;
    }
    g = elem_at(s, c, c->used++); /* zeroed by the mapping */
    g->guarded = 1;
    g->copied = 1;
    return g;
}

/* Whether o's buffer, now holding old bytes, is the one for len bytes: the same class, or (both
 * above the classes) no larger. A buffer of another class is traded, a larger one too, so that
 * a coroutine that once parked deep does not keep that much while shallow. */
static int frame_fits(size_t old, size_t len)
{
    size_t c = class_of(len);

    return c == class_of(old) && (c > 0 || len <= old);
}

static void out_of_memory(size_t len, const struct green_thread *o)
{
    fprintf(stderr, "green: out of memory saving the %zu-byte stack of coroutine %d\n", len, o->id);
    abort(); /* its frames are about to be overwritten: nothing else is safe */
}

/* The template for frames of len bytes (delta_kept): the first ones saved, sp's, become it. */
static const unsigned char *template_for(struct green_sched *s, const struct green_thread *o,
                                         const char *sp, size_t len)
{
    unsigned char **t = &s->pool->tmpl[len / GREEN_COPY_WORD];

    if (*t == NULL) {
        *t = malloc(len);
        if (*t == NULL)
            out_of_memory(len, o);
        memcpy(*t, sp, len);
    }
    return *t;
}

/* Bit i: word i of the frames at sp differs from the template's. */
static uint64_t delta_mask(const unsigned char *tmpl, const char *sp, size_t len)
{
    uint64_t mask = 0;

    for (size_t i = 0; i < len / GREEN_COPY_WORD; i++)
        if (memcmp(tmpl + i * GREEN_COPY_WORD, sp + i * GREEN_COPY_WORD, GREEN_COPY_WORD) != 0)
            mask |= (uint64_t)1 << i;
    return mask;
}

static void delta_save(unsigned char *out, uint64_t mask, const char *sp, size_t len)
{
    memcpy(out, &mask, sizeof(mask));
    out += sizeof(mask);
    for (size_t i = 0; i < len / GREEN_COPY_WORD; i++)
        if (mask >> i & 1) {
            memcpy(out, sp + i * GREEN_COPY_WORD, GREEN_COPY_WORD);
            out += GREEN_COPY_WORD;
        }
}

/* The frames of o, parked on the run stack, go to its buffer. */
static void copy_out(struct green_sched *s, struct green_thread *o)
{
    char *sp = green_ctx_sp(ctx_of(o));
    size_t len = (size_t)(green_top(s, o) - sp);
    const unsigned char *tmpl = delta_kept(len) ? template_for(s, o, sp, len) : NULL;
    uint64_t mask = tmpl != NULL ? delta_mask(tmpl, sp, len) : 0;
    size_t size =
        tmpl != NULL ? sizeof(mask) + GREEN_COPY_WORD * (size_t)__builtin_popcountll(mask) : len;

    if (o->u.copy.saved == NULL || !frame_fits(stored_len(o->u.copy.len, o->u.copy.saved), size)) {
        frame_put(s, o);
        if (frame_get(s, o, size) != 0)
            out_of_memory(len, o);
    }
    if (tmpl != NULL)
        delta_save(o->u.copy.saved, mask, sp, len);
    else
        memcpy(o->u.copy.saved, sp, len);
    o->u.copy.len = (uint32_t)len;
}

/* g's frames back to where they were on the run stack. */
static void copy_in(struct green_sched *s, struct green_thread *g)
{
    size_t len = g->u.copy.len;
    char *dst = green_top(s, g) - len;
    const unsigned char *in = g->u.copy.saved, *tmpl = s->pool->tmpl[len / GREEN_COPY_WORD];
    uint64_t mask;

    if (!delta_kept(len)) {
        memcpy(dst, in, len);
        return;
    }
    memcpy(&mask, in, sizeof(mask));
    in += sizeof(mask);
    for (size_t i = 0; i < len / GREEN_COPY_WORD; i++) {
        const unsigned char *w = mask >> i & 1 ? in : tmpl + i * GREEN_COPY_WORD;
        memcpy(dst + i * GREEN_COPY_WORD, w, GREEN_COPY_WORD);
        in += (mask >> i & 1) * GREEN_COPY_WORD;
    }
}

void green_copy_enter(struct green_sched *s, struct green_thread *g)
{
    struct green_thread *o = s->run_owner;

    if (o == g && g->started)
        return; /* its frames never left */
    if (o != NULL && o != g && o->started)
        copy_out(s, o);
    if (g->started) {
        copy_in(s, g);
    } else { /* its frames will hold this run stack's addresses: bound here (sched=mn) */
        green_ctx_make(ctx_of(g), green_lo(s, g), green_usable(s, g), green_copy_entry, g);
        G_STORE(g->pinned, G_LOAD(g->pinned) | G_PIN_BOUND);
    }
    g->started = 1;
    s->run_owner = g;
}

/* g returned: its frames are dead, and the struct's next coroutine starts afresh. */
void green_copy_release(struct green_sched *s, struct green_thread *g)
{
    if (s->run_owner == g)
        s->run_owner = NULL;
    g->started = 0;
    frame_put(s, g);
    g->next = s->copy_free;
    s->copy_free = g;
}

void green_copy_free_mallocs(struct green_sched **s, int n)
{
    size_t left = 0;

    for (int k = 0; k < n; k++) {
        left += s[k]->saved_mallocs; /* counted by the worker that saved them */
        s[k]->saved_mallocs = 0;
    }
    for (int k = 0; k < n && left > 0; k++)
        for (struct green_copy_chunk *c = s[k]->chunks; c != NULL && left > 0; c = c->next)
            for (size_t i = 0; left > 0 && i < c->used; i++) {
                struct green_thread *g = elem_at(s[k], c, i);
                /* an unstarted one's room holds its fn and arg */
                if (g->started && g->u.copy.saved != NULL &&
                    class_of(stored_len(g->u.copy.len, g->u.copy.saved)) == 0) {
                    free(g->u.copy.saved);
                    g->u.copy.saved = NULL;
                    left--;
                }
            }
}

void green_copy_free(struct green_sched *s)
{
    struct green_copy_chunk *c, *next;

    green_copy_free_mallocs(&s, 1); /* nothing left to free under sched=mn: it did so first */
    for (c = s->chunks; c != NULL; c = next) {
        next = c->next;
        bulk_free(c, c->bytes);
    }
    s->chunks = NULL;
    if (s->pool != NULL) {
        struct green_copy_arena *a, *an;
        for (a = s->pool->arenas; a != NULL; a = an) {
            an = a->next;
            bulk_free(a, a->bytes);
        }
        for (size_t i = 0; i < sizeof(s->pool->tmpl) / sizeof(s->pool->tmpl[0]); i++)
            free(s->pool->tmpl[i]);
        free(s->pool);
        s->pool = NULL;
    }
    if (s->run_map != NULL)
        munmap(s->run_map, s->run_map_len);
    s->run_map = NULL;
}

int green_sched_copy_stack(const struct green_sched *s)
{
    return s->copy;
}

size_t green_sched_saved_bytes(const struct green_sched *s)
{
    return s->saved_bytes;
}

size_t green_sched_pooled_bytes(const struct green_sched *s)
{
    return s->pool != NULL ? s->pool->held : 0;
}
