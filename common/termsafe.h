#ifndef CONCBENCH_TERMSAFE_H
#define CONCBENCH_TERMSAFE_H

/* Text that came from a file or the environment (a label, a host, a commit, a path), made safe
 * to print on a terminal: a results file must not be able to retitle the window, clear the
 * screen, move the cursor, write the clipboard (OSC 52) or hide text behind a carriage return.
 * Every renderer that prints such text passes it through term_safe. */

#include <stddef.h>

/* The worst growth of one input byte ("\x1b" for a byte): a buffer of 4 * strlen + 1 bytes
 * holds any text whole. */
#define TERM_SAFE_GROWTH 4

/* Copies s into buf (len bytes, always NUL-terminated) with every control character (C0, DEL,
 * C1) and every bidirectional override shown as an escape (ESC as \x1b, U+0085 as \u0085,
 * U+202E as \u202e) and every byte that is not UTF-8 as \xNN; printable UTF-8 is kept. At most
 * max characters (0: no limit; an escape counts its printed length), cut between characters,
 * never inside one or inside an escape; a longer text is cut at len as well. NULL gives "?".
 * Returns buf. */
const char *term_safe(const char *s, size_t max, char *buf, size_t len);

#endif
