#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang with libFuzzer, ASan+UBSan) and runs each for SECONDS
# (default 60) from its seeds and regressions, with its dictionary. A crash is copied into
# tests/fuzz/NAME/regressions/ (so that CTest replays it from then on) and fails the script.
# Every target's final libFuzzer statistics (stat::number_of_executed_units...) are printed.
#   scripts/fuzz.sh [SECONDS]          BUILD_DIR (default build-fuzz) keeps the build apart
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
build=${BUILD_DIR:-$root/build-fuzz}
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || {
  echo "usage: scripts/fuzz.sh [SECONDS]  (a whole number of seconds per target)" >&2
  exit 2
}
"$root/scripts/install-deps.sh" --test
# the clang that install-deps chose (the release's default, or the pair already installed)
clang=$("$root/scripts/install-deps.sh" --list --test | grep -E '^clang-[0-9]+$' | head -1)
[ -n "$clang" ] || { echo "fuzz.sh: no clang with libFuzzer here (see install-deps.sh)" >&2; exit 1; }
echo "fuzz.sh: building with $clang" >&2
CC=$clang cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCONCBENCH_FUZZ=ON \
  -DCONCBENCH_TESTS=OFF >/dev/null
cmake --build "$build" -j2 >/dev/null

failed=0
for src in "$root"/tests/fuzz/fuzz_*.c; do
  target=$(basename "$src" .c)
  name=${target#fuzz_}
  dir="$root/tests/fuzz/$name"
  work=$(mktemp -d)
  dict=()
  [ -f "$root/tests/fuzz/$name.dict" ] && dict=(-dict="$root/tests/fuzz/$name.dict")
  echo "== $target: $seconds s"
  set +e
  # the new corpus goes to a scratch folder (first folder given); seeds and regressions are read
  (cd "$work" && "$build/tests/fuzz/$target" "${dict[@]}" -max_total_time="$seconds" \
    -max_len=16384 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "$work" "$dir/seeds" "$dir/regressions") >"$work/log" 2>&1
  rc=$?
  set -e
  { grep -E '^#[0-9]+[[:space:]]+DONE[[:space:]]+cov:' "$work/log" || true; } | sed "s/^/$target: /"
  { grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$work/log" ||
    true; } | sed "s/^/$target: /"
  if [ "$rc" -ne 0 ]; then
    failed=1
    echo "$target: FAILED (status $rc):"
    { grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$work/log" || tail -5 "$work/log"; } |
      head -10
    for crash in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
      [ -f "$crash" ] || continue
      cp "$crash" "$dir/regressions/"
      echo "$target: kept $(basename "$crash") in tests/fuzz/$name/regressions/ (commit it)"
    done
  fi
  rm -rf "$work"
done
exit "$failed"
