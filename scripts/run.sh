#!/usr/bin/env bash
# The suite on a fresh machine: install, build, then run the default comparison - the article's
# cpu_bound, the sleep workload and io_bound against the embedded server - under all five
# models. Results land in results/latest-*.json. Extra arguments go to every `concbench run`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
bin=$root/build/concbench
status=0
for workload in cpu_bound sleep io_bound; do
  "$bin" list >/dev/null
  if "$bin" run -w "$workload" -o "$root/results/latest-$workload.json" "$@"; then :; else
    rc=$?
    # 2 = bad usage (e.g. io_bound not built yet): say so and go on with the others.
    echo "run.sh: $workload exited with status $rc" >&2
    status=1
  fi
done
exit $status
