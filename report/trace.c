/* Task timelines as Chrome trace-event JSON, for Perfetto (ui.perfetto.dev) and
 * chrome://tracing. One process track per case, named "io_bound · evloop"; one thread track per
 * task, never per worker: an event loop runs many tasks at once on worker 0, and complete events
 * that overlap on one thread track do not nest, so a viewer would push them aside. Each task is a
 * complete event ("ph":"X") with its steps nested inside it; an "in flight" counter ("ph":"C")
 * per case counts the tasks running. Times are microseconds from the case's first start; a
 * task's thread id is its index + 1 (0 is left to the counters). */
#include "report/trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/outfile.h"

/* Seconds to microseconds, rounded to the nanosecond: a step's end rounds no later than its
 * task's, so slices still nest. */
static double us(double s)
{
    return round(s * 1e9) / 1e3;
}

static json_t *meta(const char *what, int pid, long long tid, const char *key, json_t *value)
{
    return json_pack("{s:s, s:s, s:i, s:I, s:{s:o}}", "name", what, "ph", "M", "pid", pid, "tid",
                     (json_int_t)tid, "args", key, value);
}

static json_t *complete(const char *name, const char *cat, int pid, long long tid, double from_s,
                        double to_s)
{
    return json_pack("{s:s, s:s, s:s, s:f, s:f, s:i, s:I}", "name", name, "cat", cat, "ph", "X",
                     "ts", us(from_s), "dur", us(to_s) - us(from_s), "pid", pid, "tid",
                     (json_int_t)tid);
}

/* The steps of a task, nested in it: each from the end of the one before to its own end. */
static void add_steps(json_t *events, const struct rm_case *c, const struct rm_task *t, int pid)
{
    double from = t->start_s;

    for (int k = 0; k < t->nsteps; k++) {
        double to = t->steps_end_s[k] < t->end_s ? t->steps_end_s[k] : t->end_s;
        char kind = rm_step_kind(c, k), name[48];
        json_t *e;
        if (to < from)
            break; /* a mark out of order: not a slice a viewer can nest */
        snprintf(name, sizeof(name), "step %d: %s", k + 1,
                 kind == 'c'   ? "compute"
                 : kind == 'w' ? "wait"
                               : "step");
        e = complete(name,
                     kind == 'c'   ? "compute"
                     : kind == 'w' ? "wait"
                                   : "step",
                     pid, t->task + 1, from, to);
        json_object_set_new(e, "args", json_pack("{s:i}", "step", k + 1));
        json_array_append_new(events, e);
        from = to;
    }
}

static void add_task(json_t *events, const struct rm_case *c, const struct rm_task *t, int pid)
{
    char name[48];
    json_t *e;

    snprintf(name, sizeof(name), "task %lld", t->task);
    json_array_append_new(events, meta("thread_name", pid, t->task + 1, "name", json_string(name)));
    json_array_append_new(
        events, meta("thread_sort_index", pid, t->task + 1, "sort_index", json_integer(t->task)));
    if (t->worker < 0)
        return; /* never ran: a named, empty track */
    e = complete(name, "task", pid, t->task + 1, t->start_s, t->end_s);
    json_object_set_new(e, "args",
                        json_pack("{s:I, s:b, s:i}", "worker", (json_int_t)t->worker, "ok", t->ok,
                                  "steps", t->nsteps));
    json_array_append_new(events, e);
    add_steps(events, c, t, pid);
}

static int by_time(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* The counter changes at every start and end: one sample per distinct instant. */
static void add_in_flight(json_t *events, const struct rm_case *c, int pid)
{
    double *at = malloc((size_t)(2 * c->ntimeline + 1) * sizeof(*at));
    int n = 0;

    if (at == NULL)
        abort();
    for (int i = 0; i < c->ntimeline; i++)
        if (c->timeline[i].worker >= 0) {
            at[n++] = c->timeline[i].start_s;
            at[n++] = c->timeline[i].end_s;
        }
    qsort(at, (size_t)n, sizeof(*at), by_time);
    for (int i = 0; i < n; i++) {
        if (i > 0 && at[i] == at[i - 1])
            continue;
        json_array_append_new(events, json_pack("{s:s, s:s, s:f, s:i, s:i, s:{s:i}}", "name",
                                                "in flight", "ph", "C", "ts", us(at[i]), "pid", pid,
                                                "tid", 0, "args", "tasks", rm_in_flight(c, at[i])));
    }
    free(at);
}

static void add_case(json_t *events, const struct rm_case *c, int pid)
{
    char name[512];

    snprintf(name, sizeof(name), "%s · %s", c->workload, c->label);
    json_array_append_new(events, meta("process_name", pid, 0, "name", json_string(name)));
    json_array_append_new(events,
                          meta("process_sort_index", pid, 0, "sort_index", json_integer(pid)));
    for (int i = 0; i < c->ntimeline; i++)
        add_task(events, c, &c->timeline[i], pid);
    add_in_flight(events, c, pid);
}

json_t *trace_doc(const struct rm_file *f, const char *workload)
{
    json_t *events = json_array();

    for (int i = 0; i < f->ncases; i++)
        if (workload == NULL || strcmp(f->cases[i].workload, workload) == 0)
            add_case(events, &f->cases[i], i + 1);
    return json_pack("{s:o, s:s, s:{s:s, s:s}}", "traceEvents", events, "displayTimeUnit", "ms",
                     "otherData", "tool", f->tool ? f->tool : "concbench", "note",
                     "one process per case, one thread track per task; times from each case's "
                     "first task start");
}

/* outfile_write's writer: the document at arg. */
static int trace_dump(FILE *out, void *arg)
{
    return json_dumpf(arg, out, JSON_COMPACT) == 0 ? 0 : -1;
}

int trace_write(const struct rm_file *f, const char *workload, const char *path, char *err,
                size_t errlen)
{
    json_t *doc = trace_doc(f, workload);
    int rc = outfile_write(path, trace_dump, doc, err, errlen);

    json_decref(doc);
    return rc;
}
