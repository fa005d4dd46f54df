#!/usr/bin/env bash
# The tests on a fresh machine: install, build, run CTest. Extra arguments go to CMake, e.g.
# scripts/test.sh -DCONCBENCH_SANITIZE=ON (use BUILD_DIR to keep builds apart).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$@"
cd "${BUILD_DIR:-$root/build}"
ctest --output-on-failure -j2 --timeout 900
