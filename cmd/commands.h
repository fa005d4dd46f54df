#ifndef CONCBENCH_COMMANDS_H
#define CONCBENCH_COMMANDS_H

/* The subcommands: one file each in cmd/, one row each in the table of cmd/main.c, which the
 * dispatch, the usage text and the "unknown command" message all read. Each takes argv[0] = its
 * own name and returns the process exit status. */

struct command {
    const char *name;
    const char *summary; /* one line, or two with '\n' */
    int (*run)(int argc, char **argv);
};

extern const struct command commands[];

int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_reproduce(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_plot(int argc, char **argv);
/* `concbench compare BASE.json HEAD.json`: 0 no regression, 1 bad input, 2 usage, 3 regression. */
int cmd_compare(int argc, char **argv);
/* `concbench export FILE --format FORMAT`: 0, 1 input or invalid cases, 2 usage. */
int cmd_export(int argc, char **argv);
/* `concbench history add|list|show|compare`: exit codes as compare's for compare. */
int cmd_history(int argc, char **argv);
/* `concbench system`: the machine's noise facts with hints; 0 (2 on bad usage). */
int cmd_system(int argc, char **argv);
/* `concbench primitives`: ns per spawn, switch and timer (cmd/primitives.c). */
int cmd_primitives(int argc, char **argv);
/* `concbench switchcost [OPTIONS]`: primitives --only green_switch,swapcontext [OPTIONS]. */
int cmd_switchcost(int argc, char **argv);
/* `concbench sweep`: every model over growing N (cmd/sweep.c). */
int cmd_sweep(int argc, char **argv);
/* `concbench serve [--host H] [--port N] [--idle-timeout-ms N] [--quiet]`: runs in the
 * foreground until SIGINT/SIGTERM; prints "listening on http://HOST:PORT" on stdout once bound.
 * Returns 0 after a clean stop, 1 if the server could not start, 2 on bad options. */
int cmd_serve(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_demo(int argc, char **argv);

#endif
