#include "common/params.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int parse_ll(const char *text, long long min, long long max, long long *out)
{
    char *end;
    long long v;

    if (text == NULL || *text == '\0')
        return -1;
    errno = 0;
    v = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

const struct param_spec *params_find_spec(const struct param_spec *specs, const char *key)
{
    for (const struct param_spec *s = specs; s != NULL && s->key != NULL; s++)
        if (strcmp(s->key, key) == 0)
            return s;
    return NULL;
}

static void list_keys(const struct param_spec *specs, char *buf, size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    for (const struct param_spec *s = specs; s != NULL && s->key != NULL; s++) {
        int n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", s->key);
        if (n < 0 || (size_t)n >= len - used)
            break;
        used += (size_t)n;
    }
    if (used == 0)
        snprintf(buf, len, "(none)");
}

/* Is word one of the '|'-separated choices? */
static int choice_ok(const char *choices, const char *word)
{
    size_t wlen = strlen(word);

    for (const char *p = choices; *p != '\0';) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == wlen && strncmp(p, word, n) == 0)
            return 1;
        if (bar == NULL)
            break;
        p = bar + 1;
    }
    return 0;
}

static int check_value(const struct param_spec *s, const char *value, char *err, size_t errlen)
{
    long long v;

    switch (s->type) {
    case PARAM_INT:
        if (parse_ll(value, s->min, s->max, &v) != 0) {
            snprintf(err, errlen, "%s=%s: expected a whole number from %lld to %lld", s->key, value,
                     s->min, s->max);
            return -1;
        }
        return 0;
    case PARAM_CHOICE:
        if (!choice_ok(s->choices, value)) {
            snprintf(err, errlen, "%s=%s: expected one of %s", s->key, value, s->choices);
            return -1;
        }
        return 0;
    case PARAM_STRING:
        if (*value == '\0') {
            snprintf(err, errlen, "%s= needs a value", s->key);
            return -1;
        }
        return 0;
    }
    return -1;
}

int params_add(struct param_set *set, const struct param_spec *specs, const char *kv, char *err,
               size_t errlen)
{
    const char *eq = strchr(kv, '=');
    char key[64], keys[512];
    const struct param_spec *s;

    if (eq == NULL || eq == kv) {
        list_keys(specs, keys, sizeof(keys));
        snprintf(err, errlen, "'%s': expected KEY=VALUE (keys: %s)", kv, keys);
        return -1;
    }
    if ((size_t)(eq - kv) >= sizeof(key)) {
        snprintf(err, errlen, "'%.40s...': key too long", kv);
        return -1;
    }
    memcpy(key, kv, (size_t)(eq - kv));
    key[eq - kv] = '\0';
    s = params_find_spec(specs, key);
    if (s == NULL) {
        list_keys(specs, keys, sizeof(keys));
        snprintf(err, errlen, "unknown parameter '%s' (valid: %s)", key, keys);
        return -1;
    }
    if (check_value(s, eq + 1, err, errlen) != 0)
        return -1;

    if (!s->repeatable) {
        for (int i = 0; i < set->count; i++) {
            if (set->items[i].key == s->key) {
                char *copy = strdup(eq + 1);
                if (copy == NULL)
                    goto nomem;
                free(set->items[i].value);
                set->items[i].value = copy;
                return 0;
            }
        }
    }
    if (set->count >= PARAMS_MAX) {
        snprintf(err, errlen, "too many parameters (at most %d)", PARAMS_MAX);
        return -1;
    }
    set->items[set->count].value = strdup(eq + 1);
    if (set->items[set->count].value == NULL)
        goto nomem;
    set->items[set->count].key = s->key;
    set->count++;
    return 0;
nomem:
    snprintf(err, errlen, "out of memory");
    return -1;
}

const char *params_str(const struct param_set *set, const struct param_spec *specs, const char *key)
{
    const struct param_spec *s = params_find_spec(specs, key);

    for (int i = set ? set->count - 1 : -1; i >= 0; i--)
        if (strcmp(set->items[i].key, key) == 0)
            return set->items[i].value;
    return s ? s->def : NULL;
}

long long params_int(const struct param_set *set, const struct param_spec *specs, const char *key)
{
    const char *v = params_str(set, specs, key);
    return v ? strtoll(v, NULL, 10) : 0;
}

int params_all(const struct param_set *set, const char *key, const char **out, int max)
{
    int n = 0;

    for (int i = 0; set != NULL && i < set->count && n < max; i++)
        if (strcmp(set->items[i].key, key) == 0)
            out[n++] = set->items[i].value;
    return n;
}

void params_clear(struct param_set *set)
{
    for (int i = 0; i < set->count; i++)
        free(set->items[i].value);
    set->count = 0;
}

void params_copy(struct param_set *dst, const struct param_set *src)
{
    dst->count = 0;
    for (int i = 0; i < src->count; i++) {
        dst->items[i].key = src->items[i].key;
        dst->items[i].value = strdup(src->items[i].value);
        if (dst->items[i].value == NULL)
            abort(); /* a few bytes at start-up: nothing sensible to continue with */
        dst->count++;
    }
}
