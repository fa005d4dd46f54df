#!/usr/bin/env bash
# Runs the README's two commands on a clean Debian, as a new user would: builds a minbase root
# filesystem with mmdebstrap (from the Debian mirror apt uses), clones the current commit into
# it, and in a chroot runs, each timed:
#   1. scripts/run.sh                the suite, after installing the run profile only
#   2. the example CI workflow's run steps (ci/github-actions-bench.yml, bookworm only: the
#      workflow is written for a runner of that age), still with the run profile only
#   3. scripts/test.sh               the tests, after installing the --test profile
# then prints each stage's time, CTest's counts and the skipped line. Uncommitted changes are
# not in the clone: commit first.
#   scripts/fresh-machine.sh [bookworm|trixie] [--keep]
# Needs root (chroot, mounts). The base tarball (minbase only: no git, no compiler) is cached
# for the day in $FRESH_CACHE (default /var/cache/concbench-fresh); everything the project
# needs comes from its own scripts. --keep leaves the root filesystem for a look (its path is
# printed); the mounts are always undone, on every exit path.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
suite=bookworm keep=0
for a in "$@"; do
  case $a in
    bookworm | trixie) suite=$a ;;
    --keep) keep=1 ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fresh-machine: unknown argument '$a' (valid: bookworm, trixie, --keep, --help)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: needs root (chroot and mounts)" >&2; exit 1; }
say() { echo "== fresh-machine $suite: $*"; }

# The host's tools: mmdebstrap builds the tree, python3-yaml reads the workflow.
need=()
command -v mmdebstrap >/dev/null || need+=(mmdebstrap)
/usr/bin/python3 -c 'import yaml' 2>/dev/null || need+=(python3 python3-yaml)
if [ ${#need[@]} -gt 0 ]; then
  say "installing on the host: ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

commit=$(git -C "$root" rev-parse HEAD)
[ -z "$(git -C "$root" status --porcelain --untracked-files=no)" ] ||
  say "note: uncommitted changes are not tested, only commit ${commit:0:12}"

cache=${FRESH_CACHE:-/var/cache/concbench-fresh}
mkdir -p "$cache"
tarball=$cache/$suite-minbase-$(date -u +%Y%m%d).tar
t0=$SECONDS
if [ ! -s "$tarball" ]; then
  find "$cache" -name "$suite-minbase-*.tar" -delete # yesterday's
  say "building a minbase $suite root filesystem (mmdebstrap)"
  mmdebstrap --quiet --variant=minbase --format=tar "$suite" "$tarball.part" >&2
  mv "$tarball.part" "$tarball"
fi
base_s=$((SECONDS - t0))

fs=$(mktemp -d /var/tmp/concbench-fresh-$suite.XXXXXX)
mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -R "${mounted[$i]}" 2>/dev/null || umount -lR "${mounted[$i]}" 2>/dev/null || true
  done
  # and what the tests mounted inside (`ip netns add` binds /run/netns), deepest first
  grep -o " $fs/[^ ]*" /proc/mounts | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
  if [ "$keep" -eq 1 ]; then
    echo "fresh-machine: the root filesystem is kept in $fs" >&2
  else
    # never follow a mount point that could not be undone
    if ! grep -q " $fs/" /proc/mounts; then rm -rf --one-file-system "$fs"; fi
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t0=$SECONDS
tar -C "$fs" -xf "$tarball"
cp /etc/resolv.conf "$fs/etc/resolv.conf"
# git is not in the base: the clone is made from the host, at this commit, in a folder every
# user can read (the limits tests run the binary as user nobody; /root is private)
mkdir -p "$fs/src"
git clone -q --no-local "$root" "$fs/src/concbench"
git -C "$fs/src/concbench" checkout -q "$commit"
# ../shared beside the clone, as CI has it (the article seeds, DESIGN.md)
[ -d "$root/../shared" ] && cp -r "$root/../shared" "$fs/src/shared"
for m in proc sys dev; do
  mkdir -p "$fs/$m"
  case $m in
    proc) mount -t proc proc "$fs/proc" ;;
    *) mount --rbind "/$m" "$fs/$m" && mount --make-rslave "$fs/$m" ;;
  esac
  mounted+=("$fs/$m")
done
prep_s=$((SECONDS - t0))

in_chroot() { # in_chroot COMMAND: runs it in the clone, with a plain environment
  chroot "$fs" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 CI="${CI:-}" /bin/bash -c "cd /src/concbench && $1"
}

results=()
status=0
stage() { # stage NAME COMMAND: timed, its output kept in the log, its status remembered
  local t=$SECONDS rc=0
  say "$1"
  in_chroot "$2" >"$fs/root/stage.log" 2>&1 || rc=$?
  tail -n 25 "$fs/root/stage.log" | sed 's/^/    /'
  results+=("$(printf '%-28s %5d s  %s' "$1" $((SECONDS - t)) "$([ $rc -eq 0 ] && echo ok || echo "FAILED ($rc)")")")
  cp "$fs/root/stage.log" "$fs/root/$(tr -c 'a-z0-9\n' '-' <<<"$1").log"
  [ $rc -eq 0 ] || status=1
  return $rc
}

stage "scripts/run.sh" "scripts/run.sh" || true
if [ "$suite" = bookworm ]; then
  steps=$fs/root/workflow
  # the base is this commit too: the check is of the workflow's lines, not of a change
  "$root/scripts/ci-workflow-steps.sh" "$root/ci/github-actions-bench.yml" "$steps" "$commit" \
    >/dev/null
  stage "ci workflow's run steps" \
    'export GITHUB_STEP_SUMMARY=/root/summary.md; for s in /root/workflow/*.sh; do echo "-- $(sed -n 2p "$s")"; bash "$s" || exit; done' ||
    true
fi
stage "scripts/test.sh" "scripts/test.sh" || true

echo
say "commit ${commit:0:12}, $(uname -m), kernel $(uname -r)"
printf '  %-28s %5d s  %s\n' "base root filesystem" "$base_s" "$([ "$base_s" -le 1 ] && echo "cached" || echo built)"
printf '  %-28s %5d s\n' "clone and mounts" "$prep_s"
printf '  %s\n' "${results[@]}"
grep -hE 'tests passed|tests failed out of' "$fs/root/scripts-test-sh.log" 2>/dev/null | sed 's/^/  ctest: /' || true
grep -h '^skipped' "$fs/root/scripts-test-sh.log" 2>/dev/null | sed 's/^/  /' || true
say "$([ $status -eq 0 ] && echo "passed" || echo "FAILED")"
exit $status
