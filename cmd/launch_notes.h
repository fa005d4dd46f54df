#ifndef CONCBENCH_LAUNCH_NOTES_H
#define CONCBENCH_LAUNCH_NOTES_H

#include <stdio.h>

#include "rmodel/rmodel.h"

/* Lines for the cases of a model that launches its workers (mpi): their start-up, told apart
 * from the wall time it is part of, and the hosts the ranks ran on with each clock's offset from
 * rank 0's and its uncertainty (the case's "launch" object). Prints nothing when no case has. */
void launch_notes(const struct rm_file *f, FILE *out);

#endif
