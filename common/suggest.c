#include "common/suggest.h"

#include <stdio.h>
#include <string.h>

#define CAP      99
#define MAX_NAME 64

static int min3(int a, int b, int c)
{
    int m = a < b ? a : b;
    return m < c ? m : c;
}

int suggest_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    int d[MAX_NAME + 1][MAX_NAME + 1];

    if (n > MAX_NAME || m > MAX_NAME)
        return CAP;
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            int cost = a[i - 1] != b[j - 1];
            d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < d[i][j])
                d[i][j] = d[i - 2][j - 2] + 1;
        }
    }
    return d[n][m] < CAP ? d[n][m] : CAP;
}

void suggest_init(struct suggest *s, const char *word)
{
    *s = (struct suggest){word, NULL, CAP};
}

void suggest_offer(struct suggest *s, const char *candidate)
{
    size_t longer;
    int d;

    if (candidate == NULL || s->word == NULL)
        return;
    longer = strlen(s->word) > strlen(candidate) ? strlen(s->word) : strlen(candidate);
    d = suggest_distance(s->word, candidate);
    if (d == 0 || d > 2 || 2 * (size_t)d >= longer || d >= s->distance)
        return;
    s->best = candidate;
    s->distance = d;
}

const char *suggest_text(const struct suggest *s, const char *prefix, char *buf, size_t len)
{
    if (s->best == NULL)
        snprintf(buf, len, "%s", "");
    else
        snprintf(buf, len, "; did you mean %s%s?", prefix, s->best);
    return buf;
}
