#!/usr/bin/env bash
# concbench sweep: bad options get messages naming what is valid; a small sweep writes one file
# of the documented shape that report, plot and compare read; sequential's left-out point is
# reported; a lowered ulimit -u / -n stops the models it limits with the limit named while the
# other models go on; a point past kernel.pid_max is left out before it runs. No speed asserted.
set -u
bin=$(realpath "$1")
failures=0
passed=0
tmp=$(mktemp -d /tmp/concbench-sweep-XXXXXX)
chmod 0777 "$tmp"
trap 'rm -rf "$tmp"' EXIT

expect_timeout=180
source "$(dirname "$0")/expect.bash"

# The table's wrapped paragraphs as one line, for grep.
one_line() { tr -s ' \n' '  ' <<<"$1"; }

# validate FILE: the sweep file has the shape results/README.md documents.
validate() {
  python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema_version"] == 1
for k in ("tool", "context", "config", "cases", "interrupted", "complete", "sweep"):
    assert k in d, k
s = d["sweep"]
assert isinstance(s["tasks"], dict) and s["tasks"], s["tasks"]
for wl, ns in s["tasks"].items():
    assert all(isinstance(n, int) and n >= 1 for n in ns) and ns == sorted(ns), ns
for k in ("max_seconds", "sequential_max_seconds"):
    assert isinstance(s[k], (int, float)), k
for p in s["skipped"]:
    assert set(p) >= {"workload", "label", "tasks", "kind", "reason"}, p
    assert p["kind"] in ("limit", "time", "stopped", "error"), p
    assert p["reason"], p
for c in d["cases"]:
    for k in ("model", "label", "workload", "tasks", "workers", "params", "wall_s", "user_s",
              "sys_s", "max_rss_kib", "rss_per_task_bytes", "validation", "errors"):
        assert k in c, k
    assert c["tasks"] in s["tasks"][c["workload"]], c["tasks"]
PY
}

expect 0 'tasks-list' sweep --help
expect 0 'sweep' --help
expect 2 'smallest first' sweep --tasks-list 100,10
expect 2 "--tasks-list '0': expected a whole number from 1 to 1000000" sweep --tasks-list 0
expect 2 "unknown model 'nope' \(valid: sequential" sweep -m nope
expect 2 "unknown workload 'nope' \(valid: " sweep -w nope
expect 2 "--max-seconds 'x': expected seconds" sweep --max-seconds x
expect 2 "unexpected|operand" sweep extra

# A small sweep: sequential left out at N=100 by its time bound, said in the table and the JSON.
f="$tmp/small.json"
expect 0 'sequential +- .*left out: time' sweep -m sequential,pthreads,evloop,green \
  --tasks-list 10,100 -p ms=1 -r 1 --warmup 0 --sequential-max-seconds 0.001 -o "$f"
check "the small sweep's file has the documented shape" validate "$f"
check "sequential's point at N=100 is left out with kind time, naming the bound" python3 - "$f" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
sk = [p for p in d["sweep"]["skipped"] if p["label"] == "sequential"]
assert sk and sk[0]["tasks"] == 100 and sk[0]["kind"] == "time", sk
assert "--sequential-max-seconds" in sk[0]["reason"], sk
ran = {(c["label"], c["tasks"]) for c in d["cases"] if c["validation"]["ok"]}
assert ran == {("sequential", 10)} | {(m, n) for m in ("pthreads", "evloop", "green")
                                      for n in (10, 100)}, ran
assert d["complete"] is True
PY
expect 0 'where models stopped' report "$f"
expect 0 'sleep evloop N=100' compare "$f" "$f"
if command -v gnuplot >/dev/null; then
  expect 0 "wrote $tmp/sweep.png" plot "$f" -o "$tmp/sweep.png"
  check "plot of a sweep file wrote a PNG" test -s "$tmp/sweep.png"
  expect 1 'is a sweep' plot "$f" -o "$tmp/t.png" --timeline sleep
else
  echo "skipped: plot (no gnuplot)"
fi

# A case's repetitions stop once one takes longer than the time bound: said in a warning.
expect 0 'evloop N=10: stopped after 1 of 3 repetitions' sweep \
  -m evloop --tasks-list 10,100 -p ms=50 -r 3 --warmup 0 --max-seconds 0.01 -o "$tmp/bound.json"
check "the bounded case has one repetition, its warning names the bound, N=100 is left out (time)" python3 - "$tmp/bound.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert [(c["tasks"], c["reps_done"]) for c in d["cases"]] == [(10, 1)], d["cases"]
assert any("over --max-seconds 0.01 s" in w for w in d["cases"][0]["warnings"]), d["cases"]
assert [(p["tasks"], p["kind"]) for p in d["sweep"]["skipped"]] == [(100, "time")], d["sweep"]
PY

# A workload variant (-w io_bound:client=raw): its points, its plan and its table go by the
# name it was given, as run's cases do.
expect 0 'io_bound:client=raw: N from 10 to 20' sweep -w io_bound:client=raw -m sequential,evloop \
  --tasks-list 10,20 -p requests=1 -p delay_ms=5 -r 1 --warmup 0 -o "$tmp/variant.json"
check "the variant's cases, plan and config use its name" python3 - "$tmp/variant.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert {c["workload"] for c in d["cases"]} == {"io_bound:client=raw"}, d["cases"]
assert list(d["sweep"]["tasks"]) == ["io_bound:client=raw"], d["sweep"]
assert d["config"]["workloads"] == ["io_bound:client=raw"], d["config"]
assert len(d["cases"]) == 4, [(c["label"], c["tasks"]) for c in d["cases"]]
PY
expect 0 'evloop +[0-9.]+ ms' report "$tmp/variant.json"

# ulimit -u: pthreads and processes stop where threads run out, with RLIMIT_NPROC named; evloop
# and green go on. Root is exempt from RLIMIT_NPROC, so as root the sweep runs as user nobody.
# The sleeps are long enough that all 100 threads are alive at once even where creating one
# takes 10 ms (ThreadSanitizer): with 300 ms, the first ones were gone before the 60th began.
as_nobody_setup
if [ "$(id -u)" -ne 0 ] || [ ${#as_user[@]} -gt 0 ]; then
  # RLIMIT_NPROC counts every thread the user already has, on the whole machine
  who=$(id -u)
  [ ${#as_user[@]} -gt 0 ] && who=nobody
  nproc_limit=$(($(ps -u "$who" -L --no-headers | wc -l) + 60))
  out=$(cd "$tmp" && "${as_user[@]}" bash -c "ulimit -u $nproc_limit && exec timeout 180 '$bin' \
    sweep -m pthreads,processes,evloop,green --tasks-list 10,100,200 -p ms=2000 -r 1 --warmup 0 \
    -o '$tmp/nproc.json'" 2>&1)
  rc=$?
  check "ulimit -u: the sweep exits 1 (got $rc)" test "$rc" -eq 1
  check "ulimit -u: the table names RLIMIT_NPROC" grep -q "pthreads: failed at N=100: .*RLIMIT_NPROC=$nproc_limit" <<<"$(one_line "$out")"
  check "ulimit -u: pthreads and processes stop, evloop and green go on" python3 - "$tmp/nproc.json" "$nproc_limit" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
limit = "RLIMIT_NPROC=" + sys.argv[2]
for m in ("pthreads", "processes"):
    failed = [c for c in d["cases"] if c["label"] == m and not c["validation"]["ok"]]
    assert len(failed) == 1 and failed[0]["tasks"] == 100, failed
    assert any(limit in e for e in failed[0]["errors"]["messages"]), failed[0]["errors"]
    sk = [p for p in d["sweep"]["skipped"] if p["label"] == m]
    assert [(p["tasks"], p["kind"]) for p in sk] == [(200, "stopped")], sk
    assert "stopped at N=100" in sk[0]["reason"] and limit in sk[0]["reason"], sk
for m in ("evloop", "green"):
    ok = sorted(c["tasks"] for c in d["cases"] if c["label"] == m and c["validation"]["ok"])
    assert ok == [10, 100, 200], (m, ok)
PY
else
  echo "skipped: ulimit -u: $skip_why"
fi

# ulimit -n: evloop's connections run out of file descriptors at N=100, named; sequential, one
# connection at a time, goes on.
out=$( (ulimit -n 64 && exec timeout 180 "$bin" sweep -w io_bound -m sequential,evloop \
  --tasks-list 10,100 -p delay_ms=5 -p requests=1 -r 1 --warmup 0 -o "$tmp/nofile.json") 2>&1)
rc=$?
check "ulimit -n: the sweep exits 1 (got $rc)" test "$rc" -eq 1
check "ulimit -n: the table names RLIMIT_NOFILE" grep -q "evloop: failed at N=100: .*RLIMIT_NOFILE=64" <<<"$(one_line "$out")"
check "ulimit -n: evloop stops at N=100, sequential goes on" python3 - "$tmp/nofile.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
res = {(c["label"], c["tasks"]): c["validation"]["ok"] for c in d["cases"]}
assert res == {("sequential", 10): True, ("sequential", 100): True, ("evloop", 10): True,
               ("evloop", 100): False}, res
PY

# A thread or process per task past kernel.pid_max is left out before it runs (only where the
# machine's pid_max is small enough that N=100000 passes it: never fork 100,000 to find out).
pid_max=$(cat /proc/sys/kernel/pid_max)
if [ "$pid_max" -lt 90000 ]; then
  expect 0 'processes: left out from N=100000 \(limit\): predicted: 100000 processes' \
    sweep -m processes --tasks-list 10,100000 -p ms=1 -r 1 --warmup 0 -o "$tmp/pid.json"
  check "the pid_max point names kernel.pid_max" python3 - "$tmp/pid.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
sk = d["sweep"]["skipped"]
assert len(sk) == 1 and sk[0]["kind"] == "limit" and "kernel.pid_max=" in sk[0]["reason"], sk
PY
else
  echo "skipped: the pid_max prediction (kernel.pid_max=$pid_max)"
fi

echo "sweep: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
