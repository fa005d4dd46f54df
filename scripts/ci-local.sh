#!/usr/bin/env bash
# Runs one job of the example workflow (ci/github-actions-bench.yml) here, in this checkout, as
# GitHub would run its shell steps: the very lines of its `run:` steps, extracted by
# scripts/ci-workflow-steps.sh, one after another from the checkout's top folder, stopping at
# the first that fails. Steps that `uses:` an action are GitHub's and are not run: there is no
# actions cache here (the history simply stays in results/history.sqlite, where the cache
# steps would restore it), and no Pages (the site stays in site/: open site/index.html).
# $GITHUB_STEP_SUMMARY is a file, printed at the end.
#   scripts/ci-local.sh [--no-install] [--list] [JOB] [BASE]
#     JOB   track (default: run, gate, add, export, publish) or bench (the pull request's
#           ABBA comparison against BASE, default HEAD~1; it adds a git worktree in ../base)
#     --no-install  leave out the "Install dependencies" step (they are installed already)
#     --list        print the steps and stop
# It builds into build/ and writes bench/, site/ and results/history.sqlite like the workflow.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
install=1
list=0
args=()
for a in "$@"; do
  case $a in
    --no-install) install=0 ;;
    --list) list=1 ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "ci-local: unknown option $a (see --help)" >&2; exit 2 ;;
    *) args+=("$a") ;;
  esac
done
job=${args[0]:-track}
base=${args[1]:-$(git -C "$root" rev-parse HEAD~1 2>/dev/null || git -C "$root" rev-parse HEAD)}
case $job in
  track | bench) ;;
  *) echo "ci-local: JOB '$job': expected track or bench" >&2; exit 2 ;;
esac
base=$(git -C "$root" rev-parse "$base")
work=$(mktemp -d /tmp/concbench-ci-local-XXXXXX)
trap 'rm -rf "$work"' EXIT
"$root/scripts/ci-workflow-steps.sh" "$root/ci/github-actions-bench.yml" "$work/steps" "$base" \
  "$job" >"$work/list.txt"
if [ "$list" -eq 1 ]; then
  cut -f2 "$work/list.txt"
  exit 0
fi
export GITHUB_STEP_SUMMARY=$work/summary.md
: >"$GITHUB_STEP_SUMMARY"
status=0
while IFS=$'\t' read -r script name; do
  if [ "$install" -eq 0 ] && [[ $name == Install\ dependencies* ]]; then
    echo "== $name: left out (--no-install)"
    continue
  fi
  echo "== $name"
  (cd "$root" && bash "$script") || {
    status=$?
    echo "== $name: FAILED (exit status $status); the steps after it were not run"
    break
  }
done <"$work/list.txt"
if [ -s "$GITHUB_STEP_SUMMARY" ]; then
  echo "== the job summary (\$GITHUB_STEP_SUMMARY):"
  cat "$GITHUB_STEP_SUMMARY"
fi
[ "$job" = track ] && [ -f "$root/site/index.html" ] && echo "== the dashboard: $root/site/index.html"
exit "$status"
