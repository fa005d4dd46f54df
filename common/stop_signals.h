#ifndef CONCBENCH_STOP_SIGNALS_H
#define CONCBENCH_STOP_SIGNALS_H

/* Ctrl-C and SIGTERM during a run: instead of ending concbench at once, they are noted, so the
 * harness can stop the child it is waiting for, keep what finished and write it out. The
 * handler does not restart system calls: a wait in progress returns with EINTR and notices. */

/* From here to stop_signals_release, SIGINT and SIGTERM are caught (the note starts cleared). */
void stop_signals_catch(void);
void stop_signals_release(void);

/* The signal caught since stop_signals_catch, or 0. */
int stop_signal_caught(void);

#endif
