#!/usr/bin/env bash
# reproduce --gil: pthreads, green and evloop run once more with gil=on, every result checked,
# and the table shows their speed-up in a GIL x column next to C's (report reads it back).
set -u
bin=$1
tmp=$(mktemp -d /tmp/concbench-gil-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
passed=0 failures=0
expect_timeout=300
source "$(dirname "$0")/expect.bash"

expect 0 "--gil " reproduce --help
expect 0 "C x +GIL x +art s" reproduce --gil -n 2 -r 1 --warmup 0 --exponent 2000 --target-ms 5 --delay-ms 5 \
  -o "$tmp/gil.json"
labels=$(python3 - "$tmp/gil.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(sorted(c["label"] for c in d["cases"]
                      if c["label"].endswith(":gil=on") and c["validation"]["ok"])))
PY
)
want="evloop:gil=on evloop:gil=on green:gil=on green:gil=on pthreads:gil=on pthreads:gil=on"
if [ "$labels" = "$want" ]; then passed=$((passed + 1)); else
  echo "FAIL: gil=on cases, valid, on both workloads: got '$labels'"; failures=$((failures + 1)); fi
expect 0 "GIL x: the row's C model" report "$tmp/gil.json"

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
