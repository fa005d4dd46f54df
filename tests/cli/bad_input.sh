#!/usr/bin/env bash
# Bad input gets a clear message and exit status 2, never a crash or a hang.
set -u
bin=$1
failures=0
passed=0

expect_timeout=60
source "$(dirname "$0")/expect.bash"

expect 2 "Usage: concbench COMMAND"
expect 2 "unknown command 'frob'.*valid: run, list" frob
expect 0 "Usage: concbench COMMAND" --help
expect 0 "^concbench [0-9]" --version
expect 0 "--models LIST" run --help
expect 0 "Models .*" list
expect 2 "unknown model 'threads' \(valid: sequential, pthreads, processes, green, evloop, (openmp, )?(uring, )?(mpi, )?all\)" run -m threads
expect 2 "no model given" run -m ,
expect 2 "unknown workload 'nope' \(valid: cpu_bound" run -w nope
expect 2 "unknown parameter 'size' \(valid: base, exponent" run -p size=3
expect 2 "expected KEY=VALUE" run -p exponent
expect 2 "exponent=abc: expected a whole number from 1 to" run -p exponent=abc
expect 2 "exponent=-5: expected a whole number" run -p exponent=-5
expect 2 "ms=2x: expected a whole number" run -w sleep -p ms=2x
expect 2 "allow_huge=1" run -p exponent=2000000000
expect 2 "--tasks '0': expected a whole number from 1 to 10000000" run -n 0
expect 2 "--tasks '-3'" run -n -3
expect 2 "--tasks 'ten'" run -n ten
expect 2 "--tasks '99999999999'" run -n 99999999999
expect 2 "--reps '0': expected a whole number from 1" run -r 0
expect 2 "--warmup 'x'" run --warmup x
expect 2 "--workers '-1'" run -j -1
expect 2 "--workers '1000000'" run -j 1000000
expect 2 "compute=fast: expected one of pool\|inline" run -m evloop:compute=fast
expect 2 "model pthreads: unknown parameter 'stack'" run -m pthreads:stack=4
expect 2 "unknown option '--bogus'" run --bogus
# "did you mean" for a misspelt name (an edit distance), after the list of what is valid
expect 2 "unknown model 'pthread' \(valid: .*\); did you mean pthreads\?$" run -m pthread
expect 2 "unknown model 'evlop' \(valid: .*\); did you mean evloop\?$" run -m sequential,evlop:compute=inline
expect 2 "unknown workload 'io_bund' \(valid: .*\); did you mean io_bound\?$" run -w io_bund
expect 2 "unknown workload 'slep'; did you mean sleep\?$" run -w slep:ms=1
expect 2 "unknown command 'reprot' \(valid: .*\); did you mean report\?$" reprot
expect 2 "unknown option '--wramup' .*; did you mean --warmup\?$" run --wramup 1
expect 2 "unknown option '--timelnie=3' .*; did you mean --timeline\?$" sweep --timelnie=3
expect 2 "unknown model 'quantum' \(valid: [^;]*\)$" run -m quantum
expect 2 "needs a value" run -n
expect 2 "unexpected argument 'extra'" run extra
expect 2 "--cancel-after 'soon'" run --cancel-after soon
expect 2 "gil=maybe: expected one of off\|on" run -m pthreads:gil=maybe
expect 2 "plan 'x1': steps are w, b or c" run -w script -p plan=x1 -n 1
expect 2 "plans disagree at step 1" run -w script -p plan=w1 -p plan=c1 -n 2
expect 2 "cannot write to /nonexistent-dir/r.json" run -o /nonexistent-dir/r.json

expect 2 "expected two results files" compare x.json
expect 2 "wall\|speedup\|user\|rss" compare a.json b.json --metric cpu
expect 2 "--alpha '0': expected a number above 0" compare a.json b.json --alpha 0
expect 2 "text\|markdown\|json" compare a.json b.json --format html
expect 2 "regression or none" compare a.json b.json --fail-on always
expect 0 "Exit status: 0 no significant regression" compare --help
expect 1 "is a folder" compare /tmp /tmp
expect 2 "--format 'nope': expected gab(, [a-z-]+)* or [a-z-]+$" export x.json --format nope
expect 2 "which format" export x.json
expect 0 "Bencher Metric Format" export --help
expect 2 "expected add FILE" history
expect 2 "expected add FILE" history compare
expect 1 "no history at /nonexistent" history list --db /nonexistent/h.sqlite
expect 1 "cannot open /nonexistent/h.sqlite" history add x.json --db /nonexistent/h.sqlite
expect 0 "latest~N" history --help
expect 0 "vm.max_map_count" system
expect 2 "unexpected argument 'now'" system now
expect 2 "--cpus: 4096 is not a CPU this process may use" run --cpus 4096

# Issue 11, item 13: one number parser (spaces refused on both sides alike), no duplicate cases,
# and -q drops the table, never the errors.
expect 2 "--tasks ' 5': expected a whole number from 1 to 10000000, without spaces" run -n ' 5'
expect 2 "--tasks '5 ': expected a whole number from 1 to 10000000, without spaces" run -n '5 '
expect 2 "--reps '\+3'" run -r +3
expect 2 "exponent= 5: expected a whole number from 1 to [0-9]+, without spaces" run -p 'exponent= 5'
expect 2 "--port ' 80': expected a whole number from 0 to 65535, without spaces" serve --port ' 80'
expect 2 "model 'sequential' is given twice" run -m sequential,sequential
expect 2 "model 'evloop:compute=inline' is given twice" run -m evloop:compute=inline,pthreads,evloop:compute=inline
quiet_out=$(timeout 60 "$bin" run -q -w io_bound -m sequential -n 1 -r 1 --warmup 0 \
  -p url=http://127.0.0.1:1/ -p timeout_ms=2000 2>/tmp/concbench-quiet-$$.err)
quiet_rc=$?
if [ "$quiet_rc" -eq 1 ] && [ -z "$quiet_out" ] &&
  grep -q "io_bound/sequential: error: GET http://127.0.0.1:1/" /tmp/concbench-quiet-$$.err; then
  passed=$((passed + 1))
else
  echo "FAIL: run -q of a failing case: status $quiet_rc (want 1), stdout '$quiet_out', stderr:"
  sed 's/^/    /' /tmp/concbench-quiet-$$.err | head -5
  failures=$((failures + 1))
fi
rm -f /tmp/concbench-quiet-$$.err

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
