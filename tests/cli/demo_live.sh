#!/usr/bin/env bash
# The demo's screen from outside: on a terminal (script gives one) the board is drawn over itself
# with cursor moves and ends with every panel; with TERM=dumb, or into a pipe, no escape at all
# and the board once; a terminal too small for every panel says so and draws them one by one.
# Frames themselves are checked in unit_gantt_board.
set -u
bin=$1
failures=0
passed=0
source "$(dirname "$0")/expect.bash"
tmp=$(mktemp -d /tmp/concbench-live-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
esc=$'\033['

"$bin" demo gather --scale 0.02 -m sequential,evloop >"$tmp/pipe" 2>&1
check "into a pipe: no escape" bash -c "! grep -qF '$esc' '$tmp/pipe'"
check "into a pipe: the board once" test "$(grep -c '^evloop · done in' "$tmp/pipe")" -eq 1
if ! command -v script >/dev/null; then
  echo "SKIP: no 'script' command to fake a terminal (util-linux): the live drawing not checked"
else
  COLUMNS=80 LINES=24 script -qec "'$bin' demo gather --scale 0.05 -m sequential,evloop" \
    /dev/null >"$tmp/tty" 2>&1
  check "on a terminal: drawn over itself (cursor up, clear below)" \
    grep -qF "${esc}J" "$tmp/tty"
  check "on a terminal: ends with both panels done" \
    bash -c "grep -q 'sequential · done in' '$tmp/tty' && grep -q 'evloop · done in' '$tmp/tty'"
  check "on a terminal: the rows carry the seed's names" grep -q "^  C  *0.15 s" "$tmp/tty"
  TERM=dumb COLUMNS=80 LINES=24 script -qec \
    "'$bin' demo gather --scale 0.02 -m sequential,evloop" /dev/null >"$tmp/dumb" 2>&1
  check "TERM=dumb: no escape" bash -c "! grep -qF '$esc' '$tmp/dumb'"
  check "TERM=dumb: the final picture" grep -q "Every model on one time axis" "$tmp/dumb"
  COLUMNS=80 LINES=8 script -qec "'$bin' demo gather --scale 0.02 -m sequential,evloop" \
    /dev/null >"$tmp/small" 2>&1
  check "too small a terminal says so" grep -q "need at least .* rows to stay on screen" \
    "$tmp/small"
fi

echo "demo_live: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
