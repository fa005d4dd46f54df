/* The two looks of a picture: the default (small type, for a page or a screen) and --slides
 * (1920x1080, type of 28 px at least, read from the back of a room). Sizes by role, and titles
 * broken into lines that fit, so that none is clipped at the picture's edges. */
#include <stdio.h>
#include <string.h>

#include "report/plot_internal.h"
#include "report/plot_style.h"

/* Points, which gnuplot's cairo PNG (72 dpi) and SVG terminals both draw as pixels. */
static const int role_size[2][5] = {
    /* title, panel title, tick, key, small */
    {11, 9, 8, 9, 7},
    {PLOT_SLIDES_TITLE_PX, PLOT_SLIDES_PANEL_PX, PLOT_SLIDES_TEXT_PX, PLOT_SLIDES_TEXT_PX,
     PLOT_SLIDES_TEXT_PX},
};

int plot_font_px(const struct plot_ctx *p, enum plot_role role)
{
    return role_size[p->slides != 0][role];
}

const char *gp_font(const struct plot_ctx *p, enum plot_role role)
{
    static char buf[5][32];

    snprintf(buf[role], sizeof(buf[role]), " font ',%d'", plot_font_px(p, role));
    return buf[role];
}

/* Characters (UTF-8 code points) of s before end. */
static int chars_of(const char *s, const char *end)
{
    int n = 0;

    for (; s < end; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* Bytes of s that hold at most n characters. */
static size_t bytes_for(const char *s, size_t len, int n)
{
    size_t b = 0;

    while (b < len && n > 0) {
        b++;
        while (b < len && ((unsigned char)s[b] & 0xc0) == 0x80)
            b++;
        n--;
    }
    return b;
}

/* Appends one source line (no break inside) to out, broken into lines of at most cols
 * characters: at the last space that fits, else cut. */
static size_t wrap_line(const char *s, size_t slen, int cols, char *out, size_t used, size_t len)
{
    while (slen > 0 && used + 2 < len) {
        size_t take = slen, cut;
        if (chars_of(s, s + slen) > cols) {
            take = bytes_for(s, slen, cols);
            for (cut = take; cut > 0 && s[cut] != ' '; cut--)
                ;
            take = cut > 0 ? cut : take;
        }
        if (take > len - used - 2)
            take = len - used - 2;
        memcpy(out + used, s, take);
        used += take;
        s += take;
        slen -= take;
        while (slen > 0 && *s == ' ') /* the space at a break is not kept */
            s++, slen--;
        if (slen > 0)
            out[used++] = '\n';
    }
    out[used] = '\0';
    return used;
}

void plot_wrap(const struct plot_ctx *p, enum plot_role role, int width, const char *text,
               char *out, size_t len)
{
    /* DejaVu Sans: about 0.65 em a character in English text (measured); 0.74 leaves room for
     * capitals and wide letters */
    int cols = (int)(width / (plot_font_px(p, role) * 0.74));
    size_t used = 0;

    if (len == 0)
        return;
    out[0] = '\0';
    if (cols < 8)
        cols = 8;
    while (text != NULL && *text != '\0' && used + 2 < len) {
        const char *nl = strchr(text, '\n');
        size_t slen = nl ? (size_t)(nl - text) : strlen(text);
        used = wrap_line(text, slen, cols, out, used, len);
        text += slen;
        if (*text == '\n' && used + 2 < len) {
            out[used++] = '\n';
            out[used] = '\0';
            text++;
        }
    }
}

void plot_cut(const struct plot_ctx *p, enum plot_role role, int width, const char *text, char *out,
              size_t len)
{
    char *nl;

    plot_wrap(p, role, width, text, out, len);
    if ((nl = strchr(out, '\n')) != NULL)
        snprintf(nl, len - (size_t)(nl - out), "…");
}
