#!/usr/bin/env bash
# demo --step with a scripted stdin: it waits for a line before each model and before the story
# (a model's "done" line never comes before the Enter that lets it run); at the end of stdin it
# goes on without waiting; --model picks the models and a bad one is named with the valid ones.
set -u
bin=$1
failures=0
passed=0
expect_timeout=120
source "$(dirname "$0")/expect.bash"
tmp=$(mktemp -d /tmp/concbench-step-XXXXXX)
demo_pid=
trap '[ -n "$demo_pid" ] && kill "$demo_pid" 2>/dev/null; rm -rf "$tmp"' EXIT

# waits_for PATTERN: until the demo's output has it (a bound of 60 s, not a timing check)
waits_for() {
  for _ in $(seq 600); do
    grep -qF -- "$1" "$tmp/out" && return 0
    sleep 0.1
  done
  return 1
}

mkfifo "$tmp/in"
"$bin" demo gather --scale 0.01 --step --model sequential,evloop <"$tmp/in" >"$tmp/out" 2>&1 &
demo_pid=$!
exec 3>"$tmp/in" # stdin stays open: the demo can only go on when a line comes
check "asks before the first model" waits_for "Press Enter: run sequential (1 of 2)"
check "runs nothing before Enter" bash -c "! grep -q 'done in' '$tmp/out'"
echo >&3
check "asks before the second model" waits_for "Press Enter: run evloop (2 of 2)"
check "the first model ran, the second not yet" \
  bash -c "grep -q 'sequential: done in' '$tmp/out' && ! grep -q 'evloop: done in' '$tmp/out'"
echo >&3
check "asks before the story" waits_for "Press Enter: what happened"
check "no story before Enter" bash -c "! grep -q 'What happened:' '$tmp/out'"
echo >&3
exec 3>&-
wait "$demo_pid"
check "exits 0 once every Enter came" test $? -eq 0
demo_pid=
check "then tells the story" grep -q "What happened:" "$tmp/out"

# At the end of stdin it goes on: one prompt, then no more waiting.
out=$("$bin" demo gather --scale 0.01 --step -m sequential,evloop </dev/null 2>&1)
check "EOF: runs to the end" grep -q "What happened:" <<<"$out"
check "EOF: asks once, then no more" test "$(grep -c 'Press Enter' <<<"$out")" -eq 1

expect 2 "unknown model 'thread' \(valid: sequential, pthreads.*\)" demo gather --model thread
expect 0 "--step" demo --help

echo "demo_step: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
