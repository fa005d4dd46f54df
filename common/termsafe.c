/* Text made safe for a terminal (termsafe.h). */
#include "common/termsafe.h"

#include <stdio.h>
#include <string.h>

/* The length of the UTF-8 character at s (1-4) and its code point, or 0 when s does not start
 * one (a stray continuation byte, an overlong form, a surrogate, past U+10FFFF, cut short). */
static int utf8_char(const unsigned char *s, unsigned *cp)
{
    int n;
    unsigned c = s[0], min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0)
        n = 2, c &= 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0)
        n = 3, c &= 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0)
        n = 4, c &= 0x07, min = 0x10000;
    else
        return 0;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

/* 1 for what a terminal acts on rather than shows. */
static int unsafe(unsigned cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

const char *term_safe(const char *s, size_t max, char *buf, size_t len)
{
    const unsigned char *p = (const unsigned char *)(s != NULL ? s : "?");
    size_t used = 0, chars = 0;

    if (len == 0)
        return buf;
    while (*p != '\0') {
        char piece[16];
        size_t plen, pchars;
        unsigned cp;
        int n = utf8_char(p, &cp);

        if (n == 0) {
            plen = (size_t)snprintf(piece, sizeof(piece), "\\x%02x", *p);
            pchars = plen;
            n = 1;
        } else if (unsafe(cp)) {
            plen = (size_t)(cp < 0x80 ? snprintf(piece, sizeof(piece), "\\x%02x", cp)
                                      : snprintf(piece, sizeof(piece), "\\u%04x", cp));
            pchars = plen;
        } else {
            memcpy(piece, p, (size_t)n);
            plen = (size_t)n;
            pchars = 1;
        }
        if ((max > 0 && chars + pchars > max) || used + plen >= len)
            break;
        memcpy(buf + used, piece, plen);
        used += plen;
        chars += pchars;
        p += n;
    }
    buf[used] = '\0';
    return buf;
}
