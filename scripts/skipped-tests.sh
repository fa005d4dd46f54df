#!/usr/bin/env bash
# Prints one line listing what CTest's last run skipped, read from its log (LastTest.log): whole
# tests (exit 77), cmocka tests ([  SKIPPED ]) and the parts a test script skipped (a line that
# starts with "skipped:"), each with the test's own reason.
#   scripts/skipped-tests.sh BUILD/Testing/Temporary/LastTest.log
set -euo pipefail
log=${1:?usage: skipped-tests.sh LastTest.log}
[ -r "$log" ] || { echo "skipped-tests: cannot read $log" >&2; exit 1; }
awk '
  /^[0-9]+\/[0-9]+ Test: / { test = $3; next }
  /^\[  SKIPPED \] [0-9]+ test\(s\), listed below:/ { next } # the count line: the names follow
  /^skipped:|^\[  SKIPPED \]|: skipped: / {
    line = $0
    sub(/^\[  SKIPPED \] */, "", line)
    sub(/^skipped: */, "", line)
    if (!((test, line) in seen)) { seen[test, line] = 1; list = list (n++ ? "; " : "") test ": " line }
  }
  END { if (n) print "skipped (" n "): " list; else print "skipped: nothing" }
' "$log"
