#!/usr/bin/env bash
# A results file never lies about being complete: on a full filesystem the file left behind says
# it is partial and why, `report` shows it, and the write error is said once, not per checkpoint.
# Needs a small tmpfs (root); skipped with a message where one cannot be mounted.
set -u
bin=$1
tmp=$(mktemp -d /tmp/concbench-partial-XXXXXX)
mnt="$tmp/full"
cleanup() { umount "$mnt" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
mkdir -p "$mnt"
if ! mount -t tmpfs -o size=12k tmpfs "$mnt" 2>/dev/null; then
  echo "cannot mount a small tmpfs here (needs root): the full-filesystem check is skipped"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
fi
passed=0 failures=0
source "$(dirname "$0")/expect.bash" # check()

"$bin" run -w sleep -m sequential,pthreads,processes -n 50 -r 3 --warmup 0 -p ms=1 -q \
  -o "$mnt/r.json" 2>"$tmp/err"
rc=$?
check "a run whose results could not be written exits 1 (got $rc)" test "$rc" -eq 1
check "the write error is said once ($(grep -c 'cannot write results' "$tmp/err") times)" \
  test "$(grep -c 'No space left on device' "$tmp/err")" -eq 1
check "the file left behind says it is not complete" grep -q '"complete": false' "$mnt/r.json"
check "... and why" grep -q '"partial": "written while the run was going on after' "$mnt/r.json"
"$bin" report "$mnt/r.json" >"$tmp/report" 2>&1
check "report shows it as partial" grep -q '^PARTIAL: ' "$tmp/report"
# A finished run's file says it is complete.
"$bin" run -w sleep -m sequential -n 2 -r 1 --warmup 0 -p ms=1 -q -o "$tmp/ok.json" 2>/dev/null
check "a finished run's file is complete" grep -q '"complete": true' "$tmp/ok.json"
check "... and report shows no PARTIAL" sh -c "! '$bin' report '$tmp/ok.json' | grep -q PARTIAL"

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
