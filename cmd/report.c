/* `concbench report RESULTS.json [--hyperfine HF.json]...`: the tables of a results file, the
 * article's published figures next to them, and hyperfine's whole-process timings next to the
 * harness's in-process ones. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "bench/article.h"
#include "bench/jfield.h"
#include "cmd/commands.h"
#include "report/report_sections.h"
#include "report/report_text.h"
#include "bench/results_cases.h"
#include "bench/results_file.h"

static void params_text(json_t *params, char *buf, size_t len)
{
    const char *key;
    json_t *v;
    size_t used = 0;

    buf[0] = '\0';
    json_object_foreach(params, key, v)
    {
        char val[128];
        if (json_is_integer(v))
            snprintf(val, sizeof(val), "%lld", (long long)json_integer_value(v));
        else if (json_is_string(v))
            snprintf(val, sizeof(val), "%s", json_string_value(v));
        else if (json_is_array(v))
            snprintf(val, sizeof(val), "[%zu values]", json_array_size(v));
        else
            continue;
        if (used < len)
            used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", used ? " " : "", key, val);
    }
}

/* Every case of the file, workload by workload, as `run` prints them. */
static void cases_table(json_t *root, FILE *out)
{
    json_t *cases = json_object_get(root, "cases"), *c, *cfg = json_object_get(root, "config");
    size_t i, k;
    const char *done[64];
    int ndone = 0;

    json_array_foreach(cases, i, c)
    {
        const char *wl = jf_str(c, "workload");
        char params[512];
        int seen = 0;
        for (int j = 0; j < ndone && !seen; j++)
            seen = strcmp(done[j], wl) == 0;
        if (seen || ndone >= 64)
            continue;
        done[ndone++] = wl;
        params_text(json_object_get(c, "params"), params, sizeof(params));
        fprintf(out, "\n%s (%s): %lld tasks, %lld repetition(s) after %lld warmup\n", wl, params,
                jf_int(c, "tasks", 0), jf_int(cfg, "reps", 0), jf_int(cfg, "warmup", 0));
        fprintf(out, "%-24s %10s %9s %8s %9s %9s %10s  %s\n", "model", "wall med", "±95%",
                "speedup", "user s", "sys s", "peak RSS", "valid");
        json_array_foreach(cases, k, c)
        {
            json_t *w = json_object_get(c, "wall_s");
            char speed[16], rss[32], valid[32], ci[32];
            double sp = case_speedup(root, c);
            if (strcmp(jf_str(c, "workload"), wl) != 0)
                continue;
            fmt_ratio(speed, sizeof(speed), sp);
            fmt_rss(rss, sizeof(rss), jf_num(json_object_get(c, "max_rss_kib"), "median"));
            if (case_median(c) <= 0)
                snprintf(valid, sizeof(valid), "FAILED");
            else if (case_valid(c))
                snprintf(valid, sizeof(valid), "ok");
            else
                snprintf(valid, sizeof(valid), "%lld errors",
                         jf_int(json_object_get(c, "errors"), "count", 0));
            {
                json_t *ci95 = json_object_get(w, "ci95");
                double lo = json_number_value(json_array_get(ci95, 0));
                double hi = json_number_value(json_array_get(ci95, 1));
                snprintf(ci, sizeof(ci), "%.4f", (hi - lo) / 2.0);
            }
            if (case_median(c) <= 0)
                fprintf(out, "%-24s %10s %9s %8s %9s %9s %10s  %s\n", jf_str(c, "label"), "-", "-",
                        "-", "-", "-", "-", valid);
            else
                fprintf(out, "%-24s %8.4f s %9s %8s %9.3f %9.3f %10s  %s\n", jf_str(c, "label"),
                        jf_num(w, "median"), ci, speed,
                        jf_num(json_object_get(c, "user_s"), "median"),
                        jf_num(json_object_get(c, "sys_s"), "median"), rss, valid);
        }
    }
}

static void report_usage(FILE *out)
{
    fprintf(out,
            "Usage: concbench report RESULTS.json [--hyperfine HF.json]... [--published FILE]\n"
            "\n"
            "Prints the tables of a results file written by `concbench run -o` or\n"
            "`concbench reproduce -o`: every case with its wall time, speedup, CPU time, memory\n"
            "and validation; for cpu_bound and io_bound, the comparison with the article's\n"
            "published figures and a plain reading of it; with --hyperfine, hyperfine's\n"
            "whole-process medians next to the harness's in-process medians.\n"
            "\n"
            "Options:\n"
            "      --hyperfine FILE   a hyperfine --export-json file (scripts/hyperfine.sh writes\n"
            "                         results/hyperfine-WORKLOAD.json); repeatable\n"
            "      --published FILE   the article's figures (default: the file embedded in a\n"
            "                         reproduce result, else %s)\n"
            "  -h, --help             this text\n"
            "\n"
            "In-process vs whole-process: the harness times only creating, running and joining\n"
            "the tasks; hyperfine times the whole program, start-up and set-up included (the\n"
            "expected results, the embedded server). The difference is that fixed cost.\n"
            "\n"
            "Exit status: 0 printed; 1 a file is missing, not JSON or of another shape or\n"
            "schema version; 2 bad usage.\n",
            PUBLISHED_REL_PATH);
}

#define REPORT_MAX_HF 16

int cmd_report(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"hyperfine", required_argument, NULL, 'H'},
        {"published", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *hf_paths[REPORT_MAX_HF], *published_path = NULL, *path;
    json_t *hf[REPORT_MAX_HF], *root, *published;
    int nhf = 0, c, rc = 0;
    char err[1024];

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'H':
            if (nhf >= REPORT_MAX_HF) {
                fprintf(stderr, "concbench report: too many --hyperfine (at most %d)\n",
                        REPORT_MAX_HF);
                return 2;
            }
            hf_paths[nhf++] = optarg;
            break;
        case 'P':
            published_path = optarg;
            break;
        case 'h':
            report_usage(stdout);
            return 0;
        case ':':
            fprintf(stderr, "concbench report: %s needs a value (see concbench report --help)\n",
                    argv[optind - 1]);
            return 2;
        default:
            fprintf(stderr, "concbench report: unknown option '%s' (see concbench report --help)\n",
                    argv[optind - 1]);
            return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "concbench report: which results file? (concbench report RESULTS.json; "
                        "see concbench report --help)\n");
        return 2;
    }
    if (optind + 1 < argc) {
        fprintf(stderr,
                "concbench report: unexpected argument '%s' (one results file; hyperfine files "
                "go after --hyperfine)\n",
                argv[optind + 1]);
        return 2;
    }
    path = argv[optind];
    root = rfile_load(path, err, sizeof(err));
    if (root == NULL) {
        fprintf(stderr, "concbench report: %s\n", err);
        return 1;
    }
    for (int i = 0; i < nhf; i++) {
        hf[i] = hyperfine_load(hf_paths[i], err, sizeof(err));
        if (hf[i] == NULL) {
            fprintf(stderr, "concbench report: %s\n", err);
            while (i-- > 0)
                json_decref(hf[i]);
            json_decref(root);
            return 1;
        }
    }
    published = published_for(root, published_path, err, sizeof(err));
    if (published == NULL && published_path != NULL) {
        fprintf(stderr, "concbench report: %s\n", err);
        rc = 1;
        goto done;
    }

    {
        json_t *ctx = json_object_get(root, "context");
        printf("Results: %s (%s; %s, %s, %lld logical CPUs, load %.2f; commit %s)%s\n", path,
               jf_str(root, "tool") ? jf_str(root, "tool") : "?",
               jf_str(ctx, "date") ? jf_str(ctx, "date") : "?",
               jf_str(ctx, "cpu_model") ? jf_str(ctx, "cpu_model") : "?",
               jf_int(ctx, "logical_cpus", 0),
               json_number_value(json_array_get(json_object_get(ctx, "load_avg"), 0)),
               jf_str(ctx, "git_commit") ? jf_str(ctx, "git_commit") : "?",
               json_is_true(json_object_get(root, "interrupted")) ? " INTERRUPTED" : "");
    }
    cases_table(root, stdout);
    if (rfile_has_workload(root, NULL, "cpu_bound") || rfile_has_workload(root, NULL, "io_bound")) {
        if (published == NULL)
            fprintf(stderr, "concbench report: %s\n", err);
        repro_table(root, published, stdout);
        repro_reading(root, published, stdout);
    }
    hyperfine_table(root, hf, hf_paths, nhf, stdout);
    repro_notes(root, stdout);
done:
    for (int i = 0; i < nhf; i++)
        json_decref(hf[i]);
    json_decref(published);
    json_decref(root);
    return rc;
}
