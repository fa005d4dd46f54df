#!/usr/bin/env bash
# The layers only look down (docs/ARCHITECTURE.md):
#   common <- server <- workloads <- runners <- rmodel <- analysis <- bench <- report <- cmd
# (bench/python is part of bench). Fails, naming file and line, on any #include of a folder of a
# higher layer than the file's own, and on a C source outside the layer folders.
# Then the commands that only read results files (report, compare, export, history, plot,
# trace) must not reach the measuring loop: neither they nor the report/ and cmd/ files they link
# (found from the core library's objects in BUILD_DIR) include bench/ or call into it. Without
# BUILD_DIR, or before a build, that second check is skipped with a message.
# Usage: layers.sh SOURCE_DIR [BUILD_DIR]
set -u
cd "${1:?usage: layers.sh SOURCE_DIR [BUILD_DIR]}" || exit 2
build=${2:-}
layers=(common server workloads runners rmodel analysis bench report cmd)
declare -A rank=()
for i in "${!layers[@]}"; do rank[${layers[$i]}]=$i; done
include_re='^[[:space:]]*#[[:space:]]*include[[:space:]]+"[a-z_]+/'

bad=0 checked=0
for dir in "${layers[@]}"; do
  own=${rank[$dir]}
  while IFS= read -r hit; do
    [[ $hit =~ include[[:space:]]+\"([^/\"]+)/ ]] || continue
    target=${BASH_REMATCH[1]}
    checked=$((checked + 1))
    if [ "${rank[$target]:--1}" -gt "$own" ]; then
      echo "layers: $hit  ($dir may not include $target: $target is a higher layer)"
      bad=$((bad + 1))
    fi
  done < <(grep -rnE "$include_re" "$dir" --include='*.c' --include='*.h' --include='*.S')
done
# A file outside the layer folders (other than tests) would escape the check.
stray=$(find . -path ./tests -prune -o -path './build*' -prune -o -path ./.git -prune -o \
  \( -name '*.c' -o -name '*.h' \) -print | grep -vE "^\./($(IFS='|'; echo "${layers[*]}"))/" || true)
if [ -n "$stray" ]; then
  echo "layers: C sources outside the layer folders: $stray"
  bad=$((bad + 1))
fi
[ "$checked" -gt 0 ] || { echo "layers: no include found: wrong folder?"; exit 1; }
echo "layers: $checked includes checked, $bad pointing up"

# --- The commands that only read results never reach bench/ ---
readers=(cmd/report.c cmd/compare.c cmd/compare_opts.c cmd/export.c cmd/history.c cmd/plot.c
         cmd/trace.c)
# A known exception is listed with its reason and reported, not failed; the list should shrink.
declare -A allowed=(
  [report/sweep_table.c]="calls sweep_failure_reason (bench/sweep.c), a reading of an rm_case"
)
objdir=${build:+$build/CMakeFiles/concbench_core.dir}
if [ -z "$objdir" ] || [ ! -d "$objdir" ]; then
  echo "layers: readers not checked: no build directory (layers.sh SOURCE_DIR BUILD_DIR)"
  [ "$bad" -eq 0 ]
  exit
fi
# Every object whose source still exists (one may be left from a file since moved); from nm's
# "OBJECT: TYPE SYMBOL" lines, starting at the readers, every cmd/ and report/ file whose
# symbols they use, and every use of a symbol defined in bench/.
objs=()
while IFS= read -r o; do
  src=${o#"$objdir"/}
  [ -f "${src%.o}" ] && objs+=("$o")
done < <(find "$objdir" -name '*.o')
[ "${#objs[@]}" -gt 0 ] || { echo "layers: no objects in $objdir: build first"; exit 1; }
closure=$(nm -A -g "${objs[@]}" 2>/dev/null |
  awk -v skip=$((${#objdir} + 1)) -v readers="${readers[*]}" '
  { file = substr($0, skip + 1, index($0, ":") - skip - 1); sub(/\.o$/, "", file)
    sym = $NF; type = $(NF - 1)
    if (type == "U") uses[file] = uses[file] " " sym; else def[sym] = file }
  END {
    n = split(readers, todo, " ")
    for (i = 1; i <= n; i++) {
      f = todo[i]; if (f in seen) continue; seen[f] = 1; print "reached " f
      m = split(uses[f], u, " ")
      for (j = 1; j <= m; j++) {
        d = def[u[j]]
        if (d ~ /^bench\//) print "calls " f " " u[j] " " d
        else if (d ~ /^(cmd|report)\// && !(d in seen)) todo[++n] = d
      }
    }
  }')
declare -A reached=()
while read -r kind src sym d; do
  case $kind in
  reached) reached[$src]=1 ;;
  calls)
    [ -n "${allowed[$src]:-}" ] && continue
    echo "layers: $src calls $sym, defined in $d (a results-only command reaches bench/)"
    bad=$((bad + 1))
    ;;
  esac
done <<<"$closure"
# The project headers a file includes, through headers of cmd/ and report/ (a lower layer's
# cannot include bench/: the first check sees to that).
upper_include='s@^[[:space:]]*#[[:space:]]*include[[:space:]]+"((cmd|report|bench)/[^"]+)".*@\1@p'
headers_of() {
  local todo=("$1") seen=" " f h
  while [ "${#todo[@]}" -gt 0 ]; do
    f=${todo[0]} todo=("${todo[@]:1}")
    for h in $(sed -nE "$upper_include" "$f"); do
      [[ $seen == *" $h "* ]] && continue
      seen+="$h "
      echo "$h"
      [[ $h == bench/* ]] || [ ! -f "$h" ] || todo+=("$h")
    done
  done
}
nheaders=0
for src in $(printf '%s\n' "${!reached[@]}" | sort); do
  for h in $(headers_of "$src"); do
    nheaders=$((nheaders + 1))
    [[ $h == bench/* ]] || continue
    if [ -n "${allowed[$src]:-}" ]; then
      echo "layers: known exception: $src includes $h (${allowed[$src]})"
      continue
    fi
    echo "layers: $src includes $h (a results-only command reaches bench/ through it)"
    bad=$((bad + 1))
  done
done
# cmd/cli.h alone is in every reader: none read means this script, not the tree, is wrong.
[ "$nheaders" -gt 0 ] || { echo "layers: no cmd/ or report/ include read: broken check"; exit 1; }
echo "layers: ${#reached[@]} files of the results-only commands (and their headers) checked for" \
  "bench/"
[ "$bad" -eq 0 ]
