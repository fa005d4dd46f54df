#!/usr/bin/env bash
# -o never clobbers what it should not (issue 11, item 2): a device, a FIFO, a symbolic link, a
# read-only file, a directory and an empty path are refused before any work; a replaced file
# keeps its mode; an unrelated FILE.tmp survives; - writes to stdout; two runs writing one path
# at once leave a complete JSON document at every moment.
set -u
bin=$1
failures=0
passed=0
expect_timeout=60
source "$(dirname "$0")/expect.bash"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
quick=(run -m sequential -n 1 -r 1 --warmup 0 -p exponent=1000)

expect 2 "is a directory" "${quick[@]}" -o "$tmp"
expect 2 "output path is empty" "${quick[@]}" -o ''
# A device: as root, a private copy of /dev/null (a regression must not be able to replace the
# real one, as the old code did); as another user, /dev/null itself (its folder is not writable).
dev=/dev/null
[ "$(id -u)" -eq 0 ] && mknod "$tmp/null" c 1 3 && dev=$tmp/null
expect 2 "not a regular file" "${quick[@]}" -o "$dev"
check "$dev is still a character device" test -c "$dev"
mkfifo "$tmp/fifo"
expect 2 "not a regular file" "${quick[@]}" -o "$tmp/fifo"
check "the FIFO is still a FIFO" test -p "$tmp/fifo"
echo keep >"$tmp/target"
ln -s "$tmp/target" "$tmp/link"
expect 2 "is a symbolic link" "${quick[@]}" -o "$tmp/link"
check "the symlink is still a symlink" test -L "$tmp/link"
check "the symlink's target is untouched" grep -qx keep "$tmp/target"
echo old >"$tmp/ro.json"
chmod 0444 "$tmp/ro.json"
expect 2 "is read-only \(mode 0444\)" "${quick[@]}" -o "$tmp/ro.json"
check "the read-only file is untouched" grep -qx old "$tmp/ro.json"
mkdir "$tmp/d.svg"
expect 2 "is a directory" plot "$tmp/none.json" -o "$tmp/d.svg"
ln -sf "$tmp/target" "$tmp/link.svg"
expect 2 "is a symbolic link" plot "$tmp/none.json" -o "$tmp/link.svg"

# A replaced file keeps its mode; an unrelated FILE.tmp is not touched.
echo '{}' >"$tmp/r.json"
chmod 0640 "$tmp/r.json"
echo unrelated >"$tmp/r.json.tmp"
expect 0 "sequential" "${quick[@]}" -o "$tmp/r.json"
check "mode 0640 kept" test "$(stat -c %a "$tmp/r.json")" = 640
check "FILE.tmp untouched" grep -qx unrelated "$tmp/r.json.tmp"
check "no temporary file left" test "$(find "$tmp" -name '.r.json.*' | wc -l)" -eq 0

# - is standard output: one JSON document there, the table on stderr.
out=$("$bin" "${quick[@]}" -o - 2>"$tmp/stderr")
check "-o - writes one JSON document to stdout" python3 -c \
  'import json,sys; d=json.loads(sys.argv[1]); assert d["schema_version"] >= 1' "$out"
check "-o -: the table goes to stderr" grep -q "wall med" "$tmp/stderr"

# Two runs writing one path at once: every read in between sees a whole document.
slow=(run -m sequential -w sleep -n 1 -r 40 --warmup 0 -p ms=5 -o "$tmp/shared.json" -q)
"$bin" "${slow[@]}" & p1=$!
"$bin" "${slow[@]}" & p2=$!
bad=0 reads=0
while kill -0 "$p1" 2>/dev/null || kill -0 "$p2" 2>/dev/null; do
  if [ -s "$tmp/shared.json" ]; then
    reads=$((reads + 1))
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/shared.json" 2>/dev/null ||
      bad=$((bad + 1))
  fi
  [ "$reads" -lt 400 ] || break
done
wait "$p1"; r1=$?
wait "$p2"; r2=$?
check "both concurrent runs succeed ($r1, $r2)" test "$r1" -eq 0 -a "$r2" -eq 0
check "every one of $reads reads saw complete JSON ($bad did not)" test "$bad" -eq 0 -a "$reads" -gt 0

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
