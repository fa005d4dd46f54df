#!/usr/bin/env bash
# io_bound's latency parameters: bad distributions, positions and profiles get a clear message
# naming what is valid, and exit status 2, before anything runs.
set -u
bin=$1
failures=0
passed=0

expect_timeout=60
source "$(dirname "$0")/expect.bash"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

io=(run -w io_bound -n 2 -r 1 --warmup 0 -q)
expect 2 "latency=gamma:k=2: unknown distribution 'gamma' \(valid: fixed\|uniform\|normal\|lognormal\|pareto\)" \
  "${io[@]}" -p latency=gamma:k=2
expect 2 "latency=lognormal:median=100,sigma=-0.5: lognormal: need .*sigma in 0..5" \
  "${io[@]}" -p latency=lognormal:median=100,sigma=-0.5
expect 2 "lognormal needs its parameters: lognormal:median=MS,sigma=S" \
  "${io[@]}" -p latency=lognormal:median=100
expect 2 "latency.2=uniform:min=5,max=1: uniform: need 0 <= min <= max" \
  "${io[@]}" -p latency.2=uniform:min=5,max=1
expect 2 "latency.5: a task makes only requests=4 requests \(positions 1..4\)" \
  "${io[@]}" -p latency.5=fixed:ms=3
expect 2 "latency.0: expected latency.N with N from 1 to 1000" "${io[@]}" -p latency.0=fixed
expect 2 "unknown parameter 'latencies' \(valid: .*latency\[.N\]" "${io[@]}" -p latencies=fixed
expect 2 "latency_scale=0: expected a number in \(0, 100\]" "${io[@]}" -p latency_scale=0
expect 2 "url= fetches the given URLs as they are" \
  "${io[@]}" -p url=http://127.0.0.1:1/ -p latency=fixed:ms=3

printf 'name three\na fixed:ms=5\nb fixed:ms=6\nc fixed:ms=7\n' >"$dir/three.txt"
expect 2 "latency profile .*three.txt \(three\) has 3 request positions, but requests=4" \
  "${io[@]}" -p latency_profile="$dir/three.txt"
printf 'name bad\na fixed:ms=5\nb weibull:k=1\n' >"$dir/bad.txt"
expect 2 "bad.txt, line 3: unknown distribution 'weibull' \(valid: fixed" \
  "${io[@]}" -p latency_profile="$dir/bad.txt"
printf 'a fixed:ms=5\n' >"$dir/noname.txt"
expect 2 "line 1: the first line must be 'name NAME'" \
  "${io[@]}" -p latency_profile="$dir/noname.txt"
printf 'name empty\n# nothing\n' >"$dir/empty.txt"
expect 2 "empty.txt: no positions" "${io[@]}" -p latency_profile="$dir/empty.txt"
expect 2 "latency profile $dir/none.txt: No such file" \
  "${io[@]}" -p latency_profile="$dir/none.txt"
expect 2 "--time-scale scales the drawn delays of --latency" reproduce --time-scale 0.1
expect 2 "--time-scale '0': expected a number in \(0, 100\]" reproduce --latency article --time-scale 0
expect 2 "latency profile $dir/none.txt: No such file" reproduce -r 1 --warmup 0 --latency "$dir/none.txt"
# A profile that fits runs (3 requests), and latency.N overrides one of its positions.
expect 0 "io_bound" run -w io_bound -n 2 -r 1 --warmup 0 -m sequential -p requests=3 \
  -p latency_profile="$dir/three.txt" -p latency.2=uniform:min=1,max=9

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
