#!/usr/bin/env bash
# Every --help text fits an 80-column terminal: concbench --help and each command's --help, the
# commands read from the table in cmd/main.c (a new row is checked without editing this file).
# Columns are characters (a UTF-8 locale), not bytes: "±" is one.
set -u
bin=$1
table=$(dirname "$0")/../../cmd/main.c
failures=0
passed=0
export LC_ALL=C.UTF-8
source "$(dirname "$0")/expect.bash"

mapfile -t cmds < <(sed -n '/^const struct command commands\[\]/,/^};/p' "$table" |
  grep -oE '^ *\{"[a-z0-9_-]+"' | grep -oE '[a-z0-9_-]+')
check "cmd/main.c's table lists commands (found ${#cmds[@]})" test "${#cmds[@]}" -ge 10

fits() { # fits ARGS...: concbench ARGS exits 0 and prints no line over 80 characters
  local out line n=0 long=""
  out=$(timeout 30 "$bin" "$@" 2>&1) || { echo "FAIL: concbench $* exited $?"; return 1; }
  while IFS= read -r line; do
    n=$((n + 1))
    [ "${#line}" -le 80 ] || long+="    line $n, ${#line} columns: $line"$'\n'
  done <<<"$out"
  [ -z "$long" ] && [ "$n" -gt 3 ] && return 0
  echo "FAIL: concbench $* has lines over 80 columns:"
  printf '%s' "$long"
  return 1
}

check "concbench --help" fits --help
for c in "${cmds[@]}"; do
  check "concbench $c --help" fits "$c" --help
  expect 0 "concbench $c" "$c" --help
done

echo "help_width: $passed passed, $failures failed (${#cmds[@]} commands)"
[ "$failures" -eq 0 ]
