/* While a hub runs, a SIGSEGV/SIGBUS handler on an alternate stack names the coroutine whose
 * stack overflowed into its guard page, before the process dies of the signal. Sanitizer builds
 * report overflows themselves and leave this out (green_internal.h). */
#include "runners/green/green_internal.h"

#ifdef GREEN_SEGV_HINT
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define GREEN_ALTSTACK (64 * 1024)

/* Appends the decimal digits of v to buf at *len (async-signal-safe). */
static void hint_num(char *buf, size_t *len, size_t cap, unsigned long v)
{
    char digits[24];
    int n = 0;

    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    while (n > 0 && *len < cap)
        buf[(*len)++] = digits[--n];
}

static void hint_str(char *buf, size_t *len, size_t cap, const char *str)
{
    while (*str != '\0' && *len < cap)
        buf[(*len)++] = *str++;
}

static void hint_restore(struct green_sched *s)
{
    sigaction(SIGSEGV, &s->old_segv, NULL);
    sigaction(SIGBUS, &s->old_bus, NULL);
}

/* A fault just below the running coroutine's stack is an overflow: say so, put the previous
 * handlers back and return, so the access faults again and the process dies (or the previous
 * handler deals with it) as it would have without us. */
static void segv_hint(int sig, siginfo_t *si, void *uc)
{
    struct green_sched *s = green_tls;
    struct green_thread *g = s != NULL ? s->current : NULL;
    const char *addr = si->si_addr;

    (void)sig;
    (void)uc;
    if (s == NULL)
        return; /* cannot happen: installed only while a hub runs */
    if (g != NULL && addr < green_lo(s, g) && addr >= green_lo(s, g) - ((size_t)1 << 20)) {
        char msg[320];
        size_t len = 0;

        hint_str(msg, &len, sizeof(msg), "green: stack overflow in coroutine ");
        hint_num(msg, &len, sizeof(msg), (unsigned long)g->id);
        hint_str(msg, &len, sizeof(msg), ": it needed more than its ");
        hint_num(msg, &len, sizeof(msg), green_usable(s, g) / 1024);
        hint_str(msg, &len, sizeof(msg),
                 " KiB stack. Give coroutines bigger stacks (concbench: -m green:stack_kib=N)\n");
        if (write(2, msg, len) < 0) {
            /* nothing else to do in a signal handler */
        }
    }
    hint_restore(s);
}

void green_hint_install(struct green_sched *s)
{
    struct sigaction sa;
    stack_t ss;

    if (s->altstack == NULL) {
        s->altstack = mmap(NULL, GREEN_ALTSTACK, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (s->altstack == MAP_FAILED) {
            s->altstack = NULL;
            return;
        }
    }
    ss.ss_sp = s->altstack;
    ss.ss_size = GREEN_ALTSTACK;
    ss.ss_flags = 0;
    if (sigaltstack(&ss, &s->old_altstack) != 0 || s->hint_shared)
        return;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = segv_hint;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &s->old_segv);
    sigaction(SIGBUS, &sa, &s->old_bus);
}

void green_hint_remove(struct green_sched *s)
{
    if (s->altstack == NULL)
        return;
    if (!s->hint_shared)
        hint_restore(s);
    sigaltstack(&s->old_altstack, NULL);
}

/* Several hubs on several threads: installing and restoring per hub would leave whichever
 * handler the last hub to stop had saved, possibly our own after every hub is gone. */
void green_hint_share(struct green_sched **s, int n)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = segv_hint;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &s[0]->old_segv);
    sigaction(SIGBUS, &sa, &s[0]->old_bus);
    for (int i = 0; i < n; i++) {
        s[i]->old_segv = s[0]->old_segv;
        s[i]->old_bus = s[0]->old_bus;
        s[i]->hint_shared = 1;
    }
}

void green_hint_unshare(struct green_sched *first)
{
    hint_restore(first);
}

void green_hint_free(struct green_sched *s)
{
    if (s->altstack != NULL)
        munmap(s->altstack, GREEN_ALTSTACK);
}
#endif
