#!/usr/bin/env bash
# The terminal Gantt (report --timeline) on a fixed results file: the text is exactly the golden
# one for a given width, Unicode or --ascii; colour only on a terminal and never with NO_COLOR;
# a workload the file lacks is a clear error; and a real run draws one panel per model.
set -u
bin=$1
golden=$(cd "$(dirname "$0")/../golden" && pwd)
failures=0
passed=0
tmp=$(mktemp -d /tmp/concbench-gantt-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/expect.bash"

same_as_golden gantt_80.txt 80 report "$golden/gantt_input.json" --timeline
same_as_golden gantt_60_ascii.txt 60 report "$golden/gantt_input.json" --timeline sleep --ascii

# Every line fits the width (the "! failed" mark may pass the edge by a few columns).
width_ok() {
  COLUMNS=$1 "$bin" report "$golden/gantt_input.json" --timeline --ascii |
    grep -v 'failed$' | awk -v w="$1" 'length($0) > w { bad = 1 } END { exit bad }'
}
check "lines fit 60 columns" width_ok 60
check "lines fit 120 columns" width_ok 120
check "--ascii prints only ASCII" bash -c "! COLUMNS=80 '$bin' report '$golden/gantt_input.json' \
  --timeline --ascii | LC_ALL=C grep -q '[^[:print:][:space:]]'"

# Colour: never into a pipe; on a terminal (script gives one) unless NO_COLOR is set.
esc=$'\033['
check "no colour into a pipe" bash -c "! '$bin' report '$golden/gantt_input.json' --timeline \
  | grep -qF '$esc'"
if command -v script >/dev/null; then
  script -qec "'$bin' report '$golden/gantt_input.json' --timeline" /dev/null >"$tmp/tty.txt"
  check "colour on a terminal" grep -qF "$esc" "$tmp/tty.txt"
  NO_COLOR=1 script -qec "'$bin' report '$golden/gantt_input.json' --timeline" /dev/null \
    >"$tmp/nocolor.txt"
  check "no colour on a terminal with NO_COLOR" bash -c "! grep -qF '$esc' '$tmp/nocolor.txt'"
else
  echo "SKIP: no 'script' command to fake a terminal (util-linux): colour not checked"
fi

expect 1 "no case of workload 'io_bound' in this file \(it has: sleep\)" \
  report "$golden/gantt_input.json" --timeline io_bound
expect 2 "unexpected argument 'extra'" report "$golden/gantt_input.json" --timeline sleep extra

# A real run: one panel per model, sleep's waits overlap under pthreads (200 ms: long enough
# that a thread started late on a loaded machine under TSan still overlaps the others).
"$bin" run -m sequential,pthreads -w sleep -n 3 -r 1 --warmup 0 -p ms=200 -q -o "$tmp/s.json" ||
  { echo "FAIL: could not make a results file"; exit 1; }
expect 0 "sleep · pthreads: 3 tasks" report "$tmp/s.json" --timeline
expect 0 "at most 3 on a worker, 3 in flight" report "$tmp/s.json" --timeline sleep
expect 0 "sleep · pthreads: 2 tasks" run -m sequential,pthreads -w sleep -n 2 -r 1 --warmup 0 \
  -p ms=5 --gantt
# io_bound with drawn delays: each panel says the least time the waits allow.
"$bin" run -m sequential,evloop -w io_bound -n 3 -r 1 --warmup 0 -p requests=2 \
  -p latency=uniform:min=5,max=30 -p seed=4 -q -o "$tmp/lat.json" 2>/dev/null ||
  { echo "FAIL: could not make an io_bound results file"; exit 1; }
out=$("$bin" report "$tmp/lat.json" --timeline io_bound 2>&1)
check "every io_bound panel gives the drawn delays' bound" \
  test "$(grep -c "the drawn delays allow no less than" <<<"$out")" = 2

echo "gantt: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
