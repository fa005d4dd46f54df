#!/usr/bin/env bash
# Bounded inputs (issue 24, item 7), as a user meets them, on files made here (tests/big_results.py
# writes them; none is committed): every loader of a results file refuses one above the size
# limit, naming the limit and CONCBENCH_MAX_INPUT_MB; trace converts a long timeline (its entries
# are read apart from the JSON tree: rmodel/timeline_split.c) and that reading keeps the loader's
# messages and jansson's rules (an escaped key, a repeated key, a wrong element, a broken file);
# report --html of many cases shows the first of each workload with a note saying what is left out.
# Memory is not measured here (no test asserts a speed or a size of memory).
set -u
bin=$1
failures=0
passed=0
expect_timeout=120
source "$(dirname "$0")/expect.bash"
big=$(dirname "$0")/../big_results.py
command -v python3 >/dev/null || {
  echo "skipped: python3 is needed to write the large files (apt-get install python3)"
  exit 77
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" run -w sleep -m sequential -n 3 -r 1 --warmup 0 -p ms=1 -q --timeline 3 \
  -o "$tmp/small.json" >/dev/null 2>&1
check "a small results file to start from" test -s "$tmp/small.json"

# --- the size limit, on every loader of a results file (and hyperfine's and the figures') ---
python3 "$big" "$tmp/small.json" timeline 30000 "$tmp/tl.json"
check "a timeline file above 2 MB" test "$(stat -c %s "$tmp/tl.json")" -gt 2200000
limit="more than the 2 MB a results file may be \(CONCBENCH_MAX_INPUT_MB raises"
export CONCBENCH_MAX_INPUT_MB=2
expect 1 "$limit" report "$tmp/tl.json"
expect 1 "$limit" report "$tmp/tl.json" --html "$tmp/p.html"
expect 1 "$limit" compare "$tmp/small.json" "$tmp/tl.json"
expect 1 "$limit" trace "$tmp/tl.json" -o "$tmp/t.json"
expect 1 "$limit" export "$tmp/tl.json" -f bmf
expect 1 "$limit" history add "$tmp/tl.json" --db "$tmp/h.sqlite"
expect 1 "$limit" plot "$tmp/tl.json" -o "$tmp/p.svg"
cp "$tmp/tl.json" "$tmp/hf.json"
expect 1 "more than the 2 MB a hyperfine file may be" report "$tmp/small.json" --hyperfine \
  "$tmp/hf.json"
expect 1 "more than the 2 MB a published-figures file may be" report "$tmp/small.json" \
  --published "$tmp/hf.json"
unset CONCBENCH_MAX_INPUT_MB
CONCBENCH_MAX_INPUT_MB=6 expect 0 "" trace "$tmp/tl.json" -o "$tmp/t.json"

# --- trace of a long timeline: every task is there ---
check "30000 tasks traced" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
tasks = [e for e in d['traceEvents'] if e.get('cat') == 'task']
sys.exit(len(tasks) != 30000)" "$tmp/t.json"

# --- the split reading keeps what a whole parse does ---
variant() { # NAME PYTHON-EXPRESSION-ON-TEXT-s (the small file on one line, as json.dumps writes)
  python3 -c "import json, re, sys; s = json.dumps(json.load(open(sys.argv[1])))
open(sys.argv[2], 'w').write($2)" \
    "$tmp/small.json" "$tmp/$1.json"
}
variant escaped 's.replace("\"timeline\":", "\"time\\u006cine\":")'
expect 0 "" trace "$tmp/escaped.json" -o "$tmp/t.json"
check "an escaped key: the timeline still read" grep -q '"cat":"task"' "$tmp/t.json"
variant twice 's.replace("\"timeline\":", "\"timeline\": [], \"timeline\":")'
expect 0 "" trace "$tmp/twice.json" -o "$tmp/t.json"
check "a key given twice: the last one kept" grep -q '"cat":"task"' "$tmp/t.json"
variant twice_empty 's.replace("\"timeline_sampling\":", "\"timeline\": [], \"timeline_sampling\":")'
expect 0 "" trace "$tmp/twice_empty.json" -o "$tmp/t.json"
check "... an empty last one too" sh -c "! grep -q '\"cat\":\"task\"' '$tmp/t.json'"
variant wrong 're.sub(r"\{\"task\": 1, [^}]*\}", "5", s, 1)'
expect 1 "cases\[0\]\.timeline\[1\]: expected an object" report "$tmp/wrong.json"
variant steps 's.replace("\"steps_end_s\": [", "\"steps_end_s\": [\"x\", ", 1)'
expect 1 "cases\[0\]\.timeline\[0\]\.steps_end_s" report "$tmp/steps.json"
variant broken 're.sub(r"(\{\"task\": 0, [^}]*)\}", r"\1", s, 1)' # the first entry unclosed
expect 1 "is not JSON \(line 1, column" report "$tmp/broken.json"
variant comma 's.replace("}, {\"task\": 1", "}, , {\"task\": 1", 1)'
expect 1 "is not JSON" report "$tmp/comma.json"

# --- report --html of many cases: the first of each workload and a note ---
python3 "$big" "$tmp/small.json" cases 3000 "$tmp/many.json" 2
expect 0 "" report "$tmp/many.json" --html "$tmp/many.html"
check "the note says what is left out" grep -q "2900 of the file's 3000 cases are left out" \
  "$tmp/many.html"
check "50 rows of each workload" test "$(grep -o 'sequential-[0-9]*' "$tmp/many.html" |
  sort -u | wc -l)" -eq 100
expect 0 "" report "$tmp/many.json" --html "$tmp/many.html" --html-cases 10
check "--html-cases 10: 2980 left out" grep -q "2980 of the file's 3000 cases" "$tmp/many.html"
expect 0 "" report "$tmp/small.json" --html "$tmp/small.html"
check "a small file: no note" sh -c "! grep -q 'left out' '$tmp/small.html'"
expect 2 "--html-cases 'x': expected a whole number" report "$tmp/many.json" --html \
  "$tmp/many.html" --html-cases x

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
