#!/usr/bin/env bash
# Installs the Debian packages concbench needs, by profile:
#   scripts/install-deps.sh          building and running (scripts/run.sh)
#   scripts/install-deps.sh --test   that, plus what the tests need (scripts/test.sh)
#   scripts/install-deps.sh --list [--test]   prints the package names, installs nothing
# Idempotent, and quiet when everything is already there. Tested on Debian 12 and 13 by
# scripts/fresh-machine.sh; names that differ between releases (clang and libFuzzer's version,
# chromium) are looked up in apt's lists, never hard-coded. docs/install.md says what each
# package is for, for other distributions.
set -euo pipefail

usage() { sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; }
profile=run list=0
while [ $# -gt 0 ]; do
  case $1 in
    --test) profile=test ;;
    --list) list=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install-deps: unknown argument '$1' (valid: --test, --list, --help)" >&2; exit 2 ;;
  esac
  shift
done

# Building and running: compiler, CMake, the libraries, and what `plot`, hyperfine.sh and
# syscalls-per-request.sh call.
run_packages=(
  build-essential cmake pkg-config git ca-certificates
  libuv1-dev libcurl4-openssl-dev libjansson-dev libgmp-dev libhttp-parser-dev libsqlite3-dev
  libopenmpi-dev openmpi-bin # the mpi model (optional: the build leaves it out without them)
  liburing-dev # the uring model (optional: the build leaves it out without it)
  libpq-dev # history's PostgreSQL backend (optional to CMake: without it, --db postgresql:// says so)
  valgrind # run --count instructions: callgrind, and its header the build uses (optional: without it, run says so)
  hyperfine gnuplot-nox
  strace jq # scripts/syscalls-per-request.sh
)
# The tests: the unit framework, the programs test scripts call, the Python comparisons, the
# headless browser of the HTML test, and the cross toolchain of the green core's AArch64 test
# (libc6-dev-arm64-cross is only recommended by gcc-aarch64-linux-gnu, and is needed).
test_packages=(
  libcmocka-dev jq
  python3 python3-gevent python3-aiohttp python3-yaml
  procps util-linux # ps, setsid, setpriv: the kill -9 and limits tests
  fonts-dejavu-core # the HTML test renders a page; the PNG plots name their font
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
  postgresql # initdb, pg_ctl, psql: the history tests' throwaway cluster (unit_history_pg)
  iproute2 # ip netns: the mpi model across namespace-hosts (tests/mpi_netns.sh, root only)
)

# grep reads all its input (no -q): with pipefail, a writer cut off by an early exit (SIGPIPE)
# would fail the pipe even though the line was found
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep "install ok installed" >/dev/null; }
has_candidate() { apt-cache policy "$1" 2>/dev/null | grep -E 'Candidate: [^(]' >/dev/null; }

sudo=""
if [ "$(id -u)" -ne 0 ] && [ "$list" -eq 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
  sudo="sudo"
fi
updated=0
apt_update() {
  [ "$updated" -eq 1 ] && return 0
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq >&2 # stdout carries package lists
  updated=1
}

# clang and libFuzzer (scripts/fuzz.sh): a pair already installed, else the release's default
# clang (Debian 12: 14, Debian 13: 19), whose version the unversioned `clang` package names.
fuzz_packages() {
  local v
  for v in $(dpkg-query -W -f='${Package}\n' 'libfuzzer-*-dev' 2>/dev/null | sed -nE 's/^libfuzzer-([0-9]+)-dev$/\1/p' | sort -rn); do
    if installed "clang-$v" && installed "libfuzzer-$v-dev"; then
      echo "clang-$v libfuzzer-$v-dev"
      return
    fi
  done
  [ "$list" -eq 1 ] || apt_update
  v=$(apt-cache depends clang 2>/dev/null | sed -nE 's/.*Depends: clang-([0-9]+)$/\1/p' | head -1)
  if [ -z "$v" ]; then
    echo "install-deps: no clang package here: the fuzz targets will not build" >&2
    return
  fi
  echo "clang-$v libfuzzer-$v-dev"
  # from clang 16 on, the sanitizer runtimes are a package of their own
  has_candidate "libclang-rt-$v-dev" && echo "libclang-rt-$v-dev"
}

# chromium (the HTML test): Debian's package; where there is none (Ubuntu ships a snap), the
# test says it is skipped.
browser_packages() {
  installed chromium && { echo chromium; return; }
  [ "$list" -eq 1 ] || apt_update
  if has_candidate chromium; then
    echo chromium
  else
    echo "install-deps: no chromium package here: the HTML test's browser half will be skipped" >&2
  fi
}

packages=("${run_packages[@]}")
if [ "$profile" = test ]; then
  read -r -a fuzz <<<"$(fuzz_packages | tr '\n' ' ')"
  read -r -a browser <<<"$(browser_packages)"
  packages+=("${test_packages[@]}" ${fuzz[@]+"${fuzz[@]}"} ${browser[@]+"${browser[@]}"})
fi
if [ "$list" -eq 1 ]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
apt_update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
