#ifndef CONCBENCH_REPRODUCE_OPTS_H
#define CONCBENCH_REPRODUCE_OPTS_H

/* The options of `concbench reproduce`, its usage text and their parsing. */

#define REPRO_MAX_HF    16
#define REPRO_MAX_EXTRA 32

struct repro_opts {
    int tasks, reps, warmup, timeout_s, quiet, with_python, wide;
    int gil;          /* --gil: pthreads, green and evloop once more with gil=on */
    int python_given; /* --python was given: an interpreter that does not work is an error */
    long long base, exponent, target_ms, requests, delay_ms, bytes;
    const char *json_path, *python, *published_path;
    const char *models; /* -m LIST: article (NULL), all, or models as run takes them */
    const char *latency, *time_scale; /* --latency PROFILE, --time-scale F (NULL: not given) */
    const char *hf_paths[REPRO_MAX_HF];
    int nhf;
    const char *extra[REPRO_MAX_EXTRA]; /* -p KEY=VALUE for the C workloads */
    int nextra;
};

/* Parses argv (argv[0] = "reproduce") into o, with the article's sizes as defaults. Returns 0,
 * 1 after printing --help, 2 with a message on stderr for bad usage. */
int repro_parse(int argc, char **argv, struct repro_opts *o);

#endif
