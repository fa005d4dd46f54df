#!/usr/bin/env bash
# green:sched=mn from the outside: the three workloads that wait or compute run valid on two
# workers with both stack schemes (stack=copy where the build has it, else refused with the
# reason), and `list` teaches the options.
set -u
bin=$1
passed=0 failures=0
expect_timeout=300
source "$(dirname "$0")/expect.bash"

expect 0 "sched +default hub +hub\|mn" list
expect 0 "threads +default 0" list
sanitized=0
grep -Eq '__(a|t)san_init' "$bin" && sanitized=1
schemes=separate
[ "$sanitized" -eq 0 ] && schemes="separate copy"
# io_bound's raw client keeps each task's connection (a libuv handle) across its requests: the
# runner pins a task's coroutine to its worker for that
for stack in $schemes; do
  for wl in sleep:ms=20 io_bound:requests=3 io_bound:client=raw:requests=3 cpu_bound:target_ms=5; do
    expect 0 "green:sched=mn:threads=2:stack=$stack .* ok" run \
      -m "green:sched=mn:threads=2:stack=$stack" -w "$wl" -n 20 -r 1 --warmup 0
  done
done
if [ "$sanitized" -eq 1 ]; then
  expect 1 "stack=copy needs the assembly context switch" run -m green:sched=mn:stack=copy \
    -w sleep -n 2 -r 1 --warmup 0
else
  expect 0 "stack=copy: before their first run only" run -m green:sched=mn -w sleep -n 2 -r 1 \
    --warmup 0
fi
expect 2 "sched.*valid|hub\|mn" run -m green:sched=nm -w sleep -n 2 -r 1 --warmup 0

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
