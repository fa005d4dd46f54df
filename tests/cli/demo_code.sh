#!/usr/bin/env bash
# demo --code quotes the article's Python byte for byte from its seed file (../shared/seeds,
# beside the source tree, as CI has it): the text between the quote's marker lines equals the
# file's lines that the test names here itself; each scenario names its file and the C model for
# its constructs. Skipped (77) when the seeds are not beside the tree.
set -u
bin=$1
failures=0
passed=0
source "$(dirname "$0")/expect.bash"
seeds=$(cd "$(dirname "$0")/../../.." && pwd)/shared/seeds
tmp=$(mktemp -d /tmp/concbench-code-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
if [ ! -d "$seeds" ]; then
  echo "SKIP: no $seeds beside the source tree: the quotes cannot be checked"
  exit 77
fi

# quoted SCENARIO SEED FIRST LAST: the quote equals lines FIRST..LAST of the seed, bytes and all
quoted() {
  "$bin" demo "$1" --code >"$tmp/out" 2>&1 || { echo "FAIL: demo $1 --code exited $?"; failures=$((failures + 1)); return; }
  sed -n '/^----- quote -----$/,/^----- end of quote -----$/p' "$tmp/out" | sed '1d;$d' >"$tmp/quote"
  sed -n "$3,$4p" "$seeds/$2" >"$tmp/want"
  check "demo $1 --code quotes $2 lines $3-$4 byte for byte" cmp -s "$tmp/want" "$tmp/quote"
  check "demo $1 --code names $2" grep -qF "shared/seeds/$2" "$tmp/out"
}
quoted await-chain 000_bbb7450770f86da1.txt 8 35
quoted gather 004_72e53b5ebeb169ba.txt 35 57
quoted wait-timeout 002_2ddb4cf523d9af61.txt 88 106
quoted executor 002_2ddb4cf523d9af61.txt 120 138
quoted blocking-in-loop 004_72e53b5ebeb169ba.txt 128 128
quoted cpu-vs-io 003_83db0ae2c045bbb3.txt 57 82

# the constructs beside their C models
expect 0 "asyncio.gather" demo gather --code
expect 0 "evloop: the three tasks started together" demo gather --code
expect 0 "run_in_executor" demo executor --code
expect 0 "run_in_executor\(executor, blocking_func, i\)" demo executor --code
expect 0 "--cancel-after 2500" demo wait-timeout --code
check "--code runs nothing" bash -c "! '$bin' demo gather --code | grep -q 'What happened'"

echo "demo_code: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
