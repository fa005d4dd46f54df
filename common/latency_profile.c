/* Latency profile files (latency_profile.h): read line by line, every field bounded. */
#include "common/latency_profile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 512

void latency_profile_free(struct latency_profile *p)
{
    free(p->dists);
    free(p->labels);
    memset(p, 0, sizeof *p);
}

/* Splits line into at most two blank-separated words; returns how many there were (3 = more). */
static int split_words(char *line, char **w1, char **w2)
{
    char *save = NULL, *extra;

    *w1 = strtok_r(line, " \t\r\n", &save);
    *w2 = *w1 ? strtok_r(NULL, " \t\r\n", &save) : NULL;
    extra = *w2 ? strtok_r(NULL, " \t\r\n", &save) : NULL;
    return extra ? 3 : *w2 ? 2 : *w1 ? 1 : 0;
}

static int add_position(struct latency_profile *p, const char *label, const char *dist,
                        long fixed_ms, char *err, size_t errlen)
{
    if (p->count == LATENCY_PROFILE_MAX) {
        snprintf(err, errlen, "more than %d positions", LATENCY_PROFILE_MAX);
        return -1;
    }
    if (strlen(label) >= LATENCY_PROFILE_NAME) {
        snprintf(err, errlen, "label longer than %d characters", LATENCY_PROFILE_NAME - 1);
        return -1;
    }
    if (latency_parse(dist, fixed_ms, &p->dists[p->count], err, errlen) != 0)
        return -1;
    snprintf(p->labels[p->count], LATENCY_PROFILE_NAME, "%s", label);
    p->count++;
    return 0;
}

/* One line that is not a comment: the name line first, then positions. */
static int read_line(struct latency_profile *p, char *line, long fixed_ms, char *err, size_t errlen)
{
    char *w1, *w2;
    int words = split_words(line, &w1, &w2);

    if (words == 0)
        return 0;
    if (words != 2) {
        snprintf(err, errlen, "expected two words, %s",
                 p->name[0] ? "LABEL DISTRIBUTION" : "name NAME");
        return -1;
    }
    if (p->name[0] != '\0')
        return add_position(p, w1, w2, fixed_ms, err, errlen);
    if (strcmp(w1, "name") != 0 || strlen(w2) >= LATENCY_PROFILE_NAME) {
        snprintf(err, errlen, "the first line must be 'name NAME' (NAME up to %d characters)",
                 LATENCY_PROFILE_NAME - 1);
        return -1;
    }
    snprintf(p->name, sizeof p->name, "%s", w2);
    return 0;
}

/* The next line into buf, its newline kept: its length in bytes (a NUL byte counted, which
 * fgets would hide), 0 at the end of the file, -1 when it does not fit in cap - 1 bytes. */
static long next_line(FILE *f, char *buf, size_t cap)
{
    size_t n = 0;
    int c = 0;

    while (c != '\n' && (c = getc(f)) != EOF) {
        if (n + 2 > cap)
            return -1;
        buf[n++] = (char)c;
    }
    buf[n] = '\0';
    return (long)n;
}

static int read_lines(FILE *f, struct latency_profile *p, long fixed_ms, char *why, size_t len,
                      int *lineno)
{
    char line[LINE_MAX_LEN], *nul;
    long bytes = 0, n;

    while ((n = next_line(f, line, sizeof line)) != 0) {
        ++*lineno;
        if (n < 0) {
            snprintf(why, len, "line longer than %d characters", LINE_MAX_LEN - 2);
            return -1;
        }
        if ((nul = memchr(line, '\0', (size_t)n)) != NULL) {
            snprintf(why, len, "a NUL byte at column %d (a latency profile is text)",
                     (int)(nul - line) + 1);
            return -1;
        }
        bytes += n;
        if (bytes > LATENCY_PROFILE_MAX_BYTES) {
            snprintf(why, len, "file larger than %d bytes", LATENCY_PROFILE_MAX_BYTES);
            return -1;
        }
        char *hash = strchr(line, '#');
        if (hash != NULL)
            *hash = '\0';
        if (read_line(p, line, fixed_ms, why, len) != 0)
            return -1;
    }
    if (ferror(f)) {
        snprintf(why, len, "%s", strerror(errno));
        return -1;
    }
    return 0;
}

int latency_profile_load(const char *path, long fixed_ms, struct latency_profile *p, char *err,
                         size_t errlen)
{
    char why[256] = "";
    int lineno = 0, rc;
    FILE *f;

    memset(p, 0, sizeof *p);
    p->dists = calloc(LATENCY_PROFILE_MAX, sizeof *p->dists);
    p->labels = calloc(LATENCY_PROFILE_MAX, sizeof *p->labels);
    if (p->dists == NULL || p->labels == NULL) {
        latency_profile_free(p);
        snprintf(err, errlen, "latency profile %s: out of memory", path);
        return -1;
    }
    if ((f = fopen(path, "r")) == NULL) {
        latency_profile_free(p);
        snprintf(err, errlen, "latency profile %s: %s", path, strerror(errno));
        return -1;
    }
    rc = read_lines(f, p, fixed_ms, why, sizeof why, &lineno);
    fclose(f);
    if (rc == 0 && p->count == 0)
        snprintf(why, sizeof why,
                 "no positions (expected 'name NAME', then one 'LABEL "
                 "DISTRIBUTION' line per request)");
    if (rc != 0 || p->count == 0) {
        latency_profile_free(p);
        if (rc != 0)
            snprintf(err, errlen, "latency profile %s, line %d: %s", path, lineno, why);
        else
            snprintf(err, errlen, "latency profile %s: %s", path, why);
        return -1;
    }
    return 0;
}
