#ifndef CONCBENCH_SPAWN_NOTES_H
#define CONCBENCH_SPAWN_NOTES_H

#include <stdio.h>

#include "rmodel/rmodel.h"

/* Lines for the cases whose task creation (one thread or process per task) is at least a tenth
 * of their median wall time, naming what the model's own spawn path and the raw primitive cost
 * on this machine (measured when called, only for the models that need it). Prints nothing when
 * no case qualifies. */
void spawn_notes(const struct rm_file *f, FILE *out);

#endif
