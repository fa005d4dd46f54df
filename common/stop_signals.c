#include "common/stop_signals.h"

#include <signal.h>
#include <stddef.h>

static volatile sig_atomic_t caught;
static struct sigaction old_int, old_term;

static void on_stop(int sig)
{
    caught = sig;
}

void stop_signals_catch(void)
{
    struct sigaction sa = {0};

    caught = 0;
    sa.sa_handler = on_stop; /* no SA_RESTART */
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
}

void stop_signals_release(void)
{
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
}

int stop_signal_caught(void)
{
    return caught;
}
