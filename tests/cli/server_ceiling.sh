#!/usr/bin/env bash
# The ceiling the instrument put on an io_bound case: a results file whose embedded server was
# late (tests/fixtures/server_late.json: evloop's p99 lateness 60 ms of 100 ms delays) shows the
# lateness per case and marks the late case, and only it, as limited by the server (the file's
# round trip is in unit_rmodel, the reading's words in unit_findings).
set -u
bin=$1
failures=0
passed=0
tmp=$(mktemp -d /tmp/concbench-ceiling-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/expect.bash"
fixture=$(dirname "$0")/../fixtures/server_late.json

expect 0 "server lateness .*p50 .*p99" report "$fixture"
expect 0 "evloop .*limited by the server: p99 lateness 60 ms of 100 ms" report "$fixture"
out=$("$bin" report "$fixture" 2>&1)
check "sequential is not marked" bash -c '! grep -q "^sequential .*limited by the server" <<<"$1"' _ "$out"

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
