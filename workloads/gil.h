#ifndef CONCBENCH_GIL_H
#define CONCBENCH_GIL_H

/* An interpreter-like global lock (model option gil=on), to show Python's CPU shape in C: any
 * compute step holds it, waits do not, and a holder hands it over once it has held it for the
 * switch interval while another thread waits, as CPython's eval loop does when its eval breaker
 * asks it to drop the GIL (sys.getswitchinterval(), 5 ms by default). Handover is in arrival
 * order (a ticket lock), so a waiting thread gets its turn. */

struct gil;

/* NULL when memory runs out. */
struct gil *gil_new(double interval_s);
void gil_free(struct gil *g);
void gil_acquire(struct gil *g);
void gil_release(struct gil *g);
/* Between two pieces of a compute step: gives the lock to the next waiter when the interval has
 * passed, and waits for it back. Without a waiter it returns at once. */
void gil_check(struct gil *g);

#endif
