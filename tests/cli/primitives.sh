#!/usr/bin/env bash
# concbench primitives: bad options get a message naming the valid values; a short run writes a
# results file that report loads, with one case per primitive (implementation "c", workload
# "primitive:NAME", seconds per operation in wall_s) and every primitive measured. A model's own
# spawn path (pthreads_task, processes_task: the runner on the noop workload) comes right after
# its raw primitive, with their ratio, and names it in the file. mpi_spawn (mpirun of ten no-op
# ranks) runs only when named, under exec_spawn10; a build without Open MPI skips both, saying why.
set -u
bin=$1
failures=0
passed=0
tmp=$(mktemp -d /tmp/concbench-primitives-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

expect_timeout=120
source "$(dirname "$0")/expect.bash"


expect 0 'green_yield_copy' primitives --help
expect 2 'unknown primitive .nope.' primitives --only nope
expect 2 'valid primitives: pthread_spawn pthread_spawn10 pthreads_task fork_spawn fork_spawn10 processes_task' primitives --only nope
expect 2 "--runs '1': expected a whole number from 2 to 100" primitives --runs 1
expect 2 "--target-ms '0': expected a whole number from 1 to 10000" primitives --target-ms 0
expect 2 "unknown option '--bogus'" primitives --bogus
expect 2 'unexpected argument' primitives extra
expect 0 'green_switch +switch +green' primitives --runs 2 --target-ms 2 --only green_switch,timerfd

expect 0 'fork_spawn' primitives --runs 2 --target-ms 2 -o "$tmp/p.json"
# The model rows: each right under the same shape without the runner, with the ratios to it;
# naming a model row alone brings that raw row along.
next_line() { # the line after the one starting with $1 in the output of concbench ARGS...
  local first=$1
  shift
  "$bin" "$@" 2>&1 | grep -A1 "^$first " | tail -n 1
}
line=$(next_line pthread_spawn10 primitives --runs 2 --target-ms 5 --only pthreads_task)
check "pthreads_task under pthread_spawn10 with ratios ($line)" \
  grep -Eq '^pthreads_task .* [0-9.]+x wall, +[0-9.]+x CPU of pthread_spawn10$' <<<"$line"
line=$(next_line fork_spawn10 primitives --runs 2 --target-ms 5 --only processes_task,fork_spawn10)
check "processes_task under fork_spawn10 with ratios ($line)" \
  grep -Eq '^processes_task .* [0-9.]+x wall, +[0-9.]+x CPU of fork_spawn10$' <<<"$line"
line=$(next_line futex_wake primitives --runs 2 --target-ms 5 --only mn_wake)
check "mn_wake under futex_wake with ratios ($line)" \
  grep -Eq '^mn_wake .* [0-9.]+x wall, +[0-9.]+x CPU of futex_wake$' <<<"$line"
# The noop workload those rows run is a workload like any other: every model, every task checked.
expect 0 'processes +[0-9.]+ s .* ok' run -w noop -m all -n 20 -r 1 --warmup 0
# A primitive this build lacks (stack=copy under a sanitizer) is skipped, said on stderr.
"$bin" primitives --runs 2 --target-ms 2 --only green_yield_copy -q 2>"$tmp/skip.err" >/dev/null
rc=$?
check "a primitive measured or skipped exits 0 (got $rc)" test "$rc" -eq 0
skipped=$("$bin" primitives --runs 2 --target-ms 2 -q -o "$tmp/p2.json" 2>&1 >/dev/null | grep -c ': skipped: ')
check "report loads the primitives file" "$bin" report "$tmp/p.json"
count=$(python3 - "$tmp/p2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ok = 0
for c in d["cases"]:
    w = c["wall_s"]
    if (c["implementation"] == "c" and c["workload"] == "primitive:" + c["label"]
            and len(w["samples"]) == 2 and all(s > 0 for s in w["samples"])
            and c["validation"]["ok"]):
        ok += 1
    if c["label"].endswith("_task") and c["params"].get("compared_with") not in ("pthread_spawn10", "fork_spawn10"):
        ok -= 100
print(ok, len(d["cases"]))
PY
)
total=20 # and omp_parallel_region in a build with the openmp model
"$bin" list | grep -q '^  openmp ' && total=21
want=$((total - skipped))
check "$total primitives, each measured twice or skipped ($count, $skipped skipped)" \
  test "$count" = "$want $want"

# mpi_spawn: its own row under exec_spawn10 with the ratios, in the file next to it; or, in a build
# without the mpi model, both skipped with the packages named. Never in the default set (above).
expect 0 'mpi_spawn .*mpirun of 10 ranks' primitives --help
if "$bin" list | grep -q '^  mpi '; then
  line=$(next_line exec_spawn10 primitives --runs 2 --target-ms 1 --only mpi_spawn -o "$tmp/m.json")
  check "mpi_spawn under exec_spawn10 with ratios ($line)" \
    grep -Eq '^mpi_spawn +spawn +mpi .* [0-9.]+x wall, +[0-9.]+x CPU of exec_spawn10$' <<<"$line"
  check "mpi_spawn's case: per rank, whole launches of ten, next to exec_spawn10" python3 - "$tmp/m.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = {x["label"]: x for x in d["cases"]}
m, raw = c["mpi_spawn"], c["exec_spawn10"]
assert m["params"]["compared_with"] == "exec_spawn10", m["params"]
assert m["validation"]["ok"] and raw["validation"]["ok"]
assert m["params"]["ops_per_run"] % 10 == 0 and raw["params"]["ops_per_run"] % 10 == 0
assert all(s > 0 for s in m["wall_s"]["samples"] + raw["wall_s"]["samples"])
PY
else
  expect 0 'mpi_spawn: skipped: .*libopenmpi-dev' primitives --runs 2 --target-ms 1 --only mpi_spawn
fi

echo "primitives: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
