#ifndef CONCBENCH_PROGRESS_H
#define CONCBENCH_PROGRESS_H

/* A one-line progress report on stderr, redrawn in place; silent unless stderr is a terminal,
 * so logs and CI output stay clean. */
struct progress {
    int enabled;
    int cases, rounds;
    double start_s;
};

void progress_start(struct progress *p, int cases, int rounds);
void progress_update(struct progress *p, const char *label, int case_index, int round,
                     int measured);
void progress_end(struct progress *p);

#endif
