#!/usr/bin/env bash
# report --html's replay (issue 22): without a browser, the page has one replay per workload and
# a task group per task, no network reference, and a hostile label stays text. In headless
# chromium: the URL hash sets the playback clock (#t=X) and the DOM shows as started exactly the
# tasks whose start is at or before X; #step=1 moves the clock to the first event after 0; played
# (#play&speed=0.1) for a virtual time budget, the clock has moved by budget x speed and the tasks
# started by then are shown; the console stays silent. The screenshot at #t=X is kept in the
# working directory (the build's tests/ folder under ctest) as html_replay.png. Without chromium
# or python3 the browser half is skipped with a message (exit 77).
set -u
bin=$1
failures=0
passed=0
tmp=$(mktemp -d /tmp/concbench-replay-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/expect.bash"

# one task after another: the three starts are apart (about 0, 0.2 and 0.4 s)
"$bin" run -m sequential,pthreads -w sleep -n 3 -r 1 --warmup 0 -p ms=200 -q -o "$tmp/r.json" \
  2>/dev/null || { echo "FAIL: could not make a results file"; exit 1; }
evil='pthreads</script><img id=evil src=x onerror=alert(1)><!--'
sed "s|\"label\": \"pthreads\"|\"label\": \"$evil\"|" "$tmp/r.json" >"$tmp/evil.json"
expect 0 "" report "$tmp/evil.json" --html "$tmp/page.html"
page=$tmp/page.html
check "a replay section" grep -q '<section class="replay" id="replay">' "$page"
check "one replay per workload" test "$(grep -o '<div class="rp" ' "$page" | wc -l)" -eq 1
check "a group per task" test "$(grep -o '<g class="rp-task"' "$page" | wc -l)" -eq 6
check "play, pause, step, speed and zoom controls" \
  bash -c "grep -q 'data-rp=\"play\"' '$page' && grep -q 'data-rp=\"pause\"' '$page' &&
    grep -q 'data-rp=\"step\"' '$page' && grep -q 'data-rp=\"speed\"' '$page' &&
    grep -q 'data-rp=\"zoom\"' '$page'"
check "no network reference" bash -c "! grep -Eq '(src|href)=\"?(https?:)?//' '$page'"
check "the label is escaped in the replay" \
  grep -qF '<h4>pthreads&lt;/script&gt;&lt;img id=evil' "$page"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ] || ! command -v python3 >/dev/null; then
  echo "html_replay: $passed passed, $failures failed"
  echo "skipped: the replay was not played in a browser: it needs chromium and python3" \
    "(scripts/install-deps.sh --test installs them)"
  [ "$failures" -eq 0 ] && exit 77
  exit 1
fi
run_browser() { # run_browser HASH ARGS...: headless, a fresh profile, bounded in time (a loaded
  local hash=$1 rc # machine can take a minute to start chromium)
  shift
  rm -rf "$tmp/profile"
  timeout 150 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
    --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 "$@" "file://$page#$hash"
  rc=$?
  # said at the end (stdout and stderr are the DOM and the console here)
  [ "$rc" -eq 0 ] || echo "chromium #$hash: exit status $rc (124: timed out)" >>"$tmp/browser.txt"
  return "$rc"
}
# replay_check DOM CLOCK|- : the DOM's clock (or, with -, the one given) and per case the tasks
# shown as started, against the starts in the results file; prints what differs
replay_check() {
  python3 - "$tmp/r.json" "$1" "$2" <<'PY'
import json, re, sys
cases = json.load(open(sys.argv[1]))["cases"]
dom = open(sys.argv[2], encoding="utf-8").read()
m = re.search(r'data-clock="([\d.]+)"', dom)
if not m:
    print("no clock in the DOM"); sys.exit()
clock = float(m.group(1))
if sys.argv[3] != "-" and abs(clock - float(sys.argv[3])) > 1.5e-6:
    print("clock %.3f, want %s" % (clock, sys.argv[3]))
svgs = re.findall(r'<svg[^>]*class="rp-svg".*?</svg>', dom, re.S)
for case, svg in zip(cases, svgs):
    # the page holds times to the microsecond (%.6f), as the DOM's clock
    want = sum(1 for t in case["timeline"] if round(t["start_s"], 6) <= clock + 1e-7)
    got = len(re.findall(r'data-state="(?:running|waiting|done)"', svg))
    if got != want:
        print("%s at %.3f s: %d tasks shown started, want %d" % (case["model"], clock, got, want))
print("clock=%.3f" % clock, file=sys.stderr)
PY
}
starts=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["cases"][0]
s=sorted(t["start_s"] for t in c["timeline"]); print("%.6f %.3f" % ((s[1]+s[2])/2, (s[1]+s[2])/2/0.1*1000))' "$tmp/r.json")
mid=${starts% *} budget=${starts#* }
budget=${budget%.*}

run_browser "t=$mid" --dump-dom >"$tmp/dom-t.html" 2>"$tmp/console.txt"
problems=$(replay_check "$tmp/dom-t.html" "$mid" 2>/dev/null)
check "#t=$mid: the tasks started by then, and only they${problems:+: $problems}" test -z "$problems"
check "#t=$mid: the sequential case shows 2 of 3 started" grep -q '2 of 3 started' "$tmp/dom-t.html"
check "no element from the file" bash -c "! grep -q 'id=\"evil\"' '$tmp/dom-t.html'"

first=$(python3 -c 'import json,sys
ev=[round(e, 6) for c in json.load(open(sys.argv[1]))["cases"] for t in c["timeline"]
    for e in [t["start_s"], t["end_s"]] + t.get("steps_end_s", []) if round(e, 6) > 0]
print("%.6f" % min(ev))' "$tmp/r.json")
run_browser "step=1" --dump-dom >"$tmp/dom-step.html" 2>>"$tmp/console.txt"
problems=$(replay_check "$tmp/dom-step.html" "$first" 2>/dev/null)
check "#step=1: the clock at the first event ($first s)${problems:+: $problems}" test -z "$problems"

run_browser "play&speed=0.1" --virtual-time-budget="$budget" --dump-dom >"$tmp/dom-play.html" \
  2>>"$tmp/console.txt"
problems=$(replay_check "$tmp/dom-play.html" - 2>"$tmp/clock.txt")
check "played ${budget} ms at 0.1x: the tasks started by then${problems:+: $problems}" \
  test -z "$problems"
clock=$(sed -n 's/^clock=//p' "$tmp/clock.txt")
check "played ${budget} ms at 0.1x: the clock moved to about $mid s (got ${clock:-none})" \
  python3 -c "import sys; sys.exit(abs(float('${clock:-0}') - $budget / 10000) > 0.02)"
check "still playing or at its end" grep -Eq 'data-playing="(yes|no)"' "$tmp/dom-play.html"
if grep -q 'CONSOLE' "$tmp/console.txt"; then
  echo "FAIL: the browser console was not silent:"
  grep 'CONSOLE' "$tmp/console.txt" | head -5
  failures=$((failures + 1))
else
  passed=$((passed + 1))
fi
run_browser "t=$mid" --window-size=1200,1100 --screenshot="$tmp/replay.png" >/dev/null 2>&1
check "a screenshot was taken" test -s "$tmp/replay.png"
cp "$tmp/replay.png" "${CONCBENCH_ARTEFACT_DIR:-$PWD}/html_replay.png" 2>/dev/null &&
  echo "screenshot: ${CONCBENCH_ARTEFACT_DIR:-$PWD}/html_replay.png"

[ -s "$tmp/browser.txt" ] && cat "$tmp/browser.txt"
echo "html_replay: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
