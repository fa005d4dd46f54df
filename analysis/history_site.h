#ifndef CONCBENCH_HISTORY_SITE_H
#define CONCBENCH_HISTORY_SITE_H

/* What `history publish` shows, read from the history as data: every case's series per machine
 * and branch (machines are never mixed in one series), the step changes in each (trend.h, the
 * rule `history trend` and `history check` use) and the gate's verdict on each series' latest
 * run against the runs before it (history_check.h, the judgement of `history check`), with the
 * machines and runs the pages describe. Nothing here prints. */

#include <stddef.h>

#include "analysis/history.h"
#include "analysis/history_check.h"
#include "rmodel/case_key.h"

struct hsite_point {
    long long run_id, reps;
    char commit[48], date[40];
    double median, lo, hi, speedup; /* wall seconds; NAN when absent */
    int valid;
    int step; /* +1 a step up (slower), -1 down (faster), 0 none; valid points only */
};

struct hsite_series {
    char key[CK_KEY_MAX], workload[128], machine[160], branch[256];
    struct hsite_point *pts; /* oldest first */
    int n, cap;
    int last_step;          /* index in pts of the latest step, -1 none */
    double step_change_pct; /* that step's median against the mean of the runs before it */
    struct hchk_row gate;   /* the latest valid run judged against the ones before it */
    int gated;              /* 1 when gate holds a verdict (the series has a valid run) */
};

struct hsite_machine {
    char key[160], host[128], cpu_model[160], kernel[160], labels[256], first[40], last[40];
    long long logical_cpus, runs;
};

struct hsite_run {
    long long id;
    char source[512], host[128];
};

struct hsite {
    struct hsite_series *series; /* by key, then machine and branch */
    int nseries;
    struct hsite_machine *machines;
    int nmachines;
    struct hsite_run *runs; /* by id */
    int nruns;
};

/* Reads every case of the history (of machine and branch when not NULL) into site, then finds
 * the steps and judges each series with o (window, alpha, threshold; smaller is better: the
 * metric is wall time). 0, or -1 with a message (site freed). */
int hsite_load(struct hist *h, const char *machine, const char *branch, const struct hchk_opts *o,
               struct hsite *site, char *err, size_t errlen);
void hsite_free(struct hsite *site);

/* The run of id, NULL when unknown; the machine of key, NULL when unknown. */
const struct hsite_run *hsite_run(const struct hsite *site, long long id);
const struct hsite_machine *hsite_machine(const struct hsite *site, const char *key);

#endif
