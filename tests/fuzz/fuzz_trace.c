/* libFuzzer target: `trace` (issue 24). A results file from anywhere is loaded as `trace` loads
 * it (rm_load: its timelines read apart from the JSON tree, rmodel/timeline_split.c) and written
 * as a Perfetto trace event by event (report/trace.c). Nothing may crash or leak; the split
 * reading must agree with parsing the file whole (both refuse it, or both give the same cases
 * and timelines); and the trace written must be JSON. */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/trace.h"
#include "rmodel/rmodel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char in_path[64], out_path[64];

static void remove_files(void)
{
    unlink(in_path);
    unlink(out_path);
}

static int same_num(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static int same_task(const struct rm_task *a, const struct rm_task *b)
{
    if (a->task != b->task || a->worker != b->worker || a->ok != b->ok ||
        !same_num(a->start_s, b->start_s) || !same_num(a->end_s, b->end_s) ||
        a->nsteps != b->nsteps || a->ndelays != b->ndelays || a->ncpu != b->ncpu ||
        a->nqueued != b->nqueued)
        return 0;
    for (int k = 0; k < a->nsteps; k++)
        if (!same_num(a->steps_end_s[k], b->steps_end_s[k]))
            return 0;
    for (int k = 0; k < a->ncpu; k++)
        if (!same_num(a->steps_cpu_s[k], b->steps_cpu_s[k]))
            return 0;
    for (int k = 0; k < a->nqueued; k++)
        if (!same_num(a->steps_queued_s[k], b->steps_queued_s[k]))
            return 0;
    return 1;
}

/* The split reading and the whole parse gave the same model (what trace reads of it). */
static void check_same(const struct rm_file *split, const struct rm_file *whole)
{
    if (split->ncases != whole->ncases)
        abort();
    for (int i = 0; i < split->ncases; i++) {
        const struct rm_case *a = &split->cases[i], *b = &whole->cases[i];
        if (a->ntimeline != b->ntimeline || a->timeline_kept != b->timeline_kept ||
            a->timeline_of != b->timeline_of)
            abort();
        for (int k = 0; k < a->ntimeline; k++)
            if (!same_task(&a->timeline[k], &b->timeline[k]))
                abort();
    }
}

static void write_input(const uint8_t *data, size_t size)
{
    FILE *f = fopen(in_path, "wb");

    if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024];
    json_error_t je;
    json_t *doc, *trace;
    struct rm_file *split, *whole = NULL;

    if (in_path[0] == '\0') { /* one pair of files per process */
        snprintf(in_path, sizeof in_path, "/tmp/concbench-fuzz-trace-%d.json", (int)getpid());
        snprintf(out_path, sizeof out_path, "/tmp/concbench-fuzz-trace-%d.out", (int)getpid());
        atexit(remove_files);
    }
    write_input(data, size);
    split = rm_load(in_path, err, sizeof err);
    doc = size > 0 ? json_loadb((const char *)data, size, JSON_DECODE_ANY, &je) : NULL;
    if (doc != NULL)
        whole = rm_from_doc(doc, "fuzz", err, sizeof err);
    json_decref(doc);
    if ((split == NULL) != (whole == NULL))
        abort(); /* one reading refused what the other took */
    if (split != NULL) {
        check_same(split, whole);
        if (trace_write(split, NULL, out_path, err, sizeof err) != 0)
            abort();
        trace = json_load_file(out_path, 0, &je);
        if (trace == NULL) {
            fprintf(stderr, "the trace is not JSON: %s (line %d)\n", je.text, je.line);
            abort();
        }
        json_decref(trace);
    }
    rm_free(split);
    rm_free(whole);
    return 0;
}
