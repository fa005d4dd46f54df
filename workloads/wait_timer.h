#ifndef CONCBENCH_WAIT_TIMER_H
#define CONCBENCH_WAIT_TIMER_H

#include "workloads/workload.h"

/* Waiting a given time, both faces: the blocking one sleeps the calling thread to an absolute
 * deadline; the async one starts a uv_timer on t->env->loop and calls t->env->done(t, 0) once the
 * time has fully passed. Shared by the sleep and script workloads. Both are cancellation points: a
 * task is cancelled where it waits, cooperatively, under every model. */

/* 0, or -ECANCELED when the cancellation deadline came first (cancellable = 0: a blocking call
 * that nothing interrupts, like time.sleep() in a thread; it always sleeps its time). */
int wait_timer_block(long long ms, int cancellable);
/* 0, or a negative errno when the timer could not start (done will not be called); done gets
 * -ECANCELED when the cancellation deadline came first. */
int wait_timer_start(struct task_ctx *t, long long ms);

/* run --cancel-after: from at_s (CLOCK_MONOTONIC seconds; 0 = never) every wait ends at once with
 * -ECANCELED, as an awaited sleep raises CancelledError in a cancelled asyncio task. Set once in
 * the repetition's process before the model runs; forked children inherit it. */
void wait_timer_cancel_at(double at_s);
/* For waits a workload serves itself (sleep's deadline queue): when a wait due at due_s
 * (CLOCK_MONOTONIC seconds) ends, due_s or the cancellation deadline when that comes first; and
 * whether a wait that ended at at_s was cut short there (it ended at the deadline itself). */
double wait_timer_until(double due_s);
int wait_timer_cut_at(double at_s);

#endif
