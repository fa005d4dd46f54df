#!/usr/bin/env bash
# green:sched=mn from the outside: the three workloads that wait or compute run valid on two
# workers, stack=copy is refused with the reason, and `list` teaches the options.
set -u
bin=$1
passed=0 failures=0
expect_timeout=300
source "$(dirname "$0")/expect.bash"

expect 0 "sched +default hub +hub\|mn" list
expect 0 "threads +default 0" list
# io_bound's raw client keeps each task's connection (a libuv handle) across its requests: the
# runner pins a task's coroutine to its worker for that
for wl in sleep:ms=20 io_bound:requests=3 io_bound:client=raw:requests=3 cpu_bound:target_ms=5; do
  expect 0 "green:sched=mn:threads=2 .* ok" run -m green:sched=mn:threads=2 -w "$wl" -n 20 -r 1 \
    --warmup 0
done
expect 1 "sched=mn needs stack=separate" run -m green:sched=mn:stack=copy -w sleep -n 2 -r 1 \
  --warmup 0
expect 2 "sched.*valid|hub\|mn" run -m green:sched=nm -w sleep -n 2 -r 1 --warmup 0

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
