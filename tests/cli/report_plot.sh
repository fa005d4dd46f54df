#!/usr/bin/env bash
# report and plot on good and bad input: a missing, empty, non-JSON or other-schema results file,
# a malformed hyperfine export, a missing gnuplot all get a clear message and a non-zero status,
# never a crash; with gnuplot present, plot writes a non-empty PNG and SVG.
set -u
bin=$1
failures=0
passed=0
skipped=0
tmp=$(mktemp -d /tmp/concbench-report-plot-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

expect_timeout=120
source "$(dirname "$0")/expect.bash"


# Two small, real results files: sleep (any workload) and cpu_bound (the article's comparison).
"$bin" run -m sequential,pthreads -w sleep -n 3 -r 1 --warmup 0 -p ms=5 -q -o "$tmp/sleep.json" \
  || { echo "FAIL: could not make a results file"; exit 1; }
"$bin" run -m sequential,pthreads,processes,evloop -w cpu_bound -n 3 -r 2 --warmup 0 \
  -p exponent=2000 -q -o "$tmp/cpu.json" || { echo "FAIL: could not make a results file"; exit 1; }

printf 'this is not { json' >"$tmp/garbage.json"
: >"$tmp/empty.json"
sed 's/"schema_version": 1/"schema_version": 99/' "$tmp/sleep.json" >"$tmp/v99.json"
echo '[1, 2, 3]' >"$tmp/array.json"
echo '{"schema_version": 1, "cases": [{"workload": "sleep"}]}' >"$tmp/badcase.json"
echo '{"schema_version": 1}' >"$tmp/nocases.json"
# Wrong types anywhere are a clear error naming the field, never a crash.
sed 's/"warnings": \[$/"warnings": [5,/' "$tmp/sleep.json" >"$tmp/badwarning.json"
sed 's/"logical_cpus": [0-9]*/"logical_cpus": "two"/' "$tmp/sleep.json" >"$tmp/badcpus.json"
cat >"$tmp/hf-good.json" <<'EOF'
{"results": [
  {"command": "build/concbench run -q -m sequential -w cpu_bound -r 1 --warmup 0 -p exponent=2000",
   "mean": 0.05, "stddev": 0.001, "median": 0.05, "times": [0.049, 0.05, 0.051],
   "parameters": {"model": "sequential", "workload": "cpu_bound"}},
  {"command": "build/concbench run -q -m pthreads -w cpu_bound -r 1 --warmup 0 -p exponent=2000",
   "mean": 0.04, "stddev": 0.001, "times": [0.039, 0.04, 0.041]}
]}
EOF
echo '{"results": 5}' >"$tmp/hf-noarray.json"
echo '{"results": [{"mean": 1.0, "times": [1.0]}]}' >"$tmp/hf-nocommand.json"
echo '{"results": [{"command": "x", "mean": 1.0}]}' >"$tmp/hf-notimes.json"
echo '{"results": []}' >"$tmp/hf-empty.json"

# report: good files
expect 0 "Usage: concbench report" report --help
expect 0 "sleep \(.*ms=5.*\): 3 tasks" report "$tmp/sleep.json"
expect 0 "art s .*art x" report "$tmp/cpu.json"
expect 0 "pthreads / threads" report "$tmp/cpu.json"
expect 0 "What this run says" report "$tmp/cpu.json"
expect 0 "In-process vs whole-process" report "$tmp/cpu.json" --hyperfine "$tmp/hf-good.json"
expect 0 "cpu_bound +pthreads .* 0.040 s" report "$tmp/cpu.json" --hyperfine "$tmp/hf-good.json"
# report: bad results files
expect 1 "cannot read results file $tmp/nope.json: No such file" report "$tmp/nope.json"
expect 1 "garbage.json is not JSON \(line 1" report "$tmp/garbage.json"
expect 1 "empty.json is empty" report "$tmp/empty.json"
expect 1 "schema_version 99, but this concbench reads schema_version 1" report "$tmp/v99.json"
expect 1 "not a concbench results file" report "$tmp/array.json"
expect 1 "case 1 has no \"model\"" report "$tmp/badcase.json"
expect 1 "has no \"cases\" array" report "$tmp/nocases.json"
expect 1 "badwarning.json: cases\[0\].warnings\[0\]: expected a string, got a whole number" report "$tmp/badwarning.json"
expect 1 "badcpus.json: context.logical_cpus: expected a whole number, got a string" report "$tmp/badcpus.json"
expect 1 "badwarning.json: cases\[0\].warnings\[0\]: expected a string" plot "$tmp/badwarning.json" -o "$tmp/x.png"
expect 1 "looks like a hyperfine export" report "$tmp/hf-good.json"
expect 1 "is a folder" report "$tmp"
expect 1 "/dev/zero is not a regular file" report /dev/zero
expect 1 "/dev/null is not a regular file" report "$tmp/sleep.json" --hyperfine /dev/null
# report: bad hyperfine files
expect 1 "hf-noarray.json is not a hyperfine export" report "$tmp/cpu.json" --hyperfine "$tmp/hf-noarray.json"
expect 1 "result 1 has no \"command\"" report "$tmp/cpu.json" --hyperfine "$tmp/hf-nocommand.json"
expect 1 "neither \"median\" nor \"times\"" report "$tmp/cpu.json" --hyperfine "$tmp/hf-notimes.json"
expect 1 "has no results" report "$tmp/cpu.json" --hyperfine "$tmp/hf-empty.json"
expect 1 "garbage.json is not JSON" report "$tmp/cpu.json" --hyperfine "$tmp/garbage.json"
expect 1 "cannot read hyperfine file" report "$tmp/cpu.json" --hyperfine "$tmp/nope.json"
expect 1 "is a concbench results file, not a hyperfine export" report "$tmp/cpu.json" --hyperfine "$tmp/sleep.json"
# report: usage
expect 2 "which results file" report
expect 2 "unexpected argument" report "$tmp/cpu.json" "$tmp/sleep.json"
expect 2 "unknown option '--bogus'" report --bogus
expect 2 "needs a value" report "$tmp/cpu.json" --hyperfine

# plot: bad input and usage, checked before gnuplot is needed
expect 0 "Usage: concbench plot" plot --help
expect 1 "cannot read results file" plot "$tmp/nope.json" -o "$tmp/x.png"
expect 1 "is not JSON" plot "$tmp/garbage.json" -o "$tmp/x.png"
expect 1 "schema_version 99" plot "$tmp/v99.json" -o "$tmp/x.png"
expect 2 "give -o FILE.png" plot "$tmp/cpu.json"
expect 2 "must end in .png or .svg" plot "$tmp/cpu.json" -o "$tmp/x.gif"
expect 2 "cannot write to /nonexistent-dir/x.png" plot "$tmp/cpu.json" -o /nonexistent-dir/x.png
# plot without gnuplot on PATH says how to get it
out=$(env PATH=/nonexistent "$bin" plot "$tmp/cpu.json" -o "$tmp/x.png" 2>&1)
rc=$?
check "plot without gnuplot: status 1 and the install hint (got $rc: $out)" \
  test "$rc" -eq 1 -a -n "$(grep -E 'gnuplot not found.*apt-get install gnuplot-nox' <<<"$out")"

if command -v gnuplot >/dev/null; then
  expect 0 "wrote $tmp/bars.png" plot "$tmp/cpu.json" -o "$tmp/bars.png"
  check "bars PNG is non-empty" test -s "$tmp/bars.png"
  check "bars PNG is a PNG" test "$(head -c 4 "$tmp/bars.png" | tail -c 3)" = "PNG"
  expect 0 "wrote $tmp/tl.svg" plot "$tmp/sleep.json" -o "$tmp/tl.svg" --timeline sleep
  check "timeline SVG is non-empty" test -s "$tmp/tl.svg"
  check "timeline SVG is SVG" grep -q "<svg" "$tmp/tl.svg"
  expect 0 "wrote $tmp/tl.png" plot "$tmp/cpu.json" -o "$tmp/tl.png" --timeline cpu_bound
  check "timeline PNG is non-empty" test -s "$tmp/tl.png"
  expect 1 "no io_bound case in the results \(they have: sleep\)" plot "$tmp/sleep.json" -o "$tmp/y.png" --timeline io_bound
  expect 0 "wrote $tmp/sleep-bars.png" plot "$tmp/sleep.json" -o "$tmp/sleep-bars.png"
  check "no picture left behind by a refused plot" test ! -e "$tmp/y.png"
  # Strings from a results file never reach gnuplot as commands (backquotes, macros, quotes).
  python3 - "$tmp/sleep.json" "$tmp/evil.json" "$tmp" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["cases"][1]["label"] = "p`touch %s/pwned1`'\\\"\n@x" % sys.argv[3]
doc["context"]["cpu_model"] = "'.system('touch %s/pwned2').'" % sys.argv[3]
json.dump(doc, open(sys.argv[2], "w"))
PY
  check "the injected label is in the file" grep -q pwned1 "$tmp/evil.json"
  expect 0 "wrote $tmp/evil-tl.png" plot "$tmp/evil.json" -o "$tmp/evil-tl.png" --timeline sleep
  expect 0 "wrote $tmp/evil-bars.png" plot "$tmp/evil.json" -o "$tmp/evil-bars.png"
  check "no command from the file ran" test ! -e "$tmp/pwned1" -a ! -e "$tmp/pwned2"
  expect 0 "wrote $tmp/we\"ird's.svg" plot "$tmp/sleep.json" -o "$tmp/we\"ird's.svg"
  check "a quote in the output name is kept" test -s "$tmp/we\"ird's.svg"
  # io_bound with drawn delays: the timeline marks the least time the waits allow, per panel
  "$bin" run -w io_bound -m sequential,evloop -n 3 -r 1 --warmup 0 -p requests=2 \
    -p latency=uniform:min=5,max=30 -p seed=4 -q -o "$tmp/lat.json" 2>/dev/null
  out=$("$bin" plot "$tmp/lat.json" -o "$tmp/lat.svg" --timeline io_bound --keep 2>&1)
  kept=$(sed -n 's/.*script and data are in //p' <<<"$out")
  check "timeline of drawn delays: a dashed bound in each of 2 panels (in $kept)" \
    test "$(grep -c "^set arrow from .* nohead dt 2" "$kept/plot.gp" 2>/dev/null)" = 2
  check "the bound is named in the panel titles" grep -q "the waits' least" "$tmp/lat.svg"
  case "$kept" in /tmp/concbench-plot-*) rm -rf "$kept" ;; esac
  # A gnuplot that dies halfway leaves the picture that was there whole (drawn aside, then renamed).
  mkdir -p "$tmp/badbin"
  cat >"$tmp/badbin/gnuplot" <<'SH'
#!/bin/sh
# gnuplot that begins the picture, then fails: "set output ('PATH')" names where it draws
picture=$(sed -n "s/^set output ('\(.*\)')$/\1/p" "$1" | head -1)
echo "half a picture" >"$picture"
exit 1
SH
  chmod +x "$tmp/badbin/gnuplot"
  cp "$tmp/tl.svg" "$tmp/tl-before.svg"
  out=$(env PATH="$tmp/badbin:$PATH" "$bin" plot "$tmp/sleep.json" -o "$tmp/tl.svg" --timeline sleep 2>&1)
  rc=$?
  check "a failing gnuplot: status 1 (got $rc: $out)" test "$rc" -eq 1
  check "a failing gnuplot leaves the old picture as it was" cmp -s "$tmp/tl.svg" "$tmp/tl-before.svg"
  kept=$(sed -n 's/.*script and data are in //p' <<<"$out")
  check "the failing gnuplot did draw half a picture (aside, in $kept)" \
    grep -qs "half a picture" "$kept/picture.svg"
  case "$kept" in /tmp/concbench-plot-*) rm -rf "$kept" ;; esac
else
  echo "gnuplot not installed: the drawing checks are skipped (apt-get install gnuplot-nox)"
  skipped=$((skipped + 6))
fi

echo "$passed passed, $failures failed, $skipped skipped"
[ "$failures" -eq 0 ]
