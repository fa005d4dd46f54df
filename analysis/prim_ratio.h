#ifndef CONCBENCH_PRIM_RATIO_H
#define CONCBENCH_PRIM_RATIO_H

/* A reading of a primitives results file (`concbench primitives -o`): a model's own path
 * against the raw primitive it names in its compared_with param, both measured in the same
 * run with their runs alternating. */

#include "rmodel/rmodel.h"

struct pratio {
    const struct rm_case *raw; /* the case compared with */
    double wall;               /* median wall time per operation over the raw one's */
    double cpu; /* the same of CPU time (user + system of every run, children's too) */
};

/* c's ratios to its raw primitive in f: 0, or -1 when c names none, or it is not in f or
 * either is not valid. */
int pratio_of(const struct rm_file *f, const struct rm_case *c, struct pratio *r);

#endif
