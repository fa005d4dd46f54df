/* `demo --code`: the article's own Python for a scenario, quoted from its seed file in
 * ../shared/seeds (beside the source tree, as CI has it), and what the C demo does for each of
 * its constructs. The seeds are read where they are: the project holds no copy of their code. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/source_tree.h"
#include "common/termsafe.h"
#include "report/demo.h"
#include "report/report_text.h"

#define SEEDS_DIR "../shared/seeds/"

/* Prints lines first..last of the file; -1 with why when it is shorter or line first does not
 * begin as expected. */
static int quote_lines(FILE *in, const struct demo_code *code, FILE *out, char *err, size_t errlen)
{
    char *line = NULL, *safe = NULL;
    size_t cap = 0;
    ssize_t n;
    int at = 0;

    while (at < code->last && (n = getline(&line, &cap, in)) >= 0) {
        if (++at < code->first)
            continue;
        if (at == code->first && strncmp(line, code->first_text, strlen(code->first_text)) != 0) {
            snprintf(err, errlen, "%s%s: line %d does not begin with '%s': not the file quoted",
                     SEEDS_DIR, code->seed, code->first, code->first_text);
            break;
        }
        if (n > 0 && line[n - 1] == '\n')
            line[--n] = '\0';
        safe = realloc(safe, (size_t)n * TERM_SAFE_GROWTH + 1);
        if (safe == NULL)
            abort();
        fprintf(out, "%s\n", term_safe(line, 0, safe, (size_t)n * TERM_SAFE_GROWTH + 1));
    }
    free(line);
    free(safe);
    if (at < code->last && err[0] == '\0')
        snprintf(err, errlen, "%s%s has %d lines, not the %d quoted", SEEDS_DIR, code->seed, at,
                 code->last);
    return err[0] == '\0' ? 0 : -1;
}

int demo_print_code(const struct demo_scenario *s, int width, FILE *out, char *err, size_t errlen)
{
    const struct demo_code *code = &s->code;
    char rel[PATH_MAX], path[PATH_MAX], where[64];
    FILE *in;
    int rc;

    err[0] = '\0';
    snprintf(rel, sizeof(rel), "%s%s", SEEDS_DIR, code->seed);
    if (repro_find_file(rel, path, sizeof(path)) != 0 || (in = fopen(path, "r")) == NULL) {
        snprintf(err, errlen,
                 "the article's code is in %s, beside the source tree, and was not found: run "
                 "from the source tree or set CONCBENCH_ROOT to it",
                 rel);
        return -1;
    }
    if (code->first == code->last)
        snprintf(where, sizeof(where), "line %d", code->first);
    else
        snprintf(where, sizeof(where), "lines %d to %d", code->first, code->last);
    fprintf(out, "%s: as the article has it, shared/seeds/%s,\n%s:\n\n", s->name, code->seed,
            where);
    fprintf(out, "----- quote -----\n");
    rc = quote_lines(in, code, out, err, errlen);
    fclose(in);
    if (rc != 0)
        return -1;
    fprintf(out, "----- end of quote -----\n\nWhat the C demo does for each:\n");
    for (int i = 0; i < DEMO_MAX_CODE && code->map[i].python != NULL; i++) {
        fprintf(out, "  %s\n", code->map[i].python);
        text_print_wrapped_at(out, code->map[i].c, "      ", "      ", (size_t)width);
    }
    return 0;
}
