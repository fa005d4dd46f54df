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
     .code = {.seed = "000_bbb7450770f86da1.txt",
              .first = 8,
              .last = 35,
              .first_text = "import asyncio",
              .map = {{"async def task1() / async def task2()",
                       "the rows task1 and task2: a task of the script workload each (plans "
                       "w2000,w2000 and w2000)"},
                      {"await asyncio.sleep(2)",
                       "a wait step: a libuv timer under evloop, a parked green thread under "
                       "green, nanosleep on its own thread under pthreads and sequential"},
                      {"ret_info = await task2()  (inside task1)",
                       "task1's second 2 s wait: task2's sleep, awaited inside task1"},
                      {"await task1(); then await task2()  (in main)",
                       "sequential: one task after the other, 2 + 2 + 2 = 6 s"},
                      {"(not in the seed: both started together, e.g. asyncio.gather)",
                       "evloop, green and pthreads: task1 and task2 start at once, 4 s"},
                      {"asyncio.run(main())",
                       "one repetition in a fresh process, its wall time taken by the harness"}}},
     .narrate = story_await_chain},
    {.name = "gather",
     .summary = "sleeps of 2, 1 and 3 s gathered: 3 s under every concurrent model, 6 s in a row",
     .workloads = "sleep",
     .models = "sequential,pthreads,processes,green,evloop",
     .tasks = 3,
     .params = {"ms=2000", "ms=1000", "ms=3000"},
     .rows = {"A", "B", "C"},
     .code = {.seed = "004_72e53b5ebeb169ba.txt",
              .first = 35,
              .last = 57,
              .first_text = "import asyncio",
              .map = {{"myfun(name, delay)",
                       "a task of the sleep workload: the rows A, B and C with ms=2000, 1000 and "
                       "3000"},
                      {"await asyncio.sleep(delay)",
                       "a wait: a libuv timer under evloop, a parked green thread under green, "
                       "nanosleep under pthreads, processes and sequential"},
                      {"await asyncio.gather(myfun(\"A\", 2), ...)",
                       "evloop: the three tasks started together on one libuv loop; pthreads, "
                       "processes and green start them together on threads, processes and green "
                       "threads"},
                      {"(not in the seed: each awaited in turn)",
                       "sequential: one after the other, 2 + 1 + 3 = 6 s"},
                      {"asyncio.run(main())",
                       "one repetition in a fresh process, its wall time taken by the harness"}}},
     .narrate = story_gather},
    {.name = "wait-timeout",
     .summary = "sleeps of 1, 2, 3 and 4 s, waited for 2.5 s: two done, two cancelled",
     .workloads = "script",
     .models = "sequential,pthreads,processes,green,evloop",
     .tasks = 4,
     .cancel_after_ms = 2500,
     .params = {"plan=w1000", "plan=w2000", "plan=w3000", "plan=w4000"},
     .rows = {"get_item(1)", "get_item(2)", "get_item(3)", "get_item(4)"},
     .code = {.seed = "002_2ddb4cf523d9af61.txt",
              .first = 88,
              .last = 106,
              .first_text = "import asyncio",
              .map = {{"asyncio.create_task(get_item(i))",
                       "evloop: a task per item started on the loop (threads, processes and "
                       "green threads under the other models); here items 1 to 4"},
                      {"await asyncio.sleep(i)",
                       "a wait step of the script workload (plans w1000 to w4000)"},
                      {"asyncio.wait(item_coros, timeout=...)  (the text's timeout)",
                       "--cancel-after 2500: at 2.5 s the harness cancels every wait still "
                       "pending"},
                      {"task.cancel() on the pending",
                       "the cancelled wait ends the task: -ECANCELED in its callback under "
                       "evloop and green (CancelledError in Python), its sleep woken under "
                       "pthreads and processes; the row ends with x"},
                      {"completed, pending",
                       "the rows that ended (get_item(1), get_item(2)) and those marked x"}}},
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
     .code = {.seed = "002_2ddb4cf523d9af61.txt",
              .first = 120,
              .last = 138,
              .first_text = "import concurrent.futures",
              .map = {{"concurrent.futures.ThreadPoolExecutor(max_workers=3)",
                       "-j 3: a pool of 3 threads (pthreads), 3 processes (processes), or "
                       "libuv's thread pool of 3 (evloop)"},
                      {"loop.run_in_executor(executor, blocking_func, i)",
                       "evloop: the blocking step handed from the loop to its thread pool; every "
                       "task starts at once and waits in the pool's queue"},
                      {"blocking_func(n)",
                       "a blocking step of 1 s (plan b1000; the seed squares n, which takes no "
                       "time, so its waves would not show)"},
                      {"await asyncio.gather(*blocking_tasks)",
                       "the case ends when all six are done: two waves of 3, 2 s"}}},
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
     .code = {.seed = "004_72e53b5ebeb169ba.txt",
              .first = 128,
              .last = 128,
              .first_text = "Then only event loop can switch",
              .map = {{"(the seed has no code for this: its words above)",
                       "the scenario shows them"},
                      {"a coroutine that never awaits",
                       "the row \"blocking\": a 1 s blocking step (plan b1000) on the loop's "
                       "own thread under evloop:compute=inline, on the hub's thread under green"},
                      {"await asyncio.sleep  (the other coroutines)",
                       "A and B: four waits of 200 ms each, frozen while the block runs there"},
                      {"loop.run_in_executor (seed 002)",
                       "evloop: the blocking step goes to libuv's thread pool and the loop runs "
                       "on; pthreads: every task on a thread of its own"}}},
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
     .code = {.seed = "003_83db0ae2c045bbb3.txt",
              .first = 57,
              .last = 82,
              .first_text = "def cpu_bound(a, b):",
              .map = {{"cpu_bound(a, b): a ** b with a = 7777, b = 200000",
                       "the cpu_bound workload: 7777**200000 with GMP, repeated here until it "
                       "took the article's 218 ms (target_ms=218)"},
                      {"io_bound(urls): four urlopen(url).read()",
                       "the io_bound workload: four GETs in a row to concbench's own HTTP server "
                       "(100 ms each here), no network needed"},
                      {"simple_1(10, ...), simple_2(10, ...)", "sequential with N=10 tasks"},
                      {"threaded(10, ...), and the seed's multiprocessing, gevent and asyncio",
                       "pthreads, processes, green and evloop; pthreads:gil=on and "
                       "evloop:gil=on add a lock like CPython's GIL"}}},
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
