#!/usr/bin/env bash
# Every file a command writes goes through the one safe writer (issue 24, item 2). The output
# options are read from the program itself: every command of `concbench --help`, every option of
# its --help that takes a file. Each must be in OUTPUTS below (then it is attacked) or in INPUTS;
# a new command or option that writes a file fails here until it is listed, so none can skip the
# writer. Each attack (a symbolic link, a FIFO, a read-only file, a directory, a device) must be
# refused with exit 2 before any work, quickly (a FIFO never hangs it), the target untouched.
set -u
bin=$1
failures=0
passed=0
expect_timeout=60
source "$(dirname "$0")/expect.bash"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A results file and a history for the commands that read one.
"$bin" run -w sleep -m sequential -n 2 -r 3 --warmup 0 -p ms=1 -q -o "$tmp/r.json" >/dev/null 2>&1
"$bin" history add "$tmp/r.json" --db "$tmp/h.sqlite" >/dev/null 2>&1
check "a results file to read" test -s "$tmp/r.json"

quick_run=(-w sleep -m sequential -n 1 -r 1 --warmup 0 -p ms=1 -q)
# "COMMAND OPTION" -> the command line, @O@ the output path (with the suffix after '|').
declare -A OUTPUTS=(
  ["run --json"]="run ${quick_run[*]} --json @O@"
  ["run --trace"]="run ${quick_run[*]} --trace @O@"
  ["reproduce --json"]="reproduce -r 1 --warmup 0 --json @O@"
  ["plot -o"]="plot $tmp/r.json -o @O@|.svg"
  ["plot --output"]="plot $tmp/r.json --output @O@|.svg"
  ["export -o"]="export $tmp/r.json -f bmf -o @O@"
  ["export --output"]="export $tmp/r.json -f bmf --output @O@"
  ["history -o"]="history trend sleep/sequential --db $tmp/h.sqlite -o @O@|.svg"
  ["trace -o"]="trace $tmp/r.json -o @O@"
  ["trace --output"]="trace $tmp/r.json --output @O@"
  ["report --html"]="report $tmp/r.json --html @O@"
  ["demo --json"]="demo gather -m sequential --scale 0.01 --json @O@"
  ["primitives -o"]="primitives --only uv_timer --runs 2 -o @O@"
  ["primitives --json"]="primitives --only uv_timer --runs 2 --json @O@"
  ["switchcost -o"]="switchcost --runs 2 -o @O@"
  ["switchcost --json"]="switchcost --runs 2 --json @O@"
  ["sweep --json"]="sweep -w sleep -m sequential -r 1 --warmup 0 -q --tasks-list 1 --json @O@"
)
# Options that read a file, and mentions of another command's option in a help text.
INPUTS=" reproduce --hyperfine | reproduce --published | reproduce --python "
INPUTS+=" report --hyperfine | report --published | history --db | trace --trace | sweep -o "

# Every option of every command that takes a file, from the help texts.
discovered=()
for cmd in $("$bin" --help 2>&1 | awk '/^  [a-z]/{print $1}'); do
  while read -r opt; do
    [ -n "$opt" ] && discovered+=("$cmd $opt")
  done < <("$bin" "$cmd" --help 2>&1 |
    grep -oE "(^|[ ,[])(-[a-zA-Z]|--[a-z][a-z-]*) (FILE|OUT|PATH|TRACE|DB|[A-Z]+\.[A-Za-z|.]+)" |
    sed -E 's/^[ ,[]*//; s/ .*//' | sort -u)
done
check "the help texts name output options (found ${#discovered[@]})" test "${#discovered[@]}" -ge 10
for entry in "${discovered[@]}"; do
  if [ -z "${OUTPUTS[$entry]+x}" ] && [[ "$INPUTS" != *" $entry "* ]]; then
    echo "FAIL: '$entry' takes a file: list it in OUTPUTS (and write it with outfile_write) or INPUTS"
    failures=$((failures + 1))
  fi
done
check "report --help names --html" grep -q -- "--html FILE" <("$bin" report --help)

# One attack on one command line: refused (2), fast, the target as it was.
attack() { # ENTRY WHAT REGEX PATH
  local entry=$1 what=$2 regex=$3 path=$4 line
  line=${OUTPUTS[$entry]%%|*}
  # shellcheck disable=SC2086 # the command line is words
  expect 2 "$regex" ${line//@O@/$path}
  [ "$failures" -eq "$before" ] || echo "    ($entry: $what)"
}

for entry in "${!OUTPUTS[@]}"; do
  suffix=""
  [[ "${OUTPUTS[$entry]}" == *"|"* ]] && suffix=${OUTPUTS[$entry]#*|}
  d="$tmp/${entry// /_}"
  mkdir -p "$d"
  before=$failures
  echo keep >"$d/target$suffix"
  ln -s "$d/target$suffix" "$d/link$suffix"
  attack "$entry" symlink "is a symbolic link" "$d/link$suffix"
  check "$entry: the symlink's target is untouched" grep -qx keep "$d/target$suffix"
  mkfifo "$d/fifo$suffix"
  attack "$entry" FIFO "not a regular file" "$d/fifo$suffix"
  check "$entry: the FIFO is still a FIFO" test -p "$d/fifo$suffix"
  echo old >"$d/ro$suffix"
  chmod 0444 "$d/ro$suffix"
  attack "$entry" read-only "is read-only" "$d/ro$suffix"
  check "$entry: the read-only file is untouched" grep -qx old "$d/ro$suffix"
  mkdir "$d/dir$suffix"
  attack "$entry" directory "is a directory" "$d/dir$suffix"
  # a device: as root a private copy of /dev/null (with the suffix), else /dev/null itself
  dev=/dev/null
  [ "$(id -u)" -eq 0 ] && mknod "$d/null$suffix" c 1 3 && dev=$d/null$suffix
  if [ -z "$suffix" ] || [ "$dev" != /dev/null ]; then
    attack "$entry" device "not a regular file" "$dev"
    check "$entry: the device is still a device" test -c "$dev"
  fi
done

# The writers themselves: a replaced file keeps its mode, nothing temporary is left.
for entry in "export -o" "trace -o" "report --html"; do
  line=${OUTPUTS[$entry]}
  out="$tmp/ok-${entry// /_}"
  echo old >"$out"
  chmod 0640 "$out"
  # shellcheck disable=SC2086
  "$bin" ${line//@O@/$out} >/dev/null 2>&1
  check "$entry writes the file" sh -c "test -s '$out' && ! grep -qx old '$out'"
  check "$entry keeps mode 0640" test "$(stat -c %a "$out")" = 640
done
check "no temporary file left" test "$(find "$tmp" -maxdepth 1 -name '.ok-*' | wc -l)" -eq 0

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
