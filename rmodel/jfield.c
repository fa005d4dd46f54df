#include "rmodel/jfield.h"

#include <math.h>

const char *jf_str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

double jf_num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

long long jf_int(json_t *o, const char *key, long long def)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? (long long)json_integer_value(v) : def;
}
