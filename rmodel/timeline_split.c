/* Results files read with their timelines kept compactly (timeline_split.h). */
#include "rmodel/timeline_split.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRACKED 6 /* levels whose keys matter: root 1, cases 2, a case 3, its timeline 4 */
#define KEYMAX  15

struct buf {
    char *p;
    size_t n, cap;
};

struct level {
    char obj, keypos, cases, timeline, escaped; /* escaped: the key has a \ escape */
    char key[KEYMAX + 1];
    int keylen; /* > KEYMAX: longer than any key looked for */
};

struct lexer {
    struct level lv[TRACKED];
    int depth, in_str, esc, capture, tl_depth; /* tl_depth: the open timeline array's, or 0 */
    long ci, ti;                               /* case and timeline element being read */
    int elem_text;                             /* the element has more than blanks */
    struct buf skel, elem;
    struct tl_split *s;
    struct rmr r;
    char err[1024];
};

static void put(struct buf *b, char c)
{
    if (b->n + 1 >= b->cap) {
        b->cap = b->cap ? b->cap * 2 : 65536;
        b->p = realloc(b->p, b->cap);
        if (b->p == NULL)
            abort();
    }
    b->p[b->n++] = c;
}

/* Room for case i's timeline; the file is untrusted, so a timeline may arrive for a case whose
 * "timeline" key had no ':' (broken JSON, refused later by the parser). */
static void case_room(struct tl_split *s, long i)
{
    if ((size_t)i >= s->ncases) {
        size_t n = (size_t)i + 1 > 2 * s->ncases ? (size_t)i + 1 : 2 * s->ncases;
        s->tl = realloc(s->tl, n * sizeof(*s->tl));
        s->n = realloc(s->n, n * sizeof(*s->n));
        s->cap = realloc(s->cap, n * sizeof(*s->cap));
        if (s->tl == NULL || s->n == NULL || s->cap == NULL)
            abort();
        memset(s->tl + s->ncases, 0, (n - s->ncases) * sizeof(*s->tl));
        memset(s->n + s->ncases, 0, (n - s->ncases) * sizeof(*s->n));
        memset(s->cap + s->ncases, 0, (n - s->ncases) * sizeof(*s->cap));
        s->ncases = n;
    }
}

static void case_clear(struct tl_split *s, long i)
{
    case_room(s, i);
    if (s->failed && s->failed_case == i) { /* jansson keeps the last key: so does this */
        s->failed = 0;
        free(s->failed_err);
        s->failed_err = NULL;
    }
    for (int k = 0; k < s->n[i]; k++)
        rm_task_clear(&s->tl[i][k]);
    free(s->tl[i]);
    s->tl[i] = NULL;
    s->n[i] = s->cap[i] = 0;
}

static void keep_task(struct tl_split *s, long i, const struct rm_task *t)
{
    case_room(s, i);
    if (s->n[i] == s->cap[i]) {
        s->cap[i] = s->cap[i] ? s->cap[i] * 2 : 256;
        s->tl[i] = realloc(s->tl[i], (size_t)s->cap[i] * sizeof(*s->tl[i]));
        if (s->tl[i] == NULL)
            abort();
    }
    s->tl[i][s->n[i]++] = *t;
}

/* One element's text, ended by ',' (more follow) or ']' (the last). */
static void element_end(struct lexer *x, int last)
{
    struct tl_split *s = x->s;
    char where[96];
    json_error_t e;
    json_t *j;

    if (!x->elem_text) {
        if (!last || x->ti > 0)
            s->broken = 1; /* "[," or "[1,]": not JSON */
    } else if (!s->failed && !s->broken) {
        struct rm_task t = {0};
        j = json_loadb(x->elem.p, x->elem.n, JSON_DECODE_ANY, &e);
        snprintf(where, sizeof(where), "cases[%ld].timeline[%ld]", x->ci, x->ti);
        if (j == NULL)
            s->broken = 1;
        else if (rm_task_load(&x->r, j, where, &t) != 0) {
            s->failed = 1;
            s->failed_case = x->ci;
            s->failed_err = strdup(x->err);
            rm_task_clear(&t);
        } else
            keep_task(s, x->ci, &t);
        json_decref(j);
    }
    x->elem.n = 0;
    x->elem_text = 0;
    x->ti++;
}

/* A key just read ("cases", "timeline") at level d: what it opens is noted at ':'. */
static int key_is(const struct level *l, const char *k)
{
    return l->keylen == (int)strlen(k) && memcmp(l->key, k, (size_t)l->keylen) == 0;
}

static int is_case_level(const struct lexer *x, int d)
{
    return d == 3 && x->lv[2].cases && x->lv[3].obj;
}

static void open_level(struct lexer *x, char c)
{
    int d = ++x->depth;

    if (d >= TRACKED)
        return;
    memset(&x->lv[d], 0, sizeof(x->lv[d]));
    x->lv[d].obj = c == '{';
    x->lv[d].keypos = c == '{';
    if (c != '[' || d < 2 || !x->lv[d - 1].obj)
        return;
    if (d == 2 && key_is(&x->lv[1], "cases")) {
        x->lv[d].cases = 1;
        x->ci = 0;
        for (size_t i = 0; i < x->s->ncases; i++) /* a second "cases": jansson keeps the last */
            case_clear(x->s, (long)i);
    } else if (is_case_level(x, d - 1) && key_is(&x->lv[3], "timeline")) {
        x->lv[d].timeline = 1;
        x->tl_depth = d;
        x->ti = 0;
    }
}

enum dest { SKELETON, ELEMENT, NOWHERE };

/* Structure outside strings; says where the byte goes: the commas between timeline elements go
 * nowhere, the array is left as []. */
static enum dest structure(struct lexer *x, char c)
{
    int d = x->depth;
    enum dest to = x->tl_depth == 0                            ? SKELETON
                   : d > x->tl_depth || (c != ',' && c != ']') ? ELEMENT
                   : c == ','                                  ? NOWHERE
                                                               : SKELETON;
    struct level *l = d > 0 && d < TRACKED ? &x->lv[d] : NULL;

    if (c == '"') {
        x->in_str = 1;
        x->capture = l != NULL && l->obj && l->keypos;
        if (x->capture)
            l->keylen = l->escaped = 0;
    } else if (c == ':' && l != NULL && l->obj) {
        l->keypos = 0;
        if (l->escaped && (d == 1 || is_case_level(x, d)))
            x->s->broken = 1; /* "time\u006cine" is "timeline" to jansson: parse the file whole */
        if (is_case_level(x, d) && key_is(l, "timeline"))
            case_clear(x->s, x->ci); /* the last "timeline" of a case is the one jansson keeps */
    } else if (c == ',' && l != NULL) {
        l->keypos = l->obj;
        if (l->cases)
            x->ci++;
        if (l->timeline)
            element_end(x, 0);
    } else if (c == '{' || c == '[') {
        open_level(x, c);
    } else if (c == '}' || c == ']') {
        if (l != NULL && l->timeline) {
            element_end(x, 1);
            x->tl_depth = 0;
        }
        if (x->depth > 0)
            x->depth--;
    }
    return to;
}

static void string_byte(struct lexer *x, char c)
{
    struct level *l = &x->lv[x->depth < TRACKED ? x->depth : 0];

    if (x->esc)
        x->esc = 0;
    else if (c == '\\') {
        x->esc = 1;
        l->escaped |= x->capture;
    } else if (c == '"') {
        x->in_str = 0;
        x->capture = 0;
        return;
    }
    if (x->capture && l->keylen <= KEYMAX) {
        if (l->keylen < KEYMAX)
            l->key[l->keylen] = c;
        l->keylen++;
    }
}

static void byte(struct lexer *x, char c)
{
    enum dest to = x->tl_depth > 0 ? ELEMENT : SKELETON;

    if (x->in_str)
        string_byte(x, c);
    else
        to = structure(x, c);
    if (to == ELEMENT) {
        put(&x->elem, c);
        if (c != ' ' && c != '\n' && c != '\t' && c != '\r')
            x->elem_text = 1;
    } else if (to == SKELETON)
        put(&x->skel, c);
}

json_t *tl_split_load(const char *path, struct tl_split *s)
{
    struct lexer *x = calloc(1, sizeof(*x));
    char chunk[65536];
    json_error_t e;
    json_t *root = NULL;
    FILE *in = fopen(path, "rb");
    size_t got;

    if (x == NULL)
        abort();
    x->s = s;
    x->r = (struct rmr){.name = path, .err = x->err, .errlen = sizeof(x->err)};
    if (in != NULL) {
        while ((got = fread(chunk, 1, sizeof(chunk), in)) > 0)
            for (size_t i = 0; i < got; i++)
                byte(x, chunk[i]);
        if (!ferror(in) && !s->broken && !x->in_str && x->depth == 0)
            root = json_loadb(x->skel.p ? x->skel.p : "", x->skel.n, JSON_DECODE_ANY, &e);
        fclose(in);
    }
    free(x->skel.p);
    free(x->elem.p);
    free(x);
    return root;
}

int tl_split_take(struct tl_split *s, long i, struct rm_task **tl, int *n)
{
    if (i < 0 || (size_t)i >= s->ncases || s->n[i] == 0)
        return 0;
    free(*tl);
    *tl = s->tl[i];
    *n = s->n[i];
    s->tl[i] = NULL;
    s->n[i] = s->cap[i] = 0;
    return 1;
}

void tl_split_free(struct tl_split *s)
{
    for (size_t i = 0; i < s->ncases; i++)
        case_clear(s, (long)i);
    free(s->tl);
    free(s->n);
    free(s->cap);
    free(s->failed_err);
    memset(s, 0, sizeof(*s));
}
