#ifndef CONCBENCH_TERM_WIDTH_H
#define CONCBENCH_TERM_WIDTH_H

/* How wide the text output may be (prefix term_): COLUMNS when it holds a width (so a user, or a
 * test, can ask for one anywhere, pipes included); else the terminal's width when fd is one;
 * else 0, no limit: output to a pipe or a file keeps every column, the same bytes whatever the
 * terminal the command was started from, for the scripts that read it. */
int term_width(int fd);

#endif
