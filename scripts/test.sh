#!/usr/bin/env bash
# The tests on a fresh machine: install (the --test profile of install-deps.sh), build, run
# CTest, then one line naming every test, or part of one, that was skipped and why (a missing
# optional tool says which package brings it). Extra arguments go to CMake, e.g.
# scripts/test.sh -DCONCBENCH_SANITIZE=ON (use BUILD_DIR to keep builds apart).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh" --test
"$root/scripts/build.sh" "$@"
cd "${BUILD_DIR:-$root/build}"
status=0
ctest --output-on-failure --no-tests=error -j2 --timeout 900 || status=$?
"$root/scripts/skipped-tests.sh" Testing/Temporary/LastTest.log
exit "$status"
