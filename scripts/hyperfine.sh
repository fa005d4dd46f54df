#!/usr/bin/env bash
# Times each model as a whole process with hyperfine: one `concbench run` of one repetition per
# hyperfine run, for cpu_bound and io_bound. Where the harness's table shows the timed region
# only (creating, running and joining the N tasks), this is everything a user waits for: exec,
# library start-up, computing the expected results, starting the embedded server (io_bound), the
# isolated child, the table. `concbench report RESULTS.json --hyperfine FILE` puts the two side
# by side.
#
# Usage: scripts/hyperfine.sh [--runs N] [--warmup N] [--workloads LIST] [--out DIR]
#                             [--exponent N] [--delay-ms N] [-- EXTRA concbench run ARGUMENTS]
# Writes DIR/hyperfine-WORKLOAD.json (--export-json) and .md (--export-markdown); DIR defaults to
# results/. CONCBENCH_BIN overrides the binary (default build/concbench, built if missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=5
warmup=1
workloads=cpu_bound,io_bound
out=$root/results
extra=()
exponent=""
delay_ms=""

usage() {
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=${2:?--runs needs a value}; shift 2 ;;
    --warmup) warmup=${2:?--warmup needs a value}; shift 2 ;;
    --workloads) workloads=${2:?--workloads needs a value}; shift 2 ;;
    --out) out=${2:?--out needs a value}; shift 2 ;;
    --exponent) exponent=${2:?--exponent needs a value}; shift 2 ;;
    --delay-ms) delay_ms=${2:?--delay-ms needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "hyperfine.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
# hyperfine -N splits its command at spaces: every value that goes into it is checked here, so
# none can add words to the command line.
for n in "$runs" "$warmup" ${exponent:+"$exponent"} ${delay_ms:+"$delay_ms"}; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "hyperfine.sh: '$n' is not a whole number" >&2; exit 2; }
done
[[ $workloads =~ ^[a-z_]+(,[a-z_]+)*$ ]] \
  || { echo "hyperfine.sh: --workloads '$workloads': expected names like cpu_bound,io_bound" >&2; exit 2; }
for a in ${extra[@]+"${extra[@]}"}; do
  [[ $a =~ [[:space:]] ]] \
    && { echo "hyperfine.sh: extra argument '$a' has a space, which hyperfine -N would split" >&2; exit 2; }
done
[ "$runs" -ge 2 ] || { echo "hyperfine.sh: --runs must be at least 2" >&2; exit 2; }

if ! command -v hyperfine >/dev/null; then
  echo "hyperfine.sh: hyperfine not found: apt-get install hyperfine (scripts/install-deps.sh)" >&2
  exit 1
fi
cd "$root"
bin=${CONCBENCH_BIN:-build/concbench}
if [ ! -x "$bin" ]; then
  echo "hyperfine.sh: $bin is missing; building it with scripts/build.sh" >&2
  scripts/build.sh
fi
mkdir -p "$out"

# The models this build has, in the article's order.
available=$("$bin" list | awk '/^Models/ {on = 1; next} /^$/ {on = 0} on && /^  [a-z]/ {print $1}')
models=()
for m in sequential pthreads processes green evloop; do
  grep -qx "$m" <<<"$available" && models+=("$m")
done
[ ${#models[@]} -gt 0 ] || { echo "hyperfine.sh: $bin lists no models" >&2; exit 1; }
model_list=$(IFS=,; echo "${models[*]}")

status=0
IFS=, read -r -a wls <<<"$workloads"
for wl in "${wls[@]}"; do
  echo "hyperfine.sh: $wl under $model_list, $runs runs each after $warmup warmup" >&2
  # Sizes go to the workload that has them (run refuses a parameter its workload lacks).
  sizes=""
  [ "$wl" = cpu_bound ] && [ -n "$exponent" ] && sizes="-p exponent=$exponent"
  [ "$wl" = io_bound ] && [ -n "$delay_ms" ] && sizes="-p delay_ms=$delay_ms"
  # -N: no intermediate shell, so nothing but concbench is timed. The single-valued workload
  # list puts the workload into the JSON's parameters next to the model.
  cmd="$bin run -q -m {model} -w {workload} -r 1 --warmup 0"
  [ -n "$sizes" ] && cmd+=" $sizes"
  [ ${#extra[@]} -gt 0 ] && cmd+=" ${extra[*]}"
  if ! hyperfine -N --style basic --warmup "$warmup" --runs "$runs" \
      -L model "$model_list" -L workload "$wl" \
      --export-json "$out/hyperfine-$wl.json" --export-markdown "$out/hyperfine-$wl.md" \
      "$cmd"; then
    echo "hyperfine.sh: $wl failed (a run exited non-zero?)" >&2
    status=1
  fi
done
echo "hyperfine.sh: compare with the in-process medians:" >&2
echo "  $bin report RESULTS.json$(for wl in "${wls[@]}"; do printf ' --hyperfine %s' "$out/hyperfine-$wl.json"; done)" >&2
exit $status
