#!/usr/bin/env bash
# System calls per request of io_bound (client=raw) under evloop and uring, the point of the
# uring model. For each N: one timed run of both models (-r REPS; wall, CPU per request, and
# uring's own count of io_uring_enter calls from its warning), then one run of each under
# `strace -c -f` (every system call of the run's process and its repetition child, by name).
# The requests go to a `concbench serve` started here, so the server's own system calls are
# not counted; the harness's few hundred (loading, the repetition child, writing the results)
# are. Columns: syscalls/req = strace's total over N x requests; enter/req = uring's own count
# of io_uring_enter (its warning); wait_calls/req = epoll_wait + io_uring_enter under strace.
#
# Usage: scripts/syscalls-per-request.sh [--tasks N,N...] [--requests N] [--delay-ms N]
#                                        [--reps N] [--out DIR]
# Defaults: --tasks 1000,10000 --requests 4 --delay-ms 100 --reps 3 --out a temporary folder
# (kept, and named at the end: the JSON results and strace's tables). CONCBENCH_BIN overrides
# the binary (default build/concbench). Needs strace and jq. Take the timing lock on a shared
# machine: flock /tmp/concbench-timing.lock scripts/syscalls-per-request.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tasks=1000,10000
requests=4
delay_ms=100
reps=3
out=""

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

while [ $# -gt 0 ]; do
  case $1 in
    --tasks) tasks=${2:?--tasks needs a value}; shift 2 ;;
    --requests) requests=${2:?--requests needs a value}; shift 2 ;;
    --delay-ms) delay_ms=${2:?--delay-ms needs a value}; shift 2 ;;
    --reps) reps=${2:?--reps needs a value}; shift 2 ;;
    --out) out=${2:?--out needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "syscalls-per-request.sh: unknown argument '$1' (valid: --tasks, --requests," \
         "--delay-ms, --reps, --out, --help)" >&2; exit 2 ;;
  esac
done
for prog in strace jq; do
  command -v "$prog" >/dev/null || {
    echo "syscalls-per-request.sh: $prog is missing (scripts/install-deps.sh installs it)" >&2
    exit 1
  }
done
bin=${CONCBENCH_BIN:-$root/build/concbench}
[ -x "$bin" ] || { echo "syscalls-per-request.sh: no binary at $bin (build first)" >&2; exit 1; }
[ -n "$out" ] || out=$(mktemp -d /tmp/concbench-syscalls.XXXXXX)
mkdir -p "$out"

"$bin" serve --quiet --max-connections 65536 >"$out/serve.out" 2>&1 &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  grep -q '^listening on ' "$out/serve.out" && break
  sleep 0.1
done
base=$(sed -n 's/^listening on //p' "$out/serve.out")
[ -n "$base" ] || { echo "syscalls-per-request.sh: the server did not start:" >&2
  cat "$out/serve.out" >&2; exit 1; }

models=evloop,uring
params=(-w io_bound:client=raw -p "server=$base" -p "requests=$requests" -p "delay_ms=$delay_ms"
        -q --warmup 0)
# the "calls" column (the 4th) of strace -c's total line and of one call's line
strace_total() { awk '$NF == "total" { print $4 }' "$1"; }
strace_one() { awk -v n="$2" '$NF == n { print $4 }' "$1"; }

printf '%-7s %6s %9s %12s %14s %12s %16s\n' model N wall_s cpu_us/req syscalls/req \
  enter/req wait_calls/req
IFS=, read -r -a ns <<<"$tasks"
for n in "${ns[@]}"; do
  json=$out/timed-$n.json
  "$bin" run -m "$models" -n "$n" -r "$reps" "${params[@]}" -o "$json" >/dev/null 2>>"$out/stderr.txt"
  nreq=$((n * requests))
  for m in evloop uring; do
    st=$out/strace-$m-$n.txt
    strace -c -f -o "$st" "$bin" run -m "$m" -n "$n" -r 1 "${params[@]}" \
      -o "$out/strace-$m-$n.json" >/dev/null 2>>"$out/stderr.txt"
    c=$(jq -c --arg m "$m" '.cases[] | select(.label == $m)' "$json")
    wall=$(jq -r '.wall_s.median' <<<"$c")
    cpu=$(jq -r '(.user_s.median // 0) + (.sys_s.median // 0)' <<<"$c")
    enters=$(jq -r '[.warnings[] | capture("io_uring_enter: (?<n>[0-9]+) call")] | .[0].n // "-"' \
      <<<"$c")
    total=$(strace_total "$st")
    waits=$(($(strace_one "$st" epoll_wait || echo 0) + 0))
    uenter=$(($(strace_one "$st" io_uring_enter || echo 0) + 0))
    awk -v m="$m" -v n="$n" -v w="$wall" -v cpu="$cpu" -v t="$total" -v e="$enters" \
      -v r="$nreq" -v ew="$((waits + uenter))" 'BEGIN {
        printf "%-7s %6d %9.3f %12.1f %14.2f %12s %16.3f\n", m, n, w, cpu / r * 1e6, t / r,
          e == "-" ? "-" : sprintf("%.3f", e / r), ew / r }'
  done
done
echo "results and strace tables in $out"
