#include "workloads/gil.h"

#include <pthread.h>
#include <stdlib.h>

#include "common/clock.h"

struct gil {
    pthread_mutex_t mu;
    pthread_cond_t turn;
    unsigned long next, serving; /* tickets: the holder has `serving`, waiters the ones after */
    double held_since, interval_s;
};

struct gil *gil_new(double interval_s)
{
    struct gil *g = calloc(1, sizeof(*g));

    if (g == NULL)
        return NULL;
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->turn, NULL);
    g->interval_s = interval_s;
    return g;
}

void gil_free(struct gil *g)
{
    if (g == NULL)
        return;
    pthread_mutex_destroy(&g->mu);
    pthread_cond_destroy(&g->turn);
    free(g);
}

static void acquire_locked(struct gil *g)
{
    unsigned long ticket = g->next++;

    while (g->serving != ticket)
        pthread_cond_wait(&g->turn, &g->mu);
    g->held_since = clock_now_s();
}

static void release_locked(struct gil *g)
{
    g->serving++;
    pthread_cond_broadcast(&g->turn);
}

void gil_acquire(struct gil *g)
{
    pthread_mutex_lock(&g->mu);
    acquire_locked(g);
    pthread_mutex_unlock(&g->mu);
}

void gil_release(struct gil *g)
{
    pthread_mutex_lock(&g->mu);
    release_locked(g);
    pthread_mutex_unlock(&g->mu);
}

void gil_check(struct gil *g)
{
    pthread_mutex_lock(&g->mu);
    if (g->next - g->serving > 1 && clock_now_s() - g->held_since >= g->interval_s) {
        release_locked(g);
        acquire_locked(g); /* at the back of the queue */
    }
    pthread_mutex_unlock(&g->mu);
}
