#!/bin/sh
# Open MPI's launch agent (plm_rsh_agent) for tests/mpi_netns.sh, in place of ssh: called as
#   mpi_netns_agent.sh [options] HOST COMMAND...
# it runs COMMAND in the network namespace of the test's host HOST (named in CBMPI_NETNS_PREFIX
# + HOST), with HOST as its host name (a UTS namespace of its own), through a shell as ssh would.
while [ $# -gt 0 ]; do
  case $1 in
    -*) shift ;; # ssh options Open MPI may pass (-x and the like)
    *) break ;;
  esac
done
host=$1
shift
exec ip netns exec "${CBMPI_NETNS_PREFIX:?}$host" unshare --uts sh -c "hostname $host && $*"
