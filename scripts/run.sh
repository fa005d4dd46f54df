#!/usr/bin/env bash
# The suite on a fresh machine: install, build, then run the default comparison under all five
# models - the article's cpu_bound, io_bound against the embedded latency server, and sleep -
# in one run, into results/latest.json. Extra arguments go to `concbench run`
# (e.g. scripts/run.sh -r 10, or -w io_bound -p url=http://example.org/).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
exec "$root/build/concbench" run -w cpu_bound,io_bound,sleep -o "$root/results/latest.json" "$@"
