/* Task timelines as Chrome trace-event JSON, for Perfetto (ui.perfetto.dev) and
 * chrome://tracing. One process track per case, named "io_bound · evloop"; one thread track per
 * task, never per worker: an event loop runs many tasks at once on worker 0, and complete events
 * that overlap on one thread track do not nest, so a viewer would push them aside. Each task is a
 * complete event ("ph":"X") with its steps nested inside it; an "in flight" counter ("ph":"C")
 * per case counts the tasks under way. Where CPU time was recorded, a step's args carry its CPU
 * time and running share, its wait for a pool worker (or, after the last step, for the loop) is
 * a "queued" slice nested first in it, and a "running on a CPU" counter counts running tasks. Times
 * are microseconds from the case's first start; a task's thread id is its index + 1 (0 is left to
 * the counters). Events are written as they are made, never held: a timeline of millions of tasks
 * is written in the memory its model takes. */
#include "report/trace.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/outfile.h"

struct tw {
    FILE *out;
    int events; /* written so far: the first has no comma before it */
};

/* Seconds to microseconds, rounded to the nanosecond: a step's end rounds no later than its
 * task's, so slices still nest. */
static double us(double s)
{
    return round(s * 1e9) / 1e3;
}

static void sep(struct tw *w)
{
    fputs(w->events++ ? ",\n" : "\n", w->out);
}

/* text as a JSON string (names from a results file may hold anything). */
static void jstr(FILE *out, const char *text)
{
    json_t *s = json_string(text != NULL ? text : "?");
    char *q = s != NULL ? json_dumps(s, JSON_ENCODE_ANY) : NULL;

    fputs(q != NULL ? q : "\"?\"", out); /* not UTF-8: jansson refuses it */
    free(q);
    json_decref(s);
}

static void meta(struct tw *w, const char *what, int pid, long long tid, const char *key,
                 const char *text, long long number)
{
    sep(w);
    fprintf(w->out, "{\"name\":\"%s\",\"ph\":\"M\",\"pid\":%d,\"tid\":%lld,\"args\":{\"%s\":", what,
            pid, tid, key);
    if (text != NULL)
        jstr(w->out, text);
    else
        fprintf(w->out, "%lld", number);
    fputs("}}", w->out);
}

/* A complete event, its args left open for the caller; 0 when its times are not numbers. */
static int complete(struct tw *w, const char *name, const char *cat, int pid, long long tid,
                    double from_s, double to_s)
{
    if (!isfinite(us(from_s)) || !isfinite(us(to_s)))
        return 0;
    sep(w);
    fprintf(w->out,
            "{\"name\":\"%s\",\"cat\":\"%s\",\"ph\":\"X\",\"ts\":%.17g,\"dur\":%.17g,\"pid\":%d,"
            "\"tid\":%lld,\"args\":",
            name, cat, us(from_s), us(to_s) - us(from_s), pid, tid);
    return 1;
}

/* A step's CPU figures as args, and its queued part as a slice nested first inside it. */
static void step_cpu(struct tw *w, const struct rm_task *t, int k, int pid, int sliced)
{
    struct rm_span sp;

    rm_task_span(t, k, &sp);
    if (sliced)
        fprintf(w->out, ",\"cpu_ms\":%.6g,\"queued_ms\":%.6g,\"running_share\":%.4g}}",
                sp.cpu * 1e3, sp.queued * 1e3, sp.density);
    if (sp.queued > 0 && complete(w, k < t->nsteps ? "queued" : "queued for the loop", "queued",
                                  pid, t->task + 1, sp.from, sp.from + sp.queued))
        fputs("{}}", w->out);
}

/* The steps of a task, nested in it: each from the end of the one before to its own end; with
 * CPU time recorded, each says its CPU time and running share, and its queued part nests in it. */
static void add_steps(struct tw *w, const struct rm_case *c, const struct rm_task *t, int pid)
{
    double from = t->start_s;
    int cpu = rm_task_has_cpu(t);

    for (int k = 0; k < t->nsteps; k++) {
        double to = t->steps_end_s[k] < t->end_s ? t->steps_end_s[k] : t->end_s;
        char kind = rm_step_kind(c, k), name[48];
        const char *cat = kind == 'c' ? "compute" : kind == 'w' ? "wait" : "step";
        int sliced;
        if (to < from)
            return; /* a mark out of order: not a slice a viewer can nest */
        snprintf(name, sizeof(name), "step %d: %s", k + 1, cat);
        sliced = complete(w, name, cat, pid, t->task + 1, from, to);
        if (sliced)
            fprintf(w->out, "{\"step\":%d%s", k + 1, cpu ? "" : "}}");
        if (cpu)
            step_cpu(w, t, k, pid, sliced);
        from = to;
    }
    if (cpu && t->nsteps > 0)
        step_cpu(w, t, t->nsteps, pid, 0); /* the wait for the loop after the last step */
}

static void add_task(struct tw *w, const struct rm_case *c, const struct rm_task *t, int pid)
{
    char name[48];

    snprintf(name, sizeof(name), "task %lld", t->task);
    meta(w, "thread_name", pid, t->task + 1, "name", name, 0);
    meta(w, "thread_sort_index", pid, t->task + 1, "sort_index", NULL, t->task);
    if (t->worker < 0)
        return; /* never ran: a named, empty track */
    if (complete(w, name, "task", pid, t->task + 1, t->start_s, t->end_s))
        fprintf(w->out, "{\"worker\":%lld,\"ok\":%s,\"steps\":%d}}", t->worker,
                t->ok ? "true" : "false", t->nsteps);
    add_steps(w, c, t, pid);
}

static int by_time(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* The counter changes at every start and end: one sample per distinct instant, the tasks
 * running then (start <= t < end, as rm_in_flight counts) read off the sorted starts and ends
 * of the tasks that ran forwards in time. */
static void add_in_flight(struct tw *w, const struct rm_case *c, int pid)
{
    size_t n = (size_t)c->ntimeline + 1;
    double *at = malloc(2 * n * sizeof(*at)), *starts = malloc(n * sizeof(*starts)),
           *ends = malloc(n * sizeof(*ends));
    int nat = 0, nrun = 0, s = 0, e = 0;

    if (at == NULL || starts == NULL || ends == NULL)
        abort();
    for (int i = 0; i < c->ntimeline; i++) {
        const struct rm_task *t = &c->timeline[i];
        if (t->worker < 0 || !isfinite(t->start_s) || !isfinite(t->end_s))
            continue;
        at[nat++] = t->start_s;
        at[nat++] = t->end_s;
        if (t->start_s < t->end_s) {
            starts[nrun] = t->start_s;
            ends[nrun++] = t->end_s;
        }
    }
    qsort(at, (size_t)nat, sizeof(*at), by_time);
    qsort(starts, (size_t)nrun, sizeof(*starts), by_time);
    qsort(ends, (size_t)nrun, sizeof(*ends), by_time);
    for (int i = 0; i < nat; i++) {
        if (i > 0 && at[i] == at[i - 1])
            continue;
        while (s < nrun && starts[s] <= at[i])
            s++;
        while (e < nrun && ends[e] <= at[i])
            e++;
        sep(w);
        fprintf(w->out,
                "{\"name\":\"in flight\",\"ph\":\"C\",\"ts\":%.17g,\"pid\":%d,\"tid\":0,"
                "\"args\":{\"tasks\":%d}}",
                us(at[i]), pid, s - e);
    }
    free(at);
    free(starts);
    free(ends);
}

/* Where CPU time was recorded: a counter of the tasks running on a CPU (rmodel_cpu.c's sum of
 * running shares), beside the one of tasks in flight. */
static void add_running(struct tw *w, const struct rm_case *c, int pid)
{
    double *at, *value;
    int n;

    if (!rm_case_has_cpu(c))
        return;
    n = rm_running_steps(c, &at, &value);
    for (int i = 0; i < n; i++) {
        if (!isfinite(us(at[i])))
            continue;
        sep(w);
        fprintf(w->out,
                "{\"name\":\"running on a CPU\",\"ph\":\"C\",\"ts\":%.17g,\"pid\":%d,\"tid\":0,"
                "\"args\":{\"tasks\":%.4g}}",
                us(at[i]), pid, value[i]);
    }
    free(at);
    free(value);
}

static void add_case(struct tw *w, const struct rm_case *c, int pid)
{
    char name[512];

    snprintf(name, sizeof(name), "%s · %s", c->workload, c->label);
    meta(w, "process_name", pid, 0, "name", name, 0);
    meta(w, "process_sort_index", pid, 0, "sort_index", NULL, pid);
    for (int i = 0; i < c->ntimeline; i++)
        add_task(w, c, &c->timeline[i], pid);
    add_in_flight(w, c, pid);
    add_running(w, c, pid);
}

struct trace_job {
    const struct rm_file *f;
    const char *workload;
};

/* outfile_write's writer: the document, event by event. */
static int trace_dump(FILE *out, void *arg)
{
    const struct trace_job *job = arg;
    struct tw w = {out, 0};

    fputs("{\"traceEvents\":[", out);
    for (int i = 0; i < job->f->ncases; i++)
        if (job->workload == NULL || strcmp(job->f->cases[i].workload, job->workload) == 0)
            add_case(&w, &job->f->cases[i], i + 1);
    fputs("],\n\"displayTimeUnit\":\"ms\",\"otherData\":{\"tool\":", out);
    jstr(out, job->f->tool ? job->f->tool : "concbench");
    fputs(",\"note\":\"one process per case, one thread track per task; times from each case's "
          "first task start\"}}\n",
          out);
    return ferror(out) ? -1 : 0;
}

int trace_write(const struct rm_file *f, const char *workload, const char *path, char *err,
                size_t errlen)
{
    struct trace_job job = {f, workload};

    return outfile_write(path, trace_dump, &job, err, errlen);
}
