#!/usr/bin/env bash
# The mpi model across hosts without a cluster: three network namespaces (h1, h2, h3) joined by
# veth pairs on a bridge in a fourth, addresses from the benchmarking range 198.18.0.0/15, Open
# MPI reaching each "host" through tests/mpi_netns_agent.sh (ip netns exec) instead of ssh. The
# harness runs on h1, the io_bound server listens on h1's address. Checks that tasks ran on
# every host, that the results validate, and that nothing is left: namespaces (their links go
# with them) and processes are removed on every way out (trap). Root only; skipped otherwise.
# Usage: mpi_netns.sh CONCBENCH_BIN SOURCE_DIR
set -u
bin=${1:?usage: mpi_netns.sh CONCBENCH_BIN SOURCE_DIR}
src=${2:?usage: mpi_netns.sh CONCBENCH_BIN SOURCE_DIR}
skip() { echo "mpi_netns: skipped: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root (ip netns add)"
for prog in ip unshare mpirun jq; do
  command -v "$prog" >/dev/null || skip "no $prog here"
done
"$bin" list 2>/dev/null | grep -q '^  mpi ' || skip "the mpi model is not in this build"

p="cbt$$-" # every name of ours starts with it
tmp=$(mktemp -d)
spaces=("${p}sw" "${p}h1" "${p}h2" "${p}h3")
cleanup() {
  local ns
  for ns in "${spaces[@]}"; do
    if ip netns list | grep -q "^$ns\b"; then
      ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
      ip netns del "$ns"
    fi
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
fail() { echo "mpi_netns: FAIL: $*"; exit 1; }

setup() {
  ip netns add "${p}sw" && ip -n "${p}sw" link add br0 type bridge && ip -n "${p}sw" link set br0 up ||
    return 1
  for i in 1 2 3; do
    ip netns add "${p}h$i" && ip -n "${p}h$i" link set lo up &&
      ip -n "${p}sw" link add "v$i" type veth peer name eth0 netns "${p}h$i" &&
      ip -n "${p}sw" link set "v$i" master br0 up &&
      ip -n "${p}h$i" addr add "198.18.0.$i/24" dev eth0 && ip -n "${p}h$i" link set eth0 up ||
      return 1
  done
}
setup || skip "cannot build the namespaces here (a container without CAP_NET_ADMIN?)"
printf 'h1 slots=2\nh2 slots=2\nh3 slots=2\n' >"$tmp/hosts"

export CBMPI_NETNS_PREFIX="$p" OMPI_MCA_plm_rsh_agent="$src/tests/mpi_netns_agent.sh"
export OMPI_MCA_btl_tcp_if_include=198.18.0.0/24 OMPI_MCA_oob_tcp_if_include=198.18.0.0/24
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 # the daemons on h2, h3 too
out="$tmp/r.json"
timeout 300 ip netns exec "${p}h1" "$bin" run -m "mpi:hostfile=$tmp/hosts" -w cpu_bound,io_bound \
  -n 6 -r 1 --warmup 0 -p exponent=20000 -p target_ms=0 -p server_host=198.18.0.1 \
  -p requests=2 -p delay_ms=20 -q -o "$out" || fail "run exited with $?"

for wl in cpu_bound io_bound; do
  c=".cases[] | select(.workload == \"$wl\")"
  [ "$(jq -r "$c | .validation.ok" "$out")" = true ] ||
    fail "$wl: not valid: $(jq -c "$c | .errors" "$out")"
  hosts=$(jq -r "[$c | .launch.hosts[].host] | sort | join(\",\")" "$out")
  [ "$hosts" = "h1,h2,h3" ] || fail "$wl: ranks on '$hosts', not on h1,h2,h3"
  [ "$(jq "[$c | .timeline[].worker] | unique | length" "$out")" = 6 ] ||
    fail "$wl: not every rank ran a task"
  jq -e "[$c | .launch.hosts[].uncertainty_s | numbers] | length == 3" "$out" >/dev/null ||
    fail "$wl: clock offsets' uncertainty missing"
  # each rank's host, as the timelines show them: every host has two of the six ranks
  jq -e "[$c | .launch.rank_host | group_by(.)[] | length] == [2,2,2]" "$out" >/dev/null ||
    fail "$wl: rank_host does not give each host its ranks: $(jq -c "$c | .launch.rank_host" "$out")"
done
# The Gantt and the HTML timeline mark each task's host and state the alignment's uncertainty.
"$bin" report "$out" --timeline cpu_bound --ascii >"$tmp/gantt.txt" || fail "report --timeline"
grep -q 'times across hosts aligned to rank 0 within +-[0-9.e-]* ms' "$tmp/gantt.txt" ||
  fail "the Gantt does not state the uncertainty: $(head -5 "$tmp/gantt.txt")"
[ "$(grep -Eo '^ +[0-9]+ +[0-9]+[ABC][|]' "$tmp/gantt.txt" | grep -o '[ABC]' | sort -u | tr -d '\n')" = ABC ] ||
  fail "the Gantt's rows do not mark hosts A, B and C: $(cat "$tmp/gantt.txt")"
"$bin" report "$out" --html "$tmp/r.html" || fail "report --html"
grep -q 'times across hosts aligned to rank 0 within ±' "$tmp/r.html" && grep -q ' @ h2' "$tmp/r.html" ||
  fail "the HTML timeline does not name the hosts and the uncertainty"
for i in 1 2 3; do # the run is over: no rank, daemon or server of it is left on any host
  left=$(ip netns pids "${p}h$i")
  [ -z "$left" ] || fail "h$i: processes left after the run: $(ps -o pid=,comm= -p "${left//$'\n'/,}")"
done
cleanup
ip netns list | grep -q "^$p" && fail "namespaces left: $(ip netns list | grep "^$p")"
echo "mpi_netns: tasks ran on h1, h2 and h3, results valid, io_bound against h1's server"
