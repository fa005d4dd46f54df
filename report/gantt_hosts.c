/* What the timelines say of a case whose model launched its workers (mpi): its start-up and,
 * when its ranks ran on more than one host, a letter per host after the worker in the Gantt, the
 * hosts under the panel, and how far the task times of different hosts can be trusted against
 * each other (report/gantt.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/termsafe.h"
#include "report/gantt_internal.h"

int gantt_align_note(const struct rm_case *c, int ascii, char *buf, size_t len)
{
    double u = rm_launch_uncertainty(c);

    buf[0] = '\0';
    if (u < 0)
        return 0;
    snprintf(buf, len, "times across hosts aligned to rank 0 within %s%.3g ms", ascii ? "+-" : "±",
             u * 1e3);
    return 1;
}

const char *gantt_startup_text(const struct rm_case *c, char *buf, size_t len)
{
    buf[0] = '\0';
    if (c->launch != NULL && isfinite(c->launch->startup_s))
        snprintf(buf, len, " (start-up %.2f s)", c->launch->startup_s);
    return buf;
}

char gantt_host_letter(const struct rm_case *c, const struct rm_task *t)
{
    int h = rm_launch_host_of(c, t->worker);

    if (rm_launch_uncertainty(c) < 0)
        return ' ';
    return h >= 0 && h < 26 ? (char)('A' + h) : '?';
}

/* "  hosts: A h1, B h2 (clock +0.012 ms), ...; times across hosts aligned ...", wrapped. */
void gantt_hosts_line(const struct rm_case *c, const struct gantt_style *st, FILE *out)
{
    const struct rm_launch *l = c->launch;
    char note[128], safe[160];
    int col;

    if (!gantt_align_note(c, st->ascii, note, sizeof(note)))
        return;
    col = fprintf(out, "  hosts (the letter after wk):");
    for (int i = 0; i < l->nhosts && i < 26; i++) {
        char one[256];
        int n = snprintf(one, sizeof(one), " %c %s", 'A' + i,
                         term_safe(l->hosts[i].name, 40, safe, sizeof(safe)));
        if (isfinite(l->hosts[i].offset_s) && i > 0)
            n += snprintf(one + n, sizeof(one) - (size_t)n, " (clock %+.3g ms)",
                          l->hosts[i].offset_s * 1e3);
        if (col + n + 1 > st->width) {
            fputs("\n   ", out);
            col = 3;
        }
        col += fprintf(out, "%s%s", one, i + 1 < l->nhosts ? "," : ";");
    }
    fprintf(out, "%s%s\n", col + 1 + (int)strlen(note) > st->width ? "\n  " : " ", note);
}
