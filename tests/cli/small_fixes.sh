#!/usr/bin/env bash
# The smaller defects of issue 24, item 12, each as a user meets it: TERM=dumb gets no colour on a
# terminal; compare --threshold -0 says 0%; demo gather with only sequential has no empty list;
# an empty or repeated part of a workload variant and an empty --tasks-list value are refused;
# a NUL in a latency profile, --cpus 4096, latency=fixed: or fixed:ms=1,ms=2 and latency_scale= 5
# each get a message of their own.
set -u
bin=$1
failures=0
passed=0
expect_timeout=60
source "$(dirname "$0")/expect.bash"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" run -w sleep -m sequential,evloop -n 2 -r 3 --warmup 0 -p ms=1 -q -o "$tmp/r.json" \
  >/dev/null 2>&1
check "a results file to read" test -s "$tmp/r.json"

# A terminal whose TERM is dumb shows no escape sequences (script gives the command a tty).
if command -v script >/dev/null; then
  TERM=dumb script -qc "'$bin' report '$tmp/r.json' --timeline" /dev/null >"$tmp/dumb" 2>&1
  check "TERM=dumb on a tty: no colour" sh -c "! grep -q \$(printf '\\033') '$tmp/dumb'"
  TERM=xterm script -qc "'$bin' report '$tmp/r.json' --timeline" /dev/null >"$tmp/xterm" 2>&1
  check "TERM=xterm on a tty: colour (the check above can fail)" \
    grep -q "$(printf '\033')" "$tmp/xterm"
else
  echo "script (util-linux) not found: the TERM=dumb check is skipped"
fi

expect 0 "threshold 0%" compare "$tmp/r.json" "$tmp/r.json" --threshold -0
check "no -0%" sh -c "! '$bin' compare '$tmp/r.json' '$tmp/r.json' --threshold -0 | grep -q -- '-0%'"

out=$("$bin" demo gather -m sequential --scale 0.01 --ascii 2>&1)
check "demo gather -m sequential: no empty list" test "$(grep -c 'alone: \.' <<<"$out")" -eq 0
check "... and the story is told" grep -q "One after the other" <<<"$out"

expect 2 "client is given twice" run -w io_bound:client=raw:client=curl
expect 2 "an empty parameter between ':'" run -w io_bound::client=raw
expect 2 "an empty parameter between ':'" run -w io_bound:client=raw:
expect 2 "an empty value" sweep --tasks-list 10,,20
expect 2 "an empty value" sweep --tasks-list ,10
expect 2 "an empty value" sweep --tasks-list 10,

# A NUL byte in a latency profile is named, not called a long line.
printf 'name nul\nfirst fix\0ed:ms=1\n' >"$tmp/nul.txt"
expect 2 "line 2: a NUL byte at column 10 \(a latency profile is text\)" run -w io_bound \
  -m sequential -n 1 -p "latency_profile=$tmp/nul.txt"
printf 'name long\nfirst fixed:ms=1%0600d\n' 0 >"$tmp/long.txt"
expect 2 "line 2: line longer than 510 characters" run -w io_bound -m sequential -n 1 \
  -p "latency_profile=$tmp/long.txt"
# A CPU number past the machine's is one this process may not use, not a malformed list.
expect 2 "4096 is not a CPU this process may use \(valid: " run -w sleep -m sequential -n 1 \
  --cpus 4096
expect 2 "expected CPU numbers like 0" run -w sleep -m sequential -n 1 --cpus x
# An empty or repeated latency parameter, and a scale with a blank, are refused.
expect 2 "fixed: an empty parameter in 'fixed:' \(expected fixed:ms=MS, or fixed alone" \
  run -w io_bound -m sequential -n 1 -p latency=fixed:
expect 2 "fixed: ms is given twice" run -w io_bound -m sequential -n 1 -p latency=fixed:ms=1,ms=2
expect 2 "an empty parameter" run -w io_bound -m sequential -n 1 -p latency=fixed:ms=1,,cap=9
expect 2 "latency_scale= 5: expected a number in \(0, 100\]" run -w io_bound -m sequential \
  -n 1 -p "latency_scale= 5"

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
