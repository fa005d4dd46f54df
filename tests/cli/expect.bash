# Shared by the CLI tests: expect STATUS REGEX ARGS... runs concbench ARGS (the binary in $bin,
# bounded by $expect_timeout seconds), checks the exit status and that stdout or stderr matches
# REGEX, and counts into $passed and $failures.
expect_timeout=${expect_timeout:-60}
expect() {
  local want=$1 regex=$2
  shift 2
  local out rc
  out=$(timeout "$expect_timeout" "$bin" "$@" 2>&1)
  rc=$?
  if [ "$rc" -ne "$want" ] || ! grep -Eq -- "$regex" <<<"$out"; then
    echo "FAIL: concbench $* -> status $rc (want $want), output:"
    sed 's/^/    /' <<<"$out" | head -8
    echo "    (wanted /$regex/)"
    failures=$((failures + 1))
  else
    passed=$((passed + 1))
  fi
}

# check DESCRIPTION COMMAND...: a plain assertion, counted like expect.
check() {
  local what=$1
  shift
  if "$@"; then passed=$((passed + 1)); else echo "FAIL: $what"; failures=$((failures + 1)); fi
}

# as_nobody_setup: for a check under ulimit -u, which root ignores. As root, sets as_user to the
# setpriv words that run a command as user nobody; else leaves it empty. Where the check cannot
# run, skip_why says why (no setpriv or nobody, or a private folder above $bin, as /root is).
as_nobody_setup() {
  as_user=()
  skip_why="as root it needs setpriv and user nobody"
  if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
    as_user=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
    if ! "${as_user[@]}" test -x "$bin"; then
      as_user=()
      skip_why="user nobody cannot run $bin (a folder above it is private, e.g. /root)"
    fi
  fi
}

# same_as_golden GOLDEN COLUMNS ARGS...: concbench ARGS, with COLUMNS set to COLUMNS (or unset
# when it is -) and NO_COLOR empty, prints exactly $golden/GOLDEN (stdout and stderr); counted
# like expect. Needs $golden and a scratch folder $tmp.
same_as_golden() {
  local want=$1 cols=$2
  shift 2
  if [ "$cols" = - ]; then
    env -u COLUMNS NO_COLOR= "$bin" "$@" >"$tmp/golden_out.txt" 2>&1
  else
    COLUMNS=$cols NO_COLOR= "$bin" "$@" >"$tmp/golden_out.txt" 2>&1
  fi
  if diff -u "$golden/$want" "$tmp/golden_out.txt" >"$tmp/golden_diff.txt"; then
    passed=$((passed + 1))
  else
    echo "FAIL: concbench $* at COLUMNS=$cols differs from $want:"
    head -30 "$tmp/golden_diff.txt"
    failures=$((failures + 1))
  fi
}
