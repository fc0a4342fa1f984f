#!/usr/bin/env bash
# Start or stop a throw-away PostgreSQL/PostGIS on 127.0.0.1 for the tests.
#   scripts/postgis.sh start DIR PORT   -> prints the postgresql:// URL
#   scripts/postgis.sh stop DIR
set -euo pipefail
action=$1; dir=$2; port=${3:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$action" in
  start)
    mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w start \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" >/dev/null
    "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE incidents_test" >/dev/null
    "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d incidents_test -qc \
      "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
    echo "postgresql://postgres@127.0.0.1:$port/incidents_test"
    ;;
  stop)
    [ -d "$dir/data" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
esac
