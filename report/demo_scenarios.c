/* The demo scenarios as data: what each runs, at scale 1. The stories are in demo_story.c. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/demo.h"
#include "report/demo_story.h"

const struct demo_scenario demo_scenarios[] = {
    {.name = "await-chain",
     .summary = "task1 sleeps 2 s then awaits task2 (2 s); awaited in a row: 6 s, started "
                "together: 4 s",
     .workloads = "script",
     .models = "sequential,evloop,green,pthreads",
     .tasks = 2,
     /* task 1: its sleep, then task2's sleep awaited inside it; task 2: one sleep */
     .params = {"plan=w2000,w2000", "plan=w2000,w0"},
     .rows = {"task1", "task2"},
     .narrate = story_await_chain},
    {.name = "gather",
     .summary = "sleeps of 2, 1 and 3 s gathered: 3 s under every concurrent model, 6 s in a row",
     .workloads = "sleep",
     .models = "sequential,pthreads,processes,green,evloop",
     .tasks = 3,
     .params = {"ms=2000", "ms=1000", "ms=3000"},
     .rows = {"A", "B", "C"},
     .narrate = story_gather},
    {.name = "wait-timeout",
     .summary = "sleeps of 1, 2, 3 and 4 s, waited for 2.5 s: two done, two cancelled",
     .workloads = "script",
     .models = "sequential,pthreads,processes,green,evloop",
     .tasks = 4,
     .cancel_after_ms = 2500,
     .params = {"plan=w1000", "plan=w2000", "plan=w3000", "plan=w4000"},
     .rows = {"get_item(1)", "get_item(2)", "get_item(3)", "get_item(4)"},
     .narrate = story_wait_timeout},
    {.name = "executor",
     .summary = "6 blocking tasks of 1 s on a pool of 3 workers: two waves of 3",
     .workloads = "script",
     .models = "pthreads,processes,evloop",
     .tasks = 6,
     .workers = 3,
     .params = {"plan=b1000"},
     .rows = {"blocking_func(0)", "blocking_func(1)", "blocking_func(2)", "blocking_func(3)",
              "blocking_func(4)", "blocking_func(5)"},
     .narrate = story_executor},
    {.name = "blocking-in-loop",
     .summary = "a 1 s blocking step on the loop thread freezes the other tasks; the thread pool "
                "does not",
     .workloads = "script",
     .models = "evloop:compute=inline,green,evloop,pthreads",
     .tasks = 3,
     /* tasks cycle through the plans: task 0 blocks, tasks 1 and 2 wait in short steps */
     .params = {"plan=b1000,w0,w0,w0,w0", "plan=b0,w200,w200,w200,w200",
                "plan=b0,w200,w200,w200,w200"},
     .rows = {"blocking", "A", "B"},
     .narrate = story_blocking},
    {.name = "cpu-vs-io",
     .summary = "the article's table in miniature: cpu_bound and io_bound, N=10, every model, "
                "and with the GIL",
     .workloads = "cpu_bound,io_bound",
     .models = "sequential,pthreads,processes,green,evloop,pthreads:gil=on,evloop:gil=on",
     .tasks = 10,
     /* a task computes for the article's 218 ms (one power in its Python): long enough that
      * spawning is noise, and --scale shortens it with the waits */
     .params = {"exponent=200000", "target_ms=218", "delay_ms=100"},
     .narrate = story_cpu_vs_io},
    {.name = NULL},
};

const struct demo_scenario *demo_find(const char *name)
{
    for (const struct demo_scenario *s = demo_scenarios; s->name != NULL; s++)
        if (strcmp(s->name, name) == 0)
            return s;
    return NULL;
}

/* The numbers of a -p value added up (a plan's steps; a sleep's one number). */
static double value_ms(const char *value)
{
    double ms = 0;

    for (const char *p = value; *p != '\0'; p++)
        if (isdigit((unsigned char)*p)) {
            ms += strtol(p, (char **)&p, 10);
            p--;
        }
    return ms;
}

double demo_planned_s(const struct demo_scenario *s, int task, double scale)
{
    const char *key =
        strstr(s->params[0] != NULL ? s->params[0] : "", "plan=") != NULL ? "plan=" : "ms=";
    const char *values[DEMO_MAX_PARAMS];
    int n = 0;

    for (int i = 0; i < DEMO_MAX_PARAMS && s->params[i] != NULL; i++)
        if (strncmp(s->params[i], key, strlen(key)) == 0)
            values[n++] = s->params[i] + strlen(key);
    if (n == 0)
        return -1;
    return llround(value_ms(values[task % n]) * scale) / 1000.0; /* ms as the run rounds them */
}

void demo_row_names(const struct demo_scenario *s, double scale, const char **names,
                    double *planned, int *n)
{
    *n = s->tasks < DEMO_MAX_ROWS ? s->tasks : DEMO_MAX_ROWS;
    for (int i = 0; i < *n; i++) {
        names[i] = s->rows[i];
        planned[i] = demo_planned_s(s, i, scale);
    }
}

static int is_time_key(const char *param, size_t keylen)
{
    return (keylen == 2 && strncmp(param, "ms", 2) == 0) ||
           (keylen == 8 && strncmp(param, "delay_ms", 8) == 0) ||
           (keylen == 9 && strncmp(param, "target_ms", 9) == 0) ||
           (keylen == 4 && strncmp(param, "plan", 4) == 0);
}

int demo_scale_param(const char *param, double scale, char *out, size_t len)
{
    const char *eq = strchr(param, '=');
    size_t used = 0;

    if (eq == NULL || !is_time_key(param, (size_t)(eq - param)))
        return snprintf(out, len, "%s", param) < (int)len ? 0 : -1;
    for (const char *p = param; *p != '\0';) {
        int n;
        if (p > eq && isdigit((unsigned char)*p)) {
            long long ms = 0;
            for (; isdigit((unsigned char)*p); p++)
                ms = ms * 10 + (*p - '0');
            n = snprintf(out + used, len - used, "%lld", (long long)llround(ms * scale));
        } else {
            n = snprintf(out + used, len - used, "%c", *p++);
        }
        if (n < 0 || (size_t)n >= len - used)
            return -1;
        used += (size_t)n;
    }
    return 0;
}
