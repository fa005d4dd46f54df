#ifndef CONCBENCH_PARAMS_H
#define CONCBENCH_PARAMS_H

#include <stddef.h>

/* Typed KEY=VALUE parameters shared by workloads (-p) and model options (-m name:key=value).
 * A spec table describes what is accepted; a set holds what the user gave. Lookups fall back
 * to the spec's default, so every consumer sees a complete, validated configuration. */

enum param_type {
    PARAM_INT,    /* a whole number within [min, max] */
    PARAM_STRING, /* free text, e.g. a URL */
    PARAM_CHOICE, /* one of the '|'-separated words in choices */
};

enum param_repeat { PARAM_ONCE, PARAM_REPEATABLE, PARAM_PER_POSITION };

struct param_spec {
    const char *key;
    enum param_type type;
    const char *def; /* default, as text; NULL = no default (e.g. url) */
    long long min, max;
    const char *choices;
    const char *help;
    /* PARAM_ONCE (0): a later value replaces an earlier one; PARAM_REPEATABLE (1): every value
     * is kept (url=); PARAM_PER_POSITION: also key.N=value, a value for position N alone (N from
     * 1 to max; e.g. latency.2= for a task's second request), key=value then being the value of
     * every position. */
    int repeatable;
};

#define PARAMS_MAX 64

struct param_item {
    const char *key; /* points into the spec table */
    char *value;     /* owned */
    int index;       /* N of key.N=value; 0 for key=value */
};

struct param_set {
    int count;
    struct param_item items[PARAMS_MAX];
};

/* Parses "key=value" against specs and appends it to set. Returns 0, or -1 with a message that
 * names the valid keys or the accepted range in err. A non-repeatable key given twice replaces
 * the earlier value. */
int params_add(struct param_set *set, const struct param_spec *specs, const char *key_eq_value,
               char *err, size_t errlen);

/* The value of key (the last one given, else the default). key must be in specs. */
const char *params_str(const struct param_set *set, const struct param_spec *specs,
                       const char *key);
long long params_int(const struct param_set *set, const struct param_spec *specs, const char *key);

/* All values given for a repeatable key, in order; returns how many were stored in out. */
int params_all(const struct param_set *set, const char *key, const char **out, int max);

/* Indexed keys: the value given for key.index (the last one), or NULL; and the largest N given
 * as key.N (0 when none), so that a consumer can refuse positions it does not have. */
const char *params_at(const struct param_set *set, const char *key, int index);
int params_max_index(const struct param_set *set, const char *key);

/* The spec of key, or of a per-position spec's key.N (N is not checked here); NULL if none. */
const struct param_spec *params_find_spec(const struct param_spec *specs, const char *key);
void params_clear(struct param_set *set);
void params_copy(struct param_set *dst, const struct param_set *src);

/* Parses a whole decimal number in [min, max]: digits, after an optional '-', and nothing else
 * (no spaces on either side, no '+'). Returns 0 or -1. The one number parser of the CLI. */
int parse_ll(const char *text, long long min, long long max, long long *out);
/* The same for a decimal number (NaN is refused). */
int parse_double(const char *text, double min, double max, double *out);
/* The message for text refused by parse_ll: "expected a whole number from MIN to MAX" (and
 * ", without spaces" when text has some). */
void parse_ll_expected(const char *text, long long min, long long max, char *buf, size_t len);

#endif
