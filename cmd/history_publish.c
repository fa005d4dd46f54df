/* `concbench history publish -o DIR`: the history as a static site (report/publish.h), read
 * through analysis/history_site.h. */
#include "cmd/history_publish.h"

#include <stdio.h>

#include "analysis/history.h"
#include "analysis/history_site.h"
#include "cmd/cli.h"
#include "common/outdir.h"
#include "report/publish.h"

int history_publish(const char *db, const struct history_publish_opts *po, const struct cmpo *o)
{
    struct hchk_opts ho = {po->window, po->min_window, o->cmp.alpha, o->cmp.threshold_pct, 0};
    struct publish_result res;
    struct hsite site;
    struct hist h;
    char err[1024];
    int rc;

    if (po->dir == NULL) {
        fprintf(stderr, "concbench history: publish needs -o DIR, the folder of the site "
                        "(created when missing)\n");
        return 2;
    }
    if (o->cmp.metric != CMP_WALL) {
        fprintf(stderr, "concbench history: publish draws --metric wall (the median wall time "
                        "each run keeps)\n");
        return 2;
    }
    /* checked (and created) before the database is read, as other commands check -o */
    if (outdir_prepare(po->dir, err, sizeof(err)) != 0) {
        cli_error("history", err);
        return 2;
    }
    if (hist_open(&h, db, 0, err, sizeof(err)) != 0) {
        cli_error("history", err);
        return 1;
    }
    rc = hsite_load(&h, po->machine, po->branch, &ho, &site, err, sizeof(err));
    hist_close(&h);
    if (rc != 0) {
        cli_error("history", err);
        return 1;
    }
    rc = publish_site(&site, po->dir, &res, err, sizeof(err));
    if (rc != 0)
        cli_error("history", err);
    else
        printf("published %d page%s (%.1f KiB; %d series of %d runs) to %s/index.html\n", res.pages,
               res.pages == 1 ? "" : "s", res.bytes / 1024.0, site.nseries, site.nruns, po->dir);
    hsite_free(&site);
    return rc != 0;
}
