#!/usr/bin/env bash
# The run/report tables and the reproduction table fit the width they are given: byte for byte
# the golden text at COLUMNS=80 and COLUMNS=120, and with no width (a pipe, COLUMNS unset) or
# with --wide every column as before. Run from the source root, so the files' paths in the
# header are the goldens' own. Also: a parameter's list of values in a table's title.
set -u
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
golden=$root/tests/golden
failures=0
passed=0
tmp=$(mktemp -d /tmp/concbench-tables-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/expect.bash"
cd "$root" || exit 1

for input in table:tests/golden/table_input.json reproduce:results/reference/reproduce.json; do
  name=${input%%:*} file=${input#*:}
  same_as_golden "${name}_80.txt" 80 report "$file"
  same_as_golden "${name}_120.txt" 120 report "$file"
  same_as_golden "${name}_wide.txt" - report "$file"        # a pipe, no COLUMNS: no limit
  same_as_golden "${name}_wide.txt" 80 report "$file" --wide # every column at any width
done

# At 80 columns the tables' lines fit (the prose under them is wrapped at 92 and the notes are
# not wrapped: lines from "What this run says" on are left out of the check).
COLUMNS=80 "$bin" report results/reference/reproduce.json 2>&1 | sed '/^What this run says/,$d' \
  >"$tmp/80.txt"
check "report at COLUMNS=80: every line up to the reading fits" \
  awk -v max=80 'length($0) > max + 1 { bad = 1; print "    too wide: " $0 } END { exit bad }' \
  "$tmp/80.txt"

# A parameter given several times shows its values, cut with their count when long.
expect 0 "^sleep \(ms=1,2,3\): 3 tasks" run -w sleep -n 3 -p ms=1 -p ms=2 -p ms=3 -m evloop -r 1 \
  --warmup 0
args=()
for i in $(seq 1 30); do args+=(-p "ms=$i"); done
expect 0 "^sleep \(ms=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,\.\.\.\(30 values\)\): 30 tasks" \
  run -w sleep -n 30 "${args[@]}" -m evloop -r 1 --warmup 0

echo "tables: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
