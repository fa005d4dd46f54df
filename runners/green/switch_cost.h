#ifndef CONCBENCH_SWITCH_COST_H
#define CONCBENCH_SWITCH_COST_H

/* `concbench switchcost`: nanoseconds per context switch, green_ctx_switch against glibc's
 * swapcontext, measured by ping-pong between two contexts. argv[0] is the subcommand name;
 * options follow (see --help). Returns the process exit code: 0, 1 on a failure to measure,
 * 2 on bad arguments. */
int switchcost_main(int argc, char **argv);

/* The ping-pong itself, for `concbench primitives`: two pairs of contexts (green_ctx_switch and
 * swapcontext) set up once; one pair per process at a time (swapcontext's are static). */
struct sc_pair;
struct sc_pair *sc_pair_new(void);
void sc_pair_free(struct sc_pair *p);
/* Seconds for n round trips (2 switches each): which = 0 green_ctx_switch, 1 swapcontext. */
double sc_pair_time(struct sc_pair *p, int which, long long n);

#endif
