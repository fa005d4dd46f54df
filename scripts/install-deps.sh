#!/usr/bin/env bash
# Installs every Debian package that building, testing and the scripts need. Idempotent, and
# quiet when everything is already there.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libuv1-dev libcurl4-openssl-dev libjansson-dev libgmp-dev libhttp-parser-dev libcmocka-dev
  libsqlite3-dev
  hyperfine gnuplot-nox
  python3 python3-gevent python3-aiohttp python3-yaml
  chromium fonts-dejavu-core # the HTML report\'s test renders the page headless
  procps util-linux                    # ps, setsid, setpriv: the kill -9 and limits tests
  clang-14 libfuzzer-14-dev            # scripts/fuzz.sh (CONCBENCH_FUZZ)
  gcc-aarch64-linux-gnu qemu-user      # the green core's AArch64 test under qemu-aarch64
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
