#!/usr/bin/env bash
# A harness killed with kill -9 leaves nothing of its run alive (issue 11, item 11): not the
# repetition's process, not the model's task processes, not the embedded server. The run gets a
# session of its own (setsid), so every process it started can be found by session id.
set -u
bin=$(realpath "$1")
failures=0
passed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# session_procs SID: the processes of session SID, one "pid comm" a line
session_procs() { ps -e -o sid=,pid=,comm= | awk -v s="$1" '$1 == s {print $2, $3}'; }

check_kill9() { # check_kill9 DESCRIPTION MIN_PROCESSES ARGS...
  local what=$1 min=$2
  shift 2
  setsid "$bin" "$@" >"$tmp/out" 2>&1 &
  local sid=$! n=0
  # wait (bounded) until the run is under way: the harness, its repetition and the tasks
  for _ in $(seq 100); do
    n=$(session_procs "$sid" | wc -l)
    [ "$n" -ge "$min" ] && break
    sleep 0.1
  done
  if [ "$n" -lt "$min" ]; then
    echo "FAIL: $what: only $n processes of the run appeared"; failures=$((failures + 1))
    kill -9 -- -"$sid" 2>/dev/null
    return
  fi
  kill -9 "$sid"
  wait "$sid" 2>/dev/null
  for _ in $(seq 50); do # the kernel delivers the parent-death signals at once; allow 5 s
    [ -z "$(session_procs "$sid")" ] && break
    sleep 0.1
  done
  left=$(session_procs "$sid")
  if [ -n "$left" ]; then
    echo "FAIL: $what: processes of the killed run still alive ($n were running):"
    sed 's/^/    /' <<<"$left"
    failures=$((failures + 1))
    kill -9 -- -"$sid" $(awk '{print $1}' <<<"$left") 2>/dev/null
  else
    passed=$((passed + 1))
  fi
}

# harness + repetition child + 8 task processes (+ io_bound's server)
check_kill9 "processes, sleep" 10 run -m processes -w sleep -n 8 -p ms=30000 -r 1 --warmup 0 -q
check_kill9 "processes pool, io_bound" 6 run -m processes -j 3 -w io_bound -n 6 -p delay_ms=30000 \
  -r 1 --warmup 0 -q
check_kill9 "pthreads, sleep" 2 run -m pthreads -w sleep -n 8 -p ms=30000 -r 1 --warmup 0 -q
check_kill9 "green:sched=mn, sleep" 2 run -m green:sched=mn -w sleep -n 8 -p ms=30000 -r 1 \
  --warmup 0 -q
check_kill9 "green:sched=mn pool, io_bound" 3 run -m green:sched=mn -j 2 -w io_bound -n 4 \
  -p delay_ms=30000 -r 1 --warmup 0 -q
# the optional models, when this build has them (runners/registry.c)
for m in openmp uring; do
  if "$bin" list | grep -q "^  $m "; then
    check_kill9 "$m, sleep" 2 run -m "$m" -w sleep -n 8 -p ms=30000 -r 1 --warmup 0 -q
  fi
done

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
