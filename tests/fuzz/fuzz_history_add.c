/* libFuzzer target: `history add` (issue 24). A results file from anywhere goes through the
 * loader and into an SQLite history, then `list` and `show` read it back and `latest` is loaded:
 * nothing may crash or leak, and a run that was added keeps every one of its cases (no row lost
 * to a clash, none replaced). The first byte chooses --allow-partial. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/history.h"
#include "rmodel/rmodel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
    long long run_id, ncases, rows;
};

static void count_run(const struct hist_run_row *r, void *arg)
{
    struct seen *s = arg;
    if (r->id == s->run_id)
        s->ncases = r->ncases;
}

static void count_case(const struct hist_case_row *r, void *arg)
{
    struct seen *s = arg;
    if (r->run_id == s->run_id)
        s->rows++;
}

static char db[64];

static void remove_db(void)
{
    char wal[80];

    unlink(db);
    snprintf(wal, sizeof wal, "%s-journal", db);
    unlink(wal);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024], name[128];
    struct hist h;
    json_error_t je;
    json_t *doc;
    struct rm_file *f, *latest;
    long long id = -1;
    int allow_partial, added;

    if (size < 1)
        return 0;
    allow_partial = data[0] & 1;
    doc = json_loadb((const char *)data + 1, size - 1, JSON_DECODE_ANY, &je);
    if (doc == NULL)
        return 0;
    f = rm_from_doc(doc, "fuzz", err, sizeof err);
    json_decref(doc);
    if (f == NULL)
        return 0;
    if (db[0] == '\0') { /* one database per process, growing over the inputs, as in CI */
        snprintf(db, sizeof db, "/tmp/concbench-fuzz-history-%d.sqlite", (int)getpid());
        atexit(remove_db);
    }
    if (hist_open(&h, db, 1, err, sizeof err) != 0) {
        fprintf(stderr, "cannot open %s: %s\n", db, err);
        abort();
    }
    added = hist_add(&h, f, "fuzz", allow_partial, &id, err, sizeof err);
    if (added == 1) {
        struct seen s = {id, -1, 0};
        if (hist_each_run(&h, count_run, &s, err, sizeof err) != 0 ||
            hist_each_case(&h, "", NULL, count_case, &s, err, sizeof err) != 0) {
            fprintf(stderr, "list/show failed: %s\n", err);
            abort();
        }
        if (s.ncases != f->ncases || s.rows != f->ncases) {
            fprintf(stderr, "run %lld: %d cases added, list says %lld, show has %lld\n", id,
                    f->ncases, s.ncases, s.rows);
            abort();
        }
    }
    latest = hist_load(&h, "latest", name, sizeof name, err, sizeof err);
    rm_free(latest);
    hist_close(&h);
    rm_free(f);
    return 0;
}
