#ifndef CONCBENCH_SWITCH_COST_H
#define CONCBENCH_SWITCH_COST_H

/* `concbench switchcost`: nanoseconds per context switch, green_ctx_switch against glibc's
 * swapcontext, measured by ping-pong between two contexts. argv[0] is the subcommand name;
 * options follow (see --help). Returns the process exit code: 0, 1 on a failure to measure,
 * 2 on bad arguments. */
int switchcost_main(int argc, char **argv);

#endif
