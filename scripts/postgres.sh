#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, on 127.0.0.1:${PGPORT:-55432}.
#   scripts/postgres.sh start   prints its URL on stdout (and nothing else)
#   scripts/postgres.sh stop
set -euo pipefail
port=${PGPORT:-55432}
dir=${PGTEST_DIR:-/tmp/consent-widget-pg}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed" >&2; exit 1; }
# PostgreSQL refuses to run as root: run it as the postgres user when we are root.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-start}" in
  start)
    if ! as_owner "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
      rm -rf "$dir"
      mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres "$dir"
      as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1
      as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on" start >/dev/null
    fi
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
