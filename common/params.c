#include "common/params.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int parse_ll(const char *text, long long min, long long max, long long *out)
{
    const char *digits = text != NULL && *text == '-' ? text + 1 : text;
    char *end;
    long long v;

    /* strtoll alone would skip leading blanks and take a '+', and then " 5" would pass where
     * "5 " does not: only digits, after an optional minus, are a number here. */
    if (digits == NULL || !isdigit((unsigned char)*digits))
        return -1;
    errno = 0;
    v = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* The per-position spec whose key is the part of "key.N" before the last dot; NULL if none. */
static const struct param_spec *find_indexed(const struct param_spec *specs, const char *key)
{
    const char *dot = strrchr(key, '.');

    for (const struct param_spec *s = specs; dot != NULL && s != NULL && s->key != NULL; s++)
        if (s->repeatable == PARAM_PER_POSITION && strlen(s->key) == (size_t)(dot - key) &&
            strncmp(s->key, key, (size_t)(dot - key)) == 0)
            return s;
    return NULL;
}

int parse_double(const char *text, double min, double max, double *out)
{
    const char *body = text != NULL && *text == '-' ? text + 1 : text;
    char *end;
    double v;

    /* As parse_ll: strtod alone takes leading blanks, a '+', hex, "inf" and "nan"; a number
     * here is decimal digits with an optional point and exponent, after an optional minus. */
    if (body == NULL || !(isdigit((unsigned char)*body) || *body == '.') ||
        strspn(body, "0123456789.eE+-") != strlen(body))
        return -1;
    errno = 0;
    v = strtod(text, &end);
    if (errno != 0 || *end != '\0' || !(v >= min && v <= max))
        return -1;
    *out = v;
    return 0;
}

void parse_ll_expected(const char *text, long long min, long long max, char *buf, size_t len)
{
    int spaces = 0;

    for (const char *p = text; p != NULL && *p != '\0'; p++)
        spaces |= isspace((unsigned char)*p) != 0;
    snprintf(buf, len, "expected a whole number from %lld to %lld%s", min, max,
             spaces ? ", without spaces" : "");
}

const struct param_spec *params_find_spec(const struct param_spec *specs, const char *key)
{
    for (const struct param_spec *s = specs; s != NULL && s->key != NULL; s++)
        if (strcmp(s->key, key) == 0)
            return s;
    return find_indexed(specs, key);
}

/* The N of "key.N" for a per-position spec s, or 0 for plain "key"; -1 with err if N is not in
 * 1..s->max. */
static int key_index(const struct param_spec *s, const char *key, char *err, size_t errlen)
{
    long long n;

    if (strcmp(s->key, key) == 0)
        return 0;
    const char *digits = key + strlen(s->key) + 1;
    if (!isdigit((unsigned char)digits[0]) || parse_ll(digits, 1, s->max, &n) != 0) {
        snprintf(err, errlen, "%s: expected %s.N with N from 1 to %lld", key, s->key, s->max);
        return -1;
    }
    return (int)n;
}

static void list_keys(const struct param_spec *specs, char *buf, size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    for (const struct param_spec *s = specs; s != NULL && s->key != NULL; s++) {
        int n = snprintf(buf + used, len - used, "%s%s%s", used ? ", " : "", s->key,
                         s->repeatable == PARAM_PER_POSITION ? "[.N]" : "");
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
            char expected[96];

            parse_ll_expected(value, s->min, s->max, expected, sizeof expected);
            snprintf(err, errlen, "%s=%s: %s", s->key, value, expected);
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
    int index = key_index(s, key, err, errlen);
    if (index < 0 || check_value(s, eq + 1, err, errlen) != 0)
        return -1;

    if (s->repeatable != PARAM_REPEATABLE) {
        for (int i = 0; i < set->count; i++) {
            if (set->items[i].key == s->key && set->items[i].index == index) {
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
    set->items[set->count].index = index;
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
        if (set->items[i].index == 0 && strcmp(set->items[i].key, key) == 0)
            return set->items[i].value;
    return s ? s->def : NULL;
}

const char *params_at(const struct param_set *set, const char *key, int index)
{
    for (int i = set ? set->count - 1 : -1; i >= 0; i--)
        if (set->items[i].index == index && strcmp(set->items[i].key, key) == 0)
            return set->items[i].value;
    return NULL;
}

int params_max_index(const struct param_set *set, const char *key)
{
    int max = 0;

    for (int i = 0; set != NULL && i < set->count; i++)
        if (set->items[i].index > max && strcmp(set->items[i].key, key) == 0)
            max = set->items[i].index;
    return max;
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
        if (set->items[i].index == 0 && strcmp(set->items[i].key, key) == 0)
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
        dst->items[i].index = src->items[i].index;
        dst->items[i].value = strdup(src->items[i].value);
        if (dst->items[i].value == NULL)
            abort(); /* a few bytes at start-up: nothing sensible to continue with */
        dst->count++;
    }
}
