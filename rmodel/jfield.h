#ifndef CONCBENCH_JFIELD_H
#define CONCBENCH_JFIELD_H

/* Fields of a JSON object read with a fallback, for the readers of results documents. */

#include <jansson.h>

/* A field of an object: its text (NULL), number (NAN) or whole number (def) when absent or of
 * another type. */
const char *jf_str(json_t *o, const char *key);
double jf_num(json_t *o, const char *key);
long long jf_int(json_t *o, const char *key, long long def);

#endif
