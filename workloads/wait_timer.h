#ifndef CONCBENCH_WAIT_TIMER_H
#define CONCBENCH_WAIT_TIMER_H

#include "workloads/workload.h"

/* Waiting a given time, both faces: the blocking one sleeps the calling thread to an absolute
 * deadline; the async one starts a uv_timer on t->loop and calls t->done(t, 0) once the time has
 * fully passed. Shared by the sleep and script workloads. */

void wait_timer_block(long long ms);
/* 0, or a negative errno when the timer could not start (done will not be called). */
int wait_timer_start(struct task_ctx *t, long long ms);

#endif
