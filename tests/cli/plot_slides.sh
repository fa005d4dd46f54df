#!/usr/bin/env bash
# plot --slides (issue 22): a picture for a projector. The SVG is parsed: 1920x1080, no text under
# 28 px, every line of text inside the canvas by an estimate of its width (0.65 em a character,
# DejaVu Sans' average in English text), so a long title is broken into lines, not clipped; the timeline draws
# compute, waiting and runnable in three Okabe-Ito colours with a key; a label that tries to end a
# gnuplot string stays text. The PNG is 1920x1080 too. Without gnuplot: skipped (exit 77).
set -u
bin=$1
failures=0
passed=0
tmp=$(mktemp -d /tmp/concbench-plot-slides-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
expect_timeout=120
source "$(dirname "$0")/expect.bash"

if ! command -v gnuplot >/dev/null || ! command -v python3 >/dev/null; then
  echo "skipped: plot --slides needs gnuplot and python3 (scripts/install-deps.sh --test)"
  exit 77
fi
# a wait then a compute step per task; sequential makes tasks 1 and 2 runnable until their turn
"$bin" run -m sequential,pthreads -w script -n 3 -r 1 --warmup 0 -p plan=w20,b20 -q \
  -o "$tmp/r.json" 2>/dev/null || { echo "FAIL: could not make a results file"; exit 1; }
long=$(printf 'a very long processor name %.0s' 1 2 3 4 5 6 7 8 9 10)
evil="pthreads')+system('touch $tmp/PWNED')+('$(printf 'x%.0s' $(seq 1 150))"
sed -e "s|\"cpu_model\": \"[^\"]*\"|\"cpu_model\": \"$long\"|" \
  -e "s|\"label\": \"pthreads\"|\"label\": \"$evil\"|" "$tmp/r.json" >"$tmp/long.json"
check "the long name is in the test file" grep -q 'a very long processor name a very' "$tmp/long.json"

expect 0 "wrote .*tl.svg" plot "$tmp/long.json" --timeline script --slides -o "$tmp/tl.svg"
expect 0 "wrote .*tl.png" plot "$tmp/long.json" --timeline script --slides -o "$tmp/tl.png"
expect 0 "wrote .*bars.svg" plot "$tmp/long.json" --slides -o "$tmp/bars.svg"
expect 0 "--slides" plot --help
check "the label did not reach gnuplot as a command" test ! -e "$tmp/PWNED"

# svg_check FILE: size, fonts and every text line inside the canvas; prints what is wrong
svg_check() {
  python3 - "$1" <<'PY'
import re, sys
svg = open(sys.argv[1], encoding="utf-8").read()
bad = []
m = re.search(r'<svg[^>]*\bviewBox="0 0 (\d+) (\d+)"', svg)
if not m or (m.group(1), m.group(2)) != ("1920", "1080"):
    bad.append("size %s, want 1920x1080" % (m.groups() if m else None))
groups = re.findall(r'<g transform="translate\(([\d.]+),([\d.]+)\)( rotate\(-?[\d.]+\))?[^>]*'
                    r'font-size="([\d.]+)"[^>]*?(?:text-anchor="(\w+)")?\s*>\s*<text>(.*?)</text>',
                    svg, re.S)
if not groups:
    bad.append("no text found")
for x, y, rotated, size, anchor, text in groups:
    x, y, size = float(x), float(y), float(size)
    edge = 1920
    if rotated:  # vertical (gnuplot 5: rotate(270), 6: rotate(270.00)): its extent is along y
        x, edge = y, 1080
    text = re.sub(r"<[^>]+>", "", text).replace("&amp;", "&").replace("&lt;", "<")
    if size < 28:
        bad.append("text of %g px: %r" % (size, text[:40]))
    w = len(text.strip()) * size * 0.65
    lo, hi = {"middle": (x - w / 2, x + w / 2), "end": (x - w, x)}.get(anchor or "start",
                                                                       (x, x + w))
    if lo < 0 or hi > edge:
        bad.append("text from %.0f to %.0f px: %r" % (lo, hi, text[:60]))
print("\n".join(bad[:8]))
print("fonts:", sorted({float(g[3]) for g in groups}), file=sys.stderr)
PY
}
for f in tl bars; do
  problems=$(svg_check "$tmp/$f.svg" 2>"$tmp/$f.fonts")
  check "$f.svg: 1920x1080, text >= 28 px, inside the canvas${problems:+: $problems}" \
    test -z "$problems"
  cat "$tmp/$f.fonts"
done
check "the long title was broken into lines" \
  test "$(grep -c 'a very long processor name' "$tmp/tl.svg")" -ge 2
check "the long label was cut with an ellipsis" grep -qF "pthreads')+system('touch…" "$tmp/tl.svg"
# compute (vermillion), waiting (sky blue), runnable (yellow)
for colour in 'rgb(213,94,0)' 'rgb(86,180,233)' 'rgb(240,228,66)'; do
  check "the timeline uses $colour (Okabe-Ito)" bash -c "tr -d ' ' <'$tmp/tl.svg' | grep -qF '$colour'"
done
for name in 'compute (running)' waiting runnable; do
  check "the key names $name" grep -qF ">$name<" "$tmp/tl.svg"
done
size=$(od -An -tu1 -j16 -N8 "$tmp/tl.png" | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}')
check "the PNG is 1920x1080 (got $size)" test "$size" = 1920x1080
# png_edges FILE: the columns at the left and right edges, which only text running off the
# canvas would touch, are white from top to bottom (the PNG decoded with zlib alone)
png_edges() {
  python3 - "$1" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
pos, idat, w, h, bpp = 8, b"", 0, 0, 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        bpp = {2: 3, 6: 4}.get(ctype, 0) * depth // 8
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
if bpp == 0:
    print("not an 8-bit RGB(A) PNG"); sys.exit()
raw, stride, prev, dark = zlib.decompress(idat), w * bpp, bytearray(w * bpp), 0
for y in range(h):
    f, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = row[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: row[i] = (row[i] + a) & 255
        elif f == 2: row[i] = (row[i] + b) & 255
        elif f == 3: row[i] = (row[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in (0, 1, 2, w - 3, w - 2, w - 1):
        dark += min(row[x * bpp:x * bpp + 3]) < 200
    prev = row
print("%d dark pixels at the edges" % dark if dark else "")
PY
}
problems=$(png_edges "$tmp/tl.png")
check "nothing touches the PNG's left and right edges${problems:+: $problems}" test -z "$problems"
expect 0 "wrote .*bars.png" plot "$tmp/long.json" --slides -o "$tmp/bars.png"
problems=$(png_edges "$tmp/bars.png")
check "nothing touches the bars PNG's edges${problems:+: $problems}" test -z "$problems"
[ -n "${CONCBENCH_KEEP_SLIDES:-}" ] && cp "$tmp/tl.png" "$CONCBENCH_KEEP_SLIDES"

echo "plot_slides: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
