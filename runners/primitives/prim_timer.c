/* Timer primitives: arm the shortest timer and wait until it fires. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "common/clock.h"
#include "runners/primitives/primitives.h"

static void timer_fired(uv_timer_t *t)
{
    (*(long long *)t->data)++;
}

int prim_uv_timer(long long n, double *seconds, char *err, size_t errlen)
{
    uv_loop_t loop;
    uv_timer_t timer;
    long long fired = 0;
    double t0;

    if (uv_loop_init(&loop) != 0)
        return prim_error(err, errlen, "uv_loop_init", ENOMEM);
    uv_timer_init(&loop, &timer);
    timer.data = &fired;
    t0 = clock_now_s();
    for (long long i = 0; i < n; i++) {
        uv_timer_start(&timer, timer_fired, 0, 0);
        uv_run(&loop, UV_RUN_ONCE);
    }
    *seconds = clock_now_s() - t0;
    uv_close((uv_handle_t *)&timer, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    if (fired != n) {
        snprintf(err, errlen, "uv_timer fired %lld times for %lld starts", fired, n);
        return -EIO;
    }
    return 0;
}

int prim_nanosleep(long long n, double *seconds, char *err, size_t errlen)
{
    struct timespec ns1 = {0, 1};
    double t0 = clock_now_s();

    (void)err;
    (void)errlen;
    for (long long i = 0; i < n; i++)
        while (nanosleep(&ns1, NULL) != 0 && errno == EINTR)
            ;
    *seconds = clock_now_s() - t0;
    return 0;
}

int prim_timerfd(long long n, double *seconds, char *err, size_t errlen)
{
    struct itimerspec its = {.it_value = {0, 1}};
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    uint64_t expirations;
    double t0;

    if (fd < 0)
        return prim_error(err, errlen, "timerfd_create", errno);
    t0 = clock_now_s();
    for (long long i = 0; i < n; i++) {
        if (timerfd_settime(fd, 0, &its, NULL) != 0) {
            close(fd);
            return prim_error(err, errlen, "timerfd_settime", errno);
        }
        while (read(fd, &expirations, sizeof(expirations)) < 0) {
            if (errno != EINTR) {
                close(fd);
                return prim_error(err, errlen, "read(timerfd)", errno);
            }
        }
    }
    *seconds = clock_now_s() - t0;
    close(fd);
    return 0;
}
