/* libFuzzer target: the results loader (rm_from_doc), then what every reader does with a file
 * that loaded: the derived figures, the reading's findings, the tables, and a dump that must
 * load again. A results file comes from anywhere: nothing here may crash, leak or loop. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis/findings.h"
#include "rmodel/rmodel.h"
#include "report/report.h"
#include "report/report_sections.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_everything(const struct rm_file *f)
{
    FILE *sink = fopen("/dev/null", "w");
    struct reading r;
    volatile double sum = 0;

    for (int i = 0; i < f->ncases; i++)
        sum += rm_speedup(f, &f->cases[i]) + rm_median(&f->cases[i]) + rm_valid(&f->cases[i]);
    (void)sum;
    reading_compute(f, f->repro != NULL ? f->repro->published : NULL, &r);
    if (sink != NULL) {
        struct render_opts ro = {.published = f->repro != NULL ? f->repro->published : NULL};
        struct render_opts narrow = ro;

        narrow.width = 60;
        report_cases(f, NULL, sink);
        report_cases(f, &narrow, sink);
        repro_notes(f, NULL, sink);
        repro_table(f, &ro, sink);
        repro_table(f, &narrow, sink);
        repro_reading(f, &ro, sink);
        fclose(sink);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    json_error_t je;
    json_t *doc = json_loadb((const char *)data, size, JSON_DECODE_ANY, &je), *again;
    struct rm_file *f, *g;

    if (doc == NULL)
        return 0;
    f = rm_from_doc(doc, "fuzz", err, sizeof err);
    json_decref(doc);
    if (f == NULL)
        return 0;
    read_everything(f);
    /* what we write, we read back */
    again = rm_to_doc(f);
    g = again != NULL ? rm_from_doc(again, "dump", err, sizeof err) : NULL;
    if (again != NULL && g == NULL) {
        fprintf(stderr, "a dump does not load again: %s\n", err);
        abort();
    }
    rm_free(g);
    json_decref(again);
    rm_free(f);
    return 0;
}
