#!/usr/bin/env bash
# report --html: one self-contained page. Without a browser: no reference to the network, every
# string from the file escaped (a label that tries to end the script element or add an element
# stays text). With Debian's chromium (headless): the page renders the table and the charts, its
# embedded data parses (the script marks the body), the console stays silent, and a screenshot
# is taken. Without chromium the browser half is skipped with a message (exit 77).
set -u
bin=$1
failures=0
passed=0
tmp=$(mktemp -d /tmp/concbench-html-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
source "$(dirname "$0")/expect.bash"

"$bin" run -m sequential,pthreads,evloop -w sleep,cpu_bound -n 3 -r 2 --warmup 0 -p ms=10 \
  -p exponent=2000 -q -o "$tmp/r.json" || { echo "FAIL: could not make a results file"; exit 1; }
# A hostile label: it must stay text in the page and in the embedded JSON.
evil='pthreads</script><img id=evil src=x onerror=alert(1)><!--'
sed "s|\"label\": \"pthreads\"|\"label\": \"$evil\"|" "$tmp/r.json" >"$tmp/evil.json"
check "the hostile label is in the test file" grep -qF 'onerror=alert' "$tmp/evil.json"

expect 0 "" report "$tmp/evil.json" --html "$tmp/page.html"
# refused before the file is read, as run -o is (issue 24, item 2)
expect 2 "cannot write to /nonexistent/x.html" report "$tmp/r.json" --html /nonexistent/x.html
page=$tmp/page.html
check "no network reference" bash -c "! grep -Eq '(src|href)=\"?(https?:)?//' '$page'"
check "no raw <img from the file" bash -c "! grep -q '<img' '$page'"
check "the script element is not ended by the file" \
  test "$(grep -o '</script>' "$page" | wc -l)" -eq 3 # the data, its reader, the replay
check "the label is shown escaped" grep -qF 'pthreads&lt;/script&gt;&lt;img' "$page"
check "one table per workload" test "$(grep -o '<table class="cases">' "$page" | wc -l)" -eq 2
check "four bar charts per workload" test "$(grep -o 'class="bars"' "$page" | wc -l)" -eq 8
check "a timeline per case" test "$(grep -o 'class="tl"' "$page" | wc -l)" -eq 6

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "html: $passed passed, $failures failed"
  echo "skipped: the page was not rendered in a browser: chromium is not installed" \
    "(apt-get install chromium; scripts/install-deps.sh --test installs it)"
  [ "$failures" -eq 0 ] && exit 77
  exit 1
fi
run_browser() { # run_browser ARGS...: headless, own profile, bounded in time
  timeout 90 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 "$@" "file://$page"
}
run_browser --dump-dom >"$tmp/dom.html" 2>"$tmp/console.txt"
check "the browser rendered the page" grep -q '<table class="cases">' "$tmp/dom.html"
check "the embedded data parsed" grep -q 'data-loaded="yes"' "$tmp/dom.html"
check "the case count comes from the data" grep -q '<span id="ncases">6</span>' "$tmp/dom.html"
check "the charts are in the DOM" test "$(grep -o '<rect class="bar"' "$tmp/dom.html" | wc -l)" -ge 18
check "no element from the file" bash -c "! grep -q 'id=\"evil\"' '$tmp/dom.html'"
if grep -q 'CONSOLE' "$tmp/console.txt"; then
  echo "FAIL: the browser console was not silent:"
  grep 'CONSOLE' "$tmp/console.txt" | head -5
  failures=$((failures + 1))
else
  passed=$((passed + 1))
fi
run_browser --window-size=1200,2000 --screenshot="$tmp/page.png" >/dev/null 2>&1
check "a screenshot was taken" test -s "$tmp/page.png"
[ -n "${CONCBENCH_KEEP_SCREENSHOT:-}" ] && cp "$tmp/page.png" "$CONCBENCH_KEEP_SCREENSHOT"

echo "html: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
