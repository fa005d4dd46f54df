#!/usr/bin/env bash
# Redraws the README's "In class" pictures from a fresh run of `concbench demo gather`:
#   docs/img/demo-gather.svg     the demo's terminal output (--ascii), drawn as an SVG of monospace
#                                lines (waits in sky blue, compute in vermillion, as the slides)
#   docs/img/gather-slides.png   `concbench plot --timeline sleep --slides` of the same run
# Usage: scripts/readme-pictures.sh [--scale F]   (default 0.5: the demo takes about 6 s)
# Needs python3 (the SVG) and gnuplot (the plot). CONCBENCH_BIN overrides the binary (default
# build/concbench). The numbers are this machine's, of this run: commit the pictures with the
# change that made them differ.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${CONCBENCH_BIN:-$root/build/concbench}
scale=0.5
case ${1:-} in
  --scale) scale=${2:?"--scale needs a factor, e.g. 0.5"} ;;
  -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "readme-pictures: unknown argument '$1' (valid: --scale F, --help)" >&2; exit 2 ;;
esac
[ -x "$bin" ] || { echo "readme-pictures: no $bin: build first (scripts/build.sh)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "readme-pictures: needs python3" >&2; exit 1; }
tmp=$(mktemp -d /tmp/concbench-pictures-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$root/docs/img"

# a file, not a terminal: the demo prints its final picture once, without colours
COLUMNS=100 "$bin" demo gather --scale "$scale" --ascii -o "$tmp/gather.json" >"$tmp/demo.txt"
python3 - "$tmp/demo.txt" "$root/docs/img/demo-gather.svg" <<'PY'
import sys
from xml.sax.saxutils import escape
lines = open(sys.argv[1], encoding="utf-8").read().rstrip("\n").split("\n")
size, step, pad = 15, 19, 14
adv = size * 0.602  # DejaVu Sans Mono's advance
width = int(max(len(l) for l in lines) * adv + 2 * pad)
height = len(lines) * step + 2 * pad
colour = {"-": "#56b4e9", "=": "#56b4e9", "#": "#d55e00", "@": "#d55e00"}
out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">'
       % (width, height, width, height),
       '<rect width="100%" height="100%" rx="8" fill="#1d1f21"/>',
       '<g font-family="DejaVu Sans Mono,Menlo,Consolas,monospace" font-size="%d" fill="#e8e8e8"'
       ' xml:space="preserve" style="white-space:pre">' % size]
for i, line in enumerate(lines):
    bar = line.find("|") >= 0 and line.rstrip().endswith("|")
    parts, run, kind = [], "", None
    for ch in line:  # runs of one colour: the glyphs of a timeline bar, or plain text
        k = colour.get(ch) if bar else None
        if k != kind and run:
            parts.append((kind, run)); run = ""
        kind, run = k, run + ch
    if run:
        parts.append((kind, run))
    spans = "".join('<tspan fill="%s">%s</tspan>' % (k, escape(r)) if k else escape(r)
                    for k, r in parts)
    out.append('<text x="%d" y="%d" xml:space="preserve">%s</text>' % (pad, pad + (i + 1) * step - 5, spans))
out.append("</g></svg>")
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
"$bin" plot "$tmp/gather.json" --timeline sleep --slides -o "$root/docs/img/gather-slides.png"
ls -l "$root/docs/img/demo-gather.svg" "$root/docs/img/gather-slides.png"
