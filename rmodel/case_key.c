/* The stable key and the short name of a case (case_key.h). */
#include "rmodel/case_key.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hash.h"

static int ck_param_cmp(const void *x, const void *y)
{
    const struct rm_param *a = *(const struct rm_param *const *)x;
    const struct rm_param *b = *(const struct rm_param *const *)y;
    return strcmp(a->key, b->key);
}

static void ck_params(const struct rm_params *p, FILE *out)
{
    const struct rm_param **sorted = malloc((size_t)(p->n > 0 ? p->n : 1) * sizeof(*sorted));

    if (sorted == NULL)
        abort();
    for (int i = 0; i < p->n; i++)
        sorted[i] = &p->v[i];
    qsort(sorted, (size_t)p->n, sizeof(*sorted), ck_param_cmp);
    for (int i = 0; i < p->n; i++) {
        fprintf(out, "%s%s=", i ? "," : "", sorted[i]->key);
        for (int k = 0; k < sorted[i]->n; k++) {
            const struct rm_scalar *s = &sorted[i]->v[k];
            if (s->is_int)
                fprintf(out, "%s%lld", k ? "+" : "", s->i);
            else
                fprintf(out, "%s%s", k ? "+" : "", s->s ? s->s : "");
        }
    }
    free(sorted);
}

/* The whole key, however long; the caller frees it. */
static char *ck_full(const struct rm_case *c, size_t *n)
{
    char *s = NULL;
    FILE *out = open_memstream(&s, n);

    if (out == NULL)
        abort();
    if (c->implementation != NULL && strcmp(c->implementation, "c") != 0)
        fprintf(out, "%s/", c->implementation);
    fprintf(out, "%s/%s/n=%lld/w=%lld", c->workload ? c->workload : "?", c->label ? c->label : "?",
            c->tasks, c->workers);
    if (c->params.n > 0) {
        fputc('/', out);
        ck_params(&c->params, out);
    }
    if (fclose(out) != 0 || s == NULL)
        abort();
    return s;
}

void ck_key(const struct rm_case *c, char *buf, size_t len)
{
    size_t n, keep;
    char *full = ck_full(c, &n);

    if (n < len) {
        memcpy(buf, full, n + 1);
        free(full);
        return;
    }
    /* the start that fits before "#" and 16 hex digits, not ending inside a UTF-8 character */
    keep = len - 1 - 17;
    while (keep > 0 && ((unsigned char)full[keep] & 0xC0) == 0x80)
        keep--;
    snprintf(buf, len, "%.*s#%016" PRIx64, (int)keep, full, hash_fnv1a(HASH_FNV1A_INIT, full, n));
    free(full);
}

struct ck_entry {
    char *key;
    int index;
};

static int ck_entry_cmp(const void *x, const void *y)
{
    const struct ck_entry *a = x, *b = y;
    int d = strcmp(a->key, b->key);
    return d != 0 ? d : (a->index > b->index) - (a->index < b->index);
}

int ck_duplicate(const struct rm_file *f, int *first, int *second)
{
    struct ck_entry *e;
    int found = 0;

    if (f->ncases < 2)
        return 0;
    e = malloc((size_t)f->ncases * sizeof(*e));
    if (e == NULL)
        abort();
    for (int i = 0; i < f->ncases; i++) {
        char key[CK_KEY_MAX];
        ck_key(&f->cases[i], key, sizeof(key));
        e[i].key = rm_strdup(key);
        e[i].index = i;
    }
    qsort(e, (size_t)f->ncases, sizeof(*e), ck_entry_cmp);
    /* of all clashes, the one whose second case comes first in the file */
    for (int i = 1; i < f->ncases; i++) {
        if (strcmp(e[i - 1].key, e[i].key) == 0 && (!found || e[i].index < *second)) {
            *first = e[i - 1].index;
            *second = e[i].index;
            found = 1;
        }
    }
    for (int i = 0; i < f->ncases; i++)
        free(e[i].key);
    free(e);
    return found;
}

void ck_short(const struct rm_case *c, char *buf, size_t len)
{
    if (c->workers > 0)
        snprintf(buf, len, "%s %s -j %lld", c->workload ? c->workload : "?",
                 c->label ? c->label : "?", c->workers);
    else
        snprintf(buf, len, "%s %s", c->workload ? c->workload : "?", c->label ? c->label : "?");
}
