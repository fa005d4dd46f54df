#ifndef CONCBENCH_ARTICLE_SIZES_H
#define CONCBENCH_ARTICLE_SIZES_H

/* The sizes of the article's experiment (shared/seeds/003_*: 10 tasks, 7777**200000, four GETs
 * in a row) and of our loopback stand-in for its downloads: the defaults of cpu_bound, io_bound
 * and `reproduce`, written here once. ARTICLE_TEXT gives them as strings for the parameter
 * tables and help texts. */

#define ARTICLE_TASKS    10
#define ARTICLE_BASE     7777
#define ARTICLE_EXPONENT 200000
/* The article's sequential cpu_bound, 2.18 s for 10 tasks: one power per task in its Python. */
#define ARTICLE_TASK_MS  218
#define ARTICLE_REQUESTS 4
#define ARTICLE_DELAY_MS 100   /* our server's fixed delay per request */
#define ARTICLE_BYTES    16384 /* our server's body size */

#define ARTICLE_TEXT_(x) #x
#define ARTICLE_TEXT(x)  ARTICLE_TEXT_(x)

#endif
