#include "report/report_sections.h"
#include "bench/jfield.h"

#include <stdlib.h>
#include <string.h>

#include "report/report_text.h"

void repro_notes(json_t *root, FILE *out)
{
    json_t *cases = json_object_get(root, "cases"), *c, *m;
    size_t i, k, ncases = json_array_size(cases);
    const char *texts[256];
    int ntexts = 0, printed = 0;

    json_array_foreach(cases, i, c)
    {
        json_t *errs = json_object_get(c, "errors");
        long long count = jf_int(errs, "count", 0);
        size_t shown = json_array_size(json_object_get(errs, "messages"));
        json_array_foreach(json_object_get(errs, "messages"), k, m)
        {
            if (!printed++)
                fprintf(out, "\n");
            fprintf(out, "%s/%s: error: %s\n", jf_str(c, "workload"), jf_str(c, "label"),
                    json_string_value(m));
        }
        if (count > (long long)shown) {
            if (!printed++)
                fprintf(out, "\n");
            fprintf(out, "%s/%s: error: ... %lld errors in all\n", jf_str(c, "workload"),
                    jf_str(c, "label"), count);
        }
        json_array_foreach(json_object_get(c, "warnings"), k, m)
        {
            const char *t = json_string_value(m);
            int seen = 0;
            for (int j = 0; j < ntexts && !seen; j++)
                seen = strcmp(texts[j], t) == 0;
            if (!seen && t != NULL && ntexts < 256)
                texts[ntexts++] = t;
        }
    }
    /* A warning that many cases share (few repetitions) is printed once, with its cases. */
    for (int j = 0; j < ntexts; j++) {
        struct sbuf b = {0};
        size_t n = 0;
        json_array_foreach(cases, i, c)
        {
            json_array_foreach(json_object_get(c, "warnings"), k, m)
            {
                if (strcmp(json_string_value(m), texts[j]) != 0)
                    continue;
                sb_printf(&b, "%s%s/%s", n++ ? ", " : "", jf_str(c, "workload"),
                          jf_str(c, "label"));
                break;
            }
        }
        if (!printed++)
            fprintf(out, "\n");
        if (n == ncases && n > 1)
            fprintf(out, "warning (every case): %s\n", texts[j]);
        else if (n > 2)
            fprintf(out, "warning (%s): %s\n", b.s, texts[j]);
        else
            fprintf(out, "%s: warning: %s\n", b.s, texts[j]);
        free(b.s);
    }
}
