#ifndef CONCBENCH_PUBLISH_H
#define CONCBENCH_PUBLISH_H

/* `history publish -o DIR`: the history as a static site, as asv publish makes one. index.html
 * lists per machine the latest step changes (regressions and improvements, with the commit where
 * each happened) and the gate's verdict on each case's latest run; one page per workload draws a
 * chart per case across commits (the median wall time with its 95% interval as a band, a line
 * per machine and branch, steps marked), and every point links to its run: commit, date, machine,
 * context and the run's table of that workload. Inline CSS and SVG, no script, no network: the
 * pages open from file://. Every text from the history is escaped (html_text). */

#include <stddef.h>

#include "analysis/history_site.h"

struct publish_result {
    int pages;
    long long bytes;
};

/* Writes the site of site into the folder dir (created when missing; see outdir.h). 0, or -1
 * with a message; res counts what was written. */
int publish_site(const struct hsite *site, const char *dir, struct publish_result *res, char *err,
                 size_t errlen);

#endif
