#!/usr/bin/env bash
# Limits named right (issue 11, items 7-10), met as a user meets them: a lowered ulimit -n, -v
# or -u, and -j above -n. Each case must fail cleanly (exit 1) naming the limit and its value.
set -u
bin=$(realpath "$1")
failures=0
passed=0
tmp=$(mktemp -d)
chmod 0777 "$tmp"
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/expect.bash" # as_nobody_setup
# run_limited SHELL_LIMITS ARGS...: concbench ARGS under the limits (bash ulimit syntax), into
# $out (stdout and stderr) and $rc.
run_limited() {
  local limits=$1
  shift
  out=$( (eval "$limits" && exec timeout 120 "$bin" "$@") 2>&1)
  rc=$?
}
want() { # want DESCRIPTION REGEX: $out must match and $rc be 1
  if [ "$rc" -eq 1 ] && grep -Eq -- "$2" <<<"$out"; then
    passed=$((passed + 1))
  else
    echo "FAIL: $1: status $rc (want 1), output:"
    sed 's/^/    /' <<<"$out" | cut -c1-240 | head -8
    echo "    (wanted /$2/)"
    failures=$((failures + 1))
  fi
}
sanitized=0
grep -Eq '__(a|t)san_init' "$bin" && sanitized=1

# 7: EMFILE from socket() in io_bound names RLIMIT_NOFILE and its number, under every model
# that opens many connections at once.
for m in evloop green pthreads; do
  run_limited "ulimit -n 64" run -w io_bound -m "$m" -n 100 -r 1 --warmup 0 -p delay_ms=200 -q
  want "io_bound/$m under ulimit -n 64" "io_bound/$m: error: cannot open a socket: Too many open files \(open files limit: RLIMIT_NOFILE=64"
done

# 8: thread stacks that do not fit in the address space name RLIMIT_AS, not RLIMIT_NPROC; so do
# green's stacks. (Sanitizers reserve terabytes of address space: they cannot run under -v.)
if [ "$sanitized" -eq 0 ]; then
  # 8 MiB stacks, as the system default gives (the runner's own default, 256 KiB, would fit)
  run_limited "ulimit -v 600000" run -w sleep -m pthreads:stack_kib=8192 -n 300 -r 1 --warmup 0 \
    -p ms=300 -q
  want "pthreads under ulimit -v" "pthread_create failed after [0-9]+ of 300: .*no room for a 8 MiB thread stack: address space: RLIMIT_AS=586 MiB"
  if grep -q "RLIMIT_NPROC" <<<"$out"; then
    echo "FAIL: pthreads under ulimit -v blames RLIMIT_NPROC"; failures=$((failures + 1))
  fi
  # a stack per coroutine (stack=copy shares one run stack and would fit)
  run_limited "ulimit -v 600000" run -w sleep -m green:stack=separate -n 100000 -r 1 --warmup 0 \
    -p ms=300 -q
  want "green under ulimit -v" "green stack mmap failed after [0-9]+ of 100000: Cannot allocate memory \(address space: RLIMIT_AS=586 MiB"
else
  echo "skipped: ulimit -v under a sanitizer build"
fi

# 9: evloop's thread pool under a tiny ulimit -u: named, never an abort inside libuv. Root is
# exempt from RLIMIT_NPROC, so as root the run goes to user nobody.
as_nobody_setup
if [ "$(id -u)" -ne 0 ] || [ ${#as_user[@]} -gt 0 ]; then
  # RLIMIT_NPROC counts every thread the user already has, on the whole machine
  who=$(id -u)
  [ ${#as_user[@]} -gt 0 ] && who=nobody
  nproc_limit=$(($(ps -u "$who" -L --no-headers | wc -l) + 16))
  out=$(cd "$tmp" && UV_THREADPOOL_SIZE=200 "${as_user[@]}" bash -c \
    "ulimit -u $nproc_limit && exec timeout 120 '$bin' run -m evloop -n 4 -r 1 --warmup 0 -p exponent=1000 -q" 2>&1)
  rc=$?
  want "evloop under ulimit -u $nproc_limit" "starting libuv's thread pool: pthread_create failed after [0-9]+ of 200: Resource temporarily unavailable \(threads\+processes limit: RLIMIT_NPROC=$nproc_limit"
  if grep -q "signal 6" <<<"$out"; then
    echo "FAIL: evloop aborted under ulimit -u"; failures=$((failures + 1))
  fi
else
  echo "skipped: ulimit -u: $skip_why"
fi

# 10: -j above -n starts no more workers than tasks, and says so (stderr and every pooled case).
out=$(timeout 120 "$bin" run -m sequential,pthreads,processes,evloop,green -n 2 -j 100000 -r 1 \
  --warmup 0 -p exponent=1000 -q -o "$tmp/j.json" 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && grep -q "warning: --workers 100000 is more than the 2 tasks: pools of 2" <<<"$out" &&
  python3 - "$tmp/j.json" <<'PY'; then
import json, sys
d = json.load(open(sys.argv[1]))
assert d["config"]["workers"] == 2, d["config"]["workers"]
for c in d["cases"]:
    capped = any("pool capped at 2 workers" in w for w in c.get("warnings", []))
    assert capped == (c["model"] != "sequential"), (c["model"], c.get("warnings"))
    assert c["workers"] == 2, c["workers"]
    assert len({t["worker"] for t in c["timeline"]}) <= 2, c["timeline"]
PY
  passed=$((passed + 1))
else
  echo "FAIL: -n 2 -j 100000: status $rc, output:"
  sed 's/^/    /' <<<"$out" | head -8
  failures=$((failures + 1))
fi

# 11: `serve` under a lowered ulimit -n, from 4 to the first limit that lets it start. Each
# descriptor opened at start-up (libuv's own pipe, a listening socket, a timerfd, a loop) is the
# one that runs out at some limit: each failure must be exit status 1 and one line that names
# RLIMIT_NOFILE and its value, never an abort (libuv's pipe aborted the process at 6 and 7).
calls=""
n=4
while [ "$n" -le 64 ]; do
  out=$( (ulimit -n "$n" && exec timeout 5 "$bin" serve --port 0 --threads 2 --quiet) 2>&1)
  rc=$?
  [ "$rc" -eq 124 ] && break # it started: every smaller limit was judged
  if grep -q "Sanitizer" <<<"$out" || { [ "$rc" -ge 125 ] && [ "$rc" -le 127 ]; }; then
    : # the loader of timeout or concbench, or a sanitizer's runtime, ran out before concbench
  elif [ "$rc" -gt 128 ]; then
    echo "FAIL: serve under ulimit -n $n: killed by signal $((rc - 128)), output: $out"
    failures=$((failures + 1))
  else
    want "serve under ulimit -n $n" "^concbench( serve)?: .*RLIMIT_NOFILE=$n([^0-9]|$)"
    [ "$(wc -l <<<"$out")" -eq 1 ] || {
      echo "FAIL: serve under ulimit -n $n: more than one line: $out"
      failures=$((failures + 1))
    }
    calls="$calls $(grep -Eo 'timerfd_create|uv_loop_init|create a socket' <<<"$out" | head -1)"
  fi
  n=$((n + 1))
done
if [ "$n" -gt 64 ]; then
  echo "FAIL: serve did not start under ulimit -n 64"
  failures=$((failures + 1))
fi
for call in timerfd_create uv_loop_init "create a socket"; do
  if ! grep -q "$call" <<<"$calls"; then
    echo "FAIL: serve under ulimit -n 4..$n: no limit at which $call ran out (saw:$calls)"
    failures=$((failures + 1))
  fi
done

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
