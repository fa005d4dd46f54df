#ifndef CONCBENCH_RENDER_H
#define CONCBENCH_RENDER_H

/* The one shape of a renderer: what it shows (a results model, `const struct rm_file *`), how
 * (these options, NULL for the defaults), and where (a `FILE *`):
 *     void NAME(const struct rm_file *f, const struct render_opts *ro, FILE *out);
 * A renderer of an analysis's data takes that data in place of the model. */

struct rm_published;

struct render_opts {
    const char *workload;                 /* only this workload's cases; NULL: every case */
    const struct rm_published *published; /* the article's figures, where a renderer shows them */
    double scale; /* the demos' stories: the scale their scenario ran at (0: 1) */
    int width;    /* the columns text may take (common/term_width.h), 0: no limit */
};

#endif
