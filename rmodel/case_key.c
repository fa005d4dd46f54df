/* The stable key and the short name of a case (case_key.h). */
#include "rmodel/case_key.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends printf output at *used, never past len (a key longer than len is cut, not overrun). */
#define CK_PUT(buf, len, used, ...)                                                                \
    do {                                                                                           \
        if (*(used) < (len))                                                                       \
            *(used) += (size_t)snprintf((buf) + *(used), (len) - *(used), __VA_ARGS__);            \
    } while (0)

static int ck_param_cmp(const void *x, const void *y)
{
    const struct rm_param *a = *(const struct rm_param *const *)x;
    const struct rm_param *b = *(const struct rm_param *const *)y;
    return strcmp(a->key, b->key);
}

static void ck_params(const struct rm_params *p, char *buf, size_t len, size_t *used)
{
    const struct rm_param **sorted = malloc((size_t)(p->n > 0 ? p->n : 1) * sizeof(*sorted));

    if (sorted == NULL)
        abort();
    for (int i = 0; i < p->n; i++)
        sorted[i] = &p->v[i];
    qsort(sorted, (size_t)p->n, sizeof(*sorted), ck_param_cmp);
    for (int i = 0; i < p->n; i++) {
        CK_PUT(buf, len, used, "%s%s=", i ? "," : "", sorted[i]->key);
        for (int k = 0; k < sorted[i]->n; k++) {
            const struct rm_scalar *s = &sorted[i]->v[k];
            if (s->is_int)
                CK_PUT(buf, len, used, "%s%lld", k ? "+" : "", s->i);
            else
                CK_PUT(buf, len, used, "%s%s", k ? "+" : "", s->s ? s->s : "");
        }
    }
    free(sorted);
}

void ck_key(const struct rm_case *c, char *buf, size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    if (c->implementation != NULL && strcmp(c->implementation, "c") != 0)
        CK_PUT(buf, len, &used, "%s/", c->implementation);
    CK_PUT(buf, len, &used, "%s/%s/n=%lld/w=%lld", c->workload ? c->workload : "?",
           c->label ? c->label : "?", c->tasks, c->workers);
    if (c->params.n > 0) {
        CK_PUT(buf, len, &used, "/");
        ck_params(&c->params, buf, len, &used);
    }
}

void ck_short(const struct rm_case *c, char *buf, size_t len)
{
    if (c->workers > 0)
        snprintf(buf, len, "%s %s -j %lld", c->workload ? c->workload : "?",
                 c->label ? c->label : "?", c->workers);
    else
        snprintf(buf, len, "%s %s", c->workload ? c->workload : "?", c->label ? c->label : "?");
}
