#ifndef CONCBENCH_COMMANDS_H
#define CONCBENCH_COMMANDS_H

/* Subcommands other than run; each takes argv[0] = its own name and returns an exit status. */
int cmd_list(int argc, char **argv);
int cmd_reproduce(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_plot(int argc, char **argv);

#endif
