#!/usr/bin/env bash
# Times the admin dashboard on a log of many records (10 million by default), on SQLite and on
# PostgreSQL: synthetic records spread over the last 365 days are written straight into a fresh
# database by SQL (the daily-count triggers run as for any insert), then a release consent-server
# on it answers the dashboard's requests, each timed by curl from request to last byte.
#   bash scripts/bench-dashboard.sh [sqlite|postgres|both] [ROWS]
# The server is built with the `server` profile, as for production. PostgreSQL: a throwaway
# server from scripts/postgres.sh on PGPORT (default here 55440).
# Needs sqlite3, psql, curl and about 6 GB of disk per 10 million records. Each database is removed
# once measured, unless KEEP=1 (the SQLite file is $BENCH_DIR/consents.db, default
# /tmp/consent-dashboard-bench; the PostgreSQL database dashboard_bench); REUSE=1 measures a kept
# database again without writing it anew. WITH_LOAD=1 times the dashboard while consent-load (16
# clients, 15 s, from 2 s before the first request) posts records to the same server; its figures
# are printed after.
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-both}
rows=${2:-10000000}
runs=${RUNS:-20}
dir=${BENCH_DIR:-/tmp/consent-dashboard-bench}
export PGPORT=${PGPORT:-55440} PGTEST_DIR=${PGTEST_DIR:-$dir/pg}
token=bench-token
port=18480
mkdir -p "$dir"
cargo build --profile server -q -p consent-server
server=target/server/consent-server

day_ms=86400000
today=$(( $(date +%s) / 86400 ))
first_ms=$(( (today - 364) * day_ms ))
# Records spread over the 365 days up to now (today included), more of them each day (three times as many on the
# last day as on the first): record i of n at first + span * (1.5 x - 0.5 x^2), x = i / n.
span_ms=$(( $(date +%s) * 1000 - first_ms ))
chunk=1000000

# The insert of records $1 to $2 (i from the row source $3), in SQL common to both databases but
# for the expressions of its hashes, ids and time, given per backend.
select_rows() {
  local from=$1 to=$2 series=$3 hex=$4 hex_prev=$5 uuid=$6 received=$7
  cat <<SQL
INSERT INTO consent_records (seq, record_id, consent_id, method, granted, denied, services, revision,
    language, text_hash, origin, path, widget_version, client_time, received_at, user_agent, prev_hash, hash)
SELECT i, $uuid, $uuid || '-c',
    CASE WHEN i % 10 < 4 THEN 'accept_all' WHEN i % 10 < 7 THEN 'reject_all' WHEN i % 10 < 9 THEN 'custom'
         WHEN (i / 10) % 3 = 1 THEN 'gpc' ELSE 'withdraw' END,
    CASE WHEN i % 10 < 4 THEN '["analytics","marketing","necessary"]' WHEN i % 10 < 7 THEN '["necessary"]'
         WHEN i % 10 < 9 THEN '["analytics","necessary"]' WHEN (i / 10) % 3 = 1 THEN '["analytics","necessary"]'
         ELSE '["necessary"]' END,
    CASE WHEN i % 10 < 4 THEN '[]' WHEN i % 10 < 7 THEN '["analytics","marketing"]'
         WHEN i % 10 < 9 THEN '["marketing"]' WHEN (i / 10) % 3 = 1 THEN '["marketing"]'
         ELSE '["analytics","marketing"]' END,
    '{}', 1 + (i / 11) % 3,
    CASE (i / 7) % 5 WHEN 0 THEN 'en' WHEN 1 THEN 'de' WHEN 2 THEN 'fr' WHEN 3 THEN 'it' ELSE 'es' END,
    'abababababababababababababababababababababababababababababababab', 'https://shop.example', '/', '0.1.0',
    $received - 500, $received, 'Firefox 128', $hex_prev, $hex
FROM $series;
SQL
}

# CPU time the process $1 has used, in clock ticks (user and system): what a request costs the
# server whatever else the machine is running (with WITH_LOAD=1 it includes the records posted).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# Starts the server on $1, signs in, times the dashboard's requests, stops the server.
measure() {
  local label=$1 url=$2
  "$server" --database-url "$url" --admin-token "$token" --listen "127.0.0.1:$port" --rate-limit 0 \
    --site-dir www --widget-dir "$dir" >"$dir/server-$label.log" 2>&1 &
  local pid=$!
  trap 'kill $pid 2>/dev/null' EXIT
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
  local cookie
  cookie=$(curl -s -o /dev/null -D - -d "token=$token" "http://127.0.0.1:$port/admin/login" \
    | sed -n 's/^set-cookie: \(consent_admin=[^;]*\);.*/\1/ip')
  local year="from=$(date -u -d "@$(( (today - 364) * 86400 ))" +%F)&to=$(date -u +%F)"
  local load=
  if [ "${WITH_LOAD:-}" = 1 ]; then
    target/server/consent-load --url "http://127.0.0.1:$port" --concurrency 16 --seconds 15 >"$dir/load-$label.log" 2>&1 &
    load=$!
    sleep 2
  fi
  echo "$label: load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
  for path in "/admin/" "/admin/?$year" "/admin/summary.json?$year"; do
    local times=() cpu_before
    cpu_before=$(cpu_ticks "$pid")
    for _ in $(seq "$runs"); do
      times+=("$(curl -s -o "$dir/page" -w '%{http_code} %{time_total}' -H "cookie: $cookie" "http://127.0.0.1:$port$path")")
    done
    if printf '%s\n' "${times[@]}" | grep -qv '^200 '; then
      echo "$label $path: not 200: ${times[*]}" >&2; exit 1
    fi
    local cpu_ms=$(( ($(cpu_ticks "$pid") - cpu_before) * 1000 / $(getconf CLK_TCK) ))
    printf '%s\n' "${times[@]}" | awk '{ print $2 * 1000 }' | sort -n | awk -v label="$label" -v path="$path" -v cpu="$cpu_ms" \
      '{ t[NR] = $1 } END { printf "%-9s %-45s median %6.1f ms  p95 %6.1f ms  max %6.1f ms  server CPU %5.1f ms a request (%d requests)\n",
        label, path, t[int((NR + 1) / 2)], t[int(NR * 0.95 + 0.5)], t[NR], cpu / NR, NR }'
    if [ "$path" = "/admin/?$year" ]; then
      echo "$label: the page counts $(grep -o 'data-count="total">[0-9,]*' "$dir/page" | cut -d'>' -f2) decisions in the year"
    fi
  done
  if [ -n "$load" ]; then
    wait "$load" || true
    echo "$label, meanwhile: $(grep -i 'records/s' "$dir/load-$label.log" | tail -n 1)"
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
  trap - EXIT
}

bench_sqlite() {
  local db=$dir/consents.db url
  url="sqlite:$db?mode=rwc"
  if ! { [ "${REUSE:-}" = 1 ] && [ -f "$db" ]; }; then
    rm -f "$db" "$db-wal" "$db-shm"
    "$server" verify --database-url "$url" >/dev/null   # creates the schema
    write_sqlite "$db"
  fi
  measure sqlite "$url"
  [ "${KEEP:-}" = 1 ] || rm -f "$db" "$db-wal" "$db-shm"
}

write_sqlite() {
  local db=$1 start=$SECONDS
  for (( from = 1; from <= rows; from += chunk )); do
    local to=$(( from + chunk - 1 < rows ? from + chunk - 1 : rows ))
    select_rows "$from" "$to" "(WITH RECURSIVE n(i) AS (SELECT $from UNION ALL SELECT i + 1 FROM n WHERE i < $to) SELECT i FROM n)" \
      "printf('%064x', i)" "printf('%064x', i - 1)" "printf('00000000-0000-4000-8000-%012x', i)" \
      "CAST($first_ms + $span_ms * (1.5 * i / $rows - 0.5 * i * i / $rows / $rows) AS INTEGER)" | sqlite3 "$db"
  done
  echo "sqlite: $rows records written in $(( SECONDS - start )) s ($(du -h "$db" | cut -f1))"
}

bench_postgres() {
  local admin url
  admin=$(bash scripts/postgres.sh start)
  url=${admin%/*}/dashboard_bench
  if ! { [ "${REUSE:-}" = 1 ] && psql -tA "$admin" -c "SELECT 1 FROM pg_database WHERE datname = 'dashboard_bench'" | grep -q 1; }; then
    psql -q "$admin" -c "DROP DATABASE IF EXISTS dashboard_bench" -c "CREATE DATABASE dashboard_bench"
    write_postgres "$url"
  fi
  measure postgres "$url"
  [ "${KEEP:-}" = 1 ] || psql -q "$admin" -c "DROP DATABASE dashboard_bench"
}

write_postgres() {
  local url=$1
  "$server" verify --database-url "$url" >/dev/null
  local start=$SECONDS
  for (( from = 1; from <= rows; from += chunk )); do
    local to=$(( from + chunk - 1 < rows ? from + chunk - 1 : rows ))
    select_rows "$from" "$to" "generate_series($from::bigint, $to::bigint) AS i" \
      "lpad(to_hex(i), 64, '0')" "lpad(to_hex(i - 1), 64, '0')" "'00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0')" \
      "CAST($first_ms + $span_ms * (1.5 * i / $rows::float8 - 0.5 * i * i / $rows::float8 / $rows) AS BIGINT)" \
      | psql -q "$url"
  done
  psql -q "$url" -c "VACUUM ANALYZE"
  echo "postgres: $rows records written in $(( SECONDS - start )) s ($(psql -tA "$url" -c "SELECT pg_size_pretty(pg_database_size(current_database()))"))"
}

case $which in
  sqlite) bench_sqlite ;;
  postgres) bench_postgres ;;
  both) bench_sqlite; bench_postgres ;;
esac
