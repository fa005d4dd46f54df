#!/usr/bin/env bash
# Every program a test calls is brought by `scripts/install-deps.sh --test` (or is part of every
# Debian system), or the test that calls it checks for it first and says it skips. A test that
# uses a new tool must add it to the table below and to install-deps.sh (or guard it): otherwise
# a fresh machine fails where a warm one passed. Usage: test_programs.sh SOURCE_DIR
set -u
root=${1:?usage: test_programs.sh SOURCE_DIR}
cd "$root" || exit 2
# program   package that brings it ("essential": on every Debian system)
table="
jq           jq
python3      python3
chromium     chromium
qemu-aarch64 qemu-user
aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
gnuplot      gnuplot-nox
hyperfine    hyperfine
initdb       postgresql
pg_ctl       postgresql
psql         postgresql
setpriv      util-linux
setsid       util-linux
unshare      util-linux
ip           iproute2
mpirun       openmpi-bin
ps           procps
script       essential
timeout      essential
awk          essential
sed          essential
mount        essential
"
profile=$(scripts/install-deps.sh --list --test 2>/dev/null) || {
  echo "test_programs: scripts/install-deps.sh --list --test failed"
  exit 1
}
bad=0 checked=0
while read -r prog pkg; do
  [ -n "$prog" ] || continue
  # the files that call it: as a word, in the test scripts, C tests and CMake files
  files=$(grep -rlwF --include='*.sh' --include='*.bash' --include='*.c' \
    --include='CMakeLists.txt' -e "$prog" tests | grep -v '^tests/test_programs.sh$' || true)
  [ -n "$files" ] || continue
  checked=$((checked + 1))
  [ "$pkg" = essential ] && continue
  grep -qx -- "$pkg" <<<"$profile" && continue
  # not installed by the profile: each caller must look for it first
  for f in $files; do
    if ! grep -qE "command -v $prog|find_program\([A-Z0-9_]+ $prog|access\(\"/usr/bin/$prog\"" "$f"; then
      echo "test_programs: $f calls $prog, which install-deps.sh --test does not install ($pkg)" \
        "and which the test does not check for"
      bad=$((bad + 1))
    fi
  done
done <<<"$table"
echo "test_programs: $checked programs called by tests, $bad unguarded and not installed"
[ "$checked" -gt 0 ] && [ "$bad" -eq 0 ]
