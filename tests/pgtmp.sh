#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the history tests: initdb into a temporary folder, pg_ctl
# start on a Unix socket in that folder (no TCP port), as the postgres user when run as root
# (PostgreSQL refuses to run as root). Exits 77 with "skipped: ..." where PostgreSQL is not
# installed (apt-get install postgresql; scripts/install-deps.sh --test).
#   pgtmp.sh start DIR [PID]   a new cluster in DIR (an empty folder); prints the connection URL
#                              prefix. With PID, a watcher stops the cluster and removes DIR
#                              once PID is gone, so no exit path of the test leaves it running.
#   pgtmp.sh createdb DIR NAME a new database; prints its URL
#   pgtmp.sh stop DIR          stops the cluster and removes DIR
set -u
cmd=${1:?usage: pgtmp.sh start|createdb|stop DIR ...}
dir=${2:?usage: pgtmp.sh start|createdb|stop DIR ...}
port=5432 # names the socket file in DIR only: listen_addresses is empty

bindir=""
if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
  bindir=$(dirname "$(readlink -f "$(command -v initdb)")")
else # Debian keeps them out of PATH, per major version
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { bindir=$d; break; }
  done
fi
if [ -z "$bindir" ]; then
  echo "skipped: PostgreSQL is not installed (no initdb, pg_ctl: apt-get install postgresql)"
  exit 77
fi
as=()
if [ "$(id -u)" -eq 0 ]; then
  if ! id -u postgres >/dev/null 2>&1; then
    echo "skipped: running as root and there is no postgres user to run PostgreSQL as"
    exit 77
  fi
  as=(runuser -u postgres --)
fi
url() { echo "postgresql:///$1?host=$dir&port=$port&user=postgres"; }

case $cmd in
start)
  [ "${#as[@]}" -eq 0 ] || chown postgres "$dir"
  if ! "${as[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
    --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
    echo "pgtmp: initdb failed:" >&2
    tail -5 "$dir/initdb.log" >&2
    exit 1
  fi
  if ! "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 120 \
    -o "-k $dir -p $port -c listen_addresses= -c fsync=off -c max_connections=100" \
    start >/dev/null 2>&1; then
    echo "pgtmp: pg_ctl start failed:" >&2
    tail -5 "$dir/server.log" >&2
    exit 1
  fi
  if [ -n "${3:-}" ]; then
    # detached from the test's output, so CTest does not wait for it
    setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; "$0" stop "$2"' \
      "$0" "$3" "$dir" </dev/null >/dev/null 2>&1 &
  fi
  url postgres
  ;;
createdb)
  name=${3:?usage: pgtmp.sh createdb DIR NAME}
  "$bindir/psql" -X -q -h "$dir" -p "$port" -U postgres -d postgres \
    -c "CREATE DATABASE \"$name\"" >/dev/null || exit 1
  url "$name"
  ;;
stop)
  if [ -f "$dir/data/postmaster.pid" ]; then
    "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: pgtmp.sh start|createdb|stop DIR ..." >&2
  exit 2
  ;;
esac
