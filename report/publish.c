/* `history publish`: the folder and its pages (publish.h), and what the pages share. */
#include "report/publish.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/hash.h"
#include "common/outdir.h"
#include "report/html_internal.h"
#include "report/publish_internal.h"

static const char pub_css[] =
    "body{font:17px/1.45 system-ui,sans-serif;color:#111;background:#fff;margin:1.2em auto;"
    "max-width:1150px;padding:0 1em}\n"
    "h1{font-size:1.7em;margin:.2em 0}h2{font-size:1.35em;border-bottom:3px solid #222;"
    "margin-top:1.5em}h3{margin-bottom:.3em}\n"
    "table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums;margin:.4em 0}\n"
    "th,td{padding:.2em .5em;border-bottom:1px solid #bbb;text-align:left}\n"
    "td.num{text-align:right}.bad{color:#b00;font-weight:bold}.ok{color:#060;font-weight:bold}\n"
    "code{word-break:break-all}.meta,.legend{color:#444;font-size:.9em}\n"
    "figure{margin:1.2em 0;break-inside:avoid}figcaption{font-weight:bold;margin-bottom:.2em;"
    "word-break:break-all}\n"
    "svg{width:100%;height:auto}svg text{font-size:12px;fill:#222}\n"
    ".axis{stroke:#333}.grid{stroke:#ddd}.line{fill:none;stroke-width:2}.band{opacity:.18}\n"
    ".pt{stroke:#fff;stroke-width:1}.step line{stroke:#b00;stroke-dasharray:4 3}"
    ".step path{fill:#b00}.step.down line{stroke:#060}.step.down path{fill:#060}\n"
    ".key .sw{display:inline-block;width:1em;height:1em;vertical-align:middle;"
    "margin:0 .3em 0 1em}\n"
    ".run{display:none;border:2px solid #2b6cb0;padding:.2em 1em;margin:1em 0}"
    ".run:target{display:block}\n"
    "@media print{.run{display:block}}\n";

void pub_head(FILE *out, const char *title, const char *subtitle)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          out);
    html_text(out, title);
    fprintf(out, "</title>\n<style>\n%s</style></head>\n<body>\n<h1>", pub_css);
    html_text(out, title);
    fputs("</h1>\n", out);
    if (subtitle != NULL) {
        fputs("<p class=\"meta\">", out);
        html_text(out, subtitle);
        fputs("</p>\n", out);
    }
}

void pub_foot(FILE *out)
{
    fputs("<p class=\"meta\">Made by <code>concbench history publish</code>.</p>\n"
          "</body></html>\n",
          out);
}

void pub_page_name(const char *workload, char *buf, size_t len)
{
    char safe[41];
    size_t n = 0;

    for (const char *p = workload; *p != '\0' && n < sizeof(safe) - 1; p++)
        safe[n++] = isalnum((unsigned char)*p) || *p == '_' || *p == '-' ? *p : '_';
    safe[n] = '\0';
    snprintf(buf, len, "w-%s-%08llx.html", safe,
             (unsigned long long)(hash_fnv1a(HASH_FNV1A_INIT, workload, strlen(workload)) &
                                  0xffffffffULL));
}

int pub_case_index(const struct hsite *site, int i)
{
    const struct hsite_series *x = &site->series[i];
    int n = 0;

    for (int j = 0; j < i; j++) {
        const struct hsite_series *y = &site->series[j];
        int first = 1;
        if (strcmp(y->workload, x->workload) != 0)
            continue;
        if (strcmp(y->key, x->key) == 0)
            return pub_case_index(site, j);
        for (int k = 0; k < j && first; k++)
            first = strcmp(site->series[k].key, y->key) != 0;
        n += first;
    }
    return n;
}

const char *pub_colour(const struct hsite *site, const char *machine)
{
    static const char *const palette[] = {"#2b6cb0", "#d97706", "#2f855a", "#9f1239",
                                          "#6b46c1", "#0e7490", "#92400e", "#4a5568"};
    const struct hsite_machine *m = hsite_machine(site, machine);
    size_t i = m ? (size_t)(m - site->machines) : 0;

    return palette[i % (sizeof(palette) / sizeof(palette[0]))];
}

void pub_series_name(FILE *out, const struct hsite_series *x)
{
    html_text(out, x->machine);
    if (x->branch[0] != '\0') {
        fputs(" (", out);
        html_text(out, x->branch);
        fputs(")", out);
    }
}

void pub_text_cut(FILE *out, const char *text, size_t max)
{
    char cut[64];
    size_t n = strlen(text);

    if (max >= sizeof(cut))
        max = sizeof(cut) - 1;
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(cut, text, n);
    cut[n] = '\0';
    html_text(out, cut);
}

void pub_num(FILE *out, const char *fmt, double v)
{
    if (isnan(v))
        fputs("–", out);
    else
        fprintf(out, fmt, v);
}

const char **pub_workloads(const struct hsite *site, int *n)
{
    const char **w = calloc(site->nseries + 1, sizeof(*w));

    *n = 0;
    for (int i = 0; w != NULL && i < site->nseries; i++) {
        int seen = 0;
        for (int k = 0; k < *n && !seen; k++)
            seen = strcmp(w[k], site->series[i].workload) == 0;
        if (!seen)
            w[(*n)++] = site->series[i].workload;
    }
    return w;
}

int publish_site(const struct hsite *site, const char *dir, struct publish_result *res, char *err,
                 size_t errlen)
{
    const char **w;
    char name[80];
    long long bytes;
    int n, rc = -1;

    memset(res, 0, sizeof(*res));
    if (outdir_prepare(dir, err, errlen) != 0)
        return -1;
    if ((w = pub_workloads(site, &n)) == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        struct pub_page p = {site, w[i]};
        pub_page_name(w[i], name, sizeof(name));
        if ((bytes = outdir_write(dir, name, pub_workload, &p, err, errlen)) < 0)
            goto out;
        res->pages++;
        res->bytes += bytes;
    }
    /* the index last: a folder with an index is a whole site */
    if ((bytes = outdir_write(dir, "index.html", pub_index, (void *)site, err, errlen)) < 0)
        goto out;
    res->pages++;
    res->bytes += bytes;
    rc = 0;
out:
    free(w);
    return rc;
}
