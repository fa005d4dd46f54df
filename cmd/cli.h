#ifndef CONCBENCH_CLI_H
#define CONCBENCH_CLI_H

/* The command-line plumbing every command shares: getopt_long with one wording for a missing
 * value, an unknown option and a wrong number of operands, each naming the command and its
 * --help. */

#include <getopt.h>

#define CLI_USAGE (-2) /* cli_next: the message is printed; exit with status 2 */

struct cli {
    const char *cmd; /* "run", "report", ... */
    int argc;
    char **argv;
    const char *shortopts; /* without the leading ':', which cli adds */
    const struct option *longopts;
};

/* Starts reading argv (argv[0] = the command's name). */
void cli_init(struct cli *c, const char *cmd, int argc, char **argv, const char *shortopts,
              const struct option *longopts);
/* The next option (its value in optarg), -1 after the last, or CLI_USAGE. */
int cli_next(struct cli *c);
/* A whole-number option: its flag (for messages), range, and where it goes (ll or i). */
struct cli_number {
    int opt; /* what cli_next returns for it */
    const char *flag;
    long long min, max;
    long long *ll;
    int *i;
};

/* When opt is one of table's (ended by opt 0), parses optarg into it: 1, or CLI_USAGE after
 * "concbench CMD: --tasks 'x': expected a whole number from 1 to 10000000". 0 when it is not. */
int cli_number_option(const struct cli *c, const struct cli_number *table, int opt);

/* Appends optarg to a repeatable option's list (list[*n], at most max): 1, or CLI_USAGE after
 * "concbench CMD: too many FLAG (at most MAX)". */
int cli_append(const struct cli *c, const char *flag, const char **list, int *n, int max);

/* After the options: checks that min..max operands follow (missing says what to give when
 * there are too few). Returns the index of the first operand in argv, or CLI_USAGE. */
int cli_operands(struct cli *c, int min, int max, const char *missing);

/* Every file a command writes goes through common/outfile.h's safe writer; this is its check,
 * made before any work: 0 when path may be written (NULL: none asked), or CLI_USAGE after
 * "concbench CMD: FILE is a symbolic link: ..." (a device, FIFO, socket, directory, symbolic
 * link, read-only file or empty path is refused). */
int cli_output(const char *cmd, const char *path);

/* "concbench CMD: MSG" on stderr, MSG made safe for a terminal (common/termsafe.h): a message
 * may quote a path, a results file's text or jansson's view of it. */
void cli_error(const char *cmd, const char *msg);

#endif
