/* The table of export formats (report/export.h), and what every format shares. */
#include <stdio.h>
#include <string.h>

#include "report/export.h"
#include "rmodel/case_key.h"

/* Each defined in its report/export_NAME.c. */
extern const struct exp_format exp_format_gab, exp_format_gab_speedup, exp_format_bmf;

const struct exp_format *const exp_formats[] = {
    &exp_format_gab,
    &exp_format_gab_speedup,
    &exp_format_bmf,
    NULL,
};

const struct exp_format *exp_format_find(const char *name)
{
    for (int i = 0; exp_formats[i] != NULL; i++)
        if (strcmp(name, exp_formats[i]->name) == 0)
            return exp_formats[i];
    return NULL;
}

void exp_format_names(char *buf, size_t len, const char *sep, const char *last)
{
    size_t used = 0;

    buf[0] = '\0';
    for (int i = 0; exp_formats[i] != NULL && used < len; i++) {
        const char *join = i == 0 ? "" : exp_formats[i + 1] == NULL ? last : sep;
        int n = snprintf(buf + used, len - used, "%s%s", join, exp_formats[i]->name);
        used += n > 0 ? (size_t)n : 0;
    }
}

int exp_include(const struct rm_case *c, struct rm_strs *skipped)
{
    char key[CK_KEY_MAX], line[700];

    if (rm_valid(c))
        return 1;
    ck_key(c, key, sizeof(key));
    snprintf(line, sizeof(line), "%s: invalid (%s), left out", key,
             c->reps_done <= 0   ? "no measured repetition"
             : !c->validation_ok ? "validation failed"
                                 : "errors");
    rm_strs_note(skipped, line, 100000);
    return 0;
}
