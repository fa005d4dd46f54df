#!/usr/bin/env bash
# A workload with parameters of its own in -w (io_bound,io_bound:client=curl): both run in one
# run as cases of their own, the variant keeps its own value over -p; a bad variant is a usage
# error that names what is wrong.
set -u
bin=$1
failures=0
passed=0
tmp=$(mktemp -d /tmp/concbench-variant-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/expect.bash"

expect 2 "unknown workload 'nope'" run -w nope:client=raw
expect 2 "workload io_bound:bogus=1: .*bogus" run -w io_bound:bogus=1
expect 2 "workload io_bound:client=fast: .*curl\|raw" run -w io_bound:client=fast
expect 2 "given twice" run -w io_bound:client=raw,io_bound:client=raw
expect 2 "client=raw talks only to the embedded server" run -w io_bound:client=raw \
  -p url=http://127.0.0.1:1/ -n 1 -r 1

json=$tmp/variant.json
expect 0 "" run -q -w io_bound,io_bound:client=curl -m evloop,sequential -n 2 -r 1 --warmup 0 \
  -p delay_ms=5 -p client=raw -o "$json"
cases=$(jq -r '.cases[] | "\(.workload) \(.model) \(.params.client) \(.validation.ok)"' "$json" |
  sort | tr '\n' ';')
want="io_bound evloop raw true;io_bound sequential raw true;io_bound:client=curl evloop curl true;io_bound:client=curl sequential curl true;"
check "variant cases: got '$cases', want '$want'" test "$cases" = "$want"
expect 0 "io_bound:client=curl \(requests=4" report "$json"

# server_threads= reaches the embedded server and round-trips into the JSON (the default too)
json=$tmp/threads.json
expect 0 "" run -q -w io_bound:client=raw,io_bound:client=raw:server_threads=2 -m evloop -n 20 \
  -r 1 --warmup 0 -p delay_ms=5 -p requests=2 -o "$json"
threads=$(jq -r '.cases[] | "\(.params.server_threads) \(.validation.ok)"' "$json" | tr '\n' ';')
check "server_threads: got '$threads', want '0 true;2 true;'" test "$threads" = "0 true;2 true;"

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
