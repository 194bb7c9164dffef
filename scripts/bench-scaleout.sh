#!/usr/bin/env bash
# Several consent-server instances on one PostgreSQL (BENCHMARKS.md, "Several servers"):
# records/s for 1, 2 and 3 instances at 64 and 128 clients, runs interleaved, each on a fresh
# database and followed by `verify`; the CPU the servers, PostgreSQL and the load generator used
# per record, and the records each commit stored (commits counted by PostgreSQL); then
# one of three servers killed with SIGKILL under load while a fourth joins.
#   scripts/bench-scaleout.sh [RUNS] [SECONDS]       (default 3 runs of 10 s)
# Its own PostgreSQL on 127.0.0.1:${PGPORT:-55434}; the servers on ports 18601-18603 (18480-18483
# for the crash). BENCH_SERVER=path measures another build (BENCH_CRASH=0 skips the crash).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
seconds=${2:-10}
export PGPORT=${PGPORT:-55434} PGTEST_DIR=${PGTEST_DIR:-/tmp/consent-bench-pg}
admin=$(bash scripts/postgres.sh start)
trap 'bash scripts/postgres.sh stop' EXIT
server=${BENCH_SERVER:-target/server/consent-server}
load=target/server/consent-load
[ -n "${BENCH_SERVER:-}" ] || cargo build --profile server -p consent-server -p consent-load
psql() { command psql -q -X -h 127.0.0.1 -p "$PGPORT" -U postgres "$@"; }

# CPU time (clock ticks) used so far by the processes given, and by PostgreSQL's.
ticks() { local sum=0 pid; for pid in "$@"; do [ -r "/proc/$pid/stat" ] && sum=$((sum + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$sum"; }
postgres_pids() { pgrep -P "$(head -1 "$PGTEST_DIR/data/postmaster.pid")"; }
commits() { psql -At -c "SELECT xact_commit FROM pg_stat_database WHERE datname = '$1'"; }

# run INSTANCES CLIENTS: one measurement on a fresh database.
run() {
  local instances=$1 clients=$2 database="bench_$$_$RANDOM" pids=() urls=() i
  psql -c "CREATE DATABASE $database"
  local url="${admin%/*}/$database"
  for i in $(seq "$instances"); do
    "$server" --listen "127.0.0.1:$((18600 + i))" --database-url "$url" --rate-limit 0 \
      --checkpoint-key bench-key >/dev/null 2>"/tmp/bench-scaleout-$i.log" &
    pids+=($!)
    urls+=("http://127.0.0.1:$((18600 + i))")
    until curl -sf "${urls[-1]}/readyz" >/dev/null; do sleep 0.05; done
  done
  local cpu0 pg0 commits0 out
  cpu0=$(ticks "${pids[@]}"); pg0=$(ticks $(postgres_pids)); commits0=$(commits "$database")
  # `times` prints the CPU the load generator used (user, then system) on its second line.
  out=$(bash -c '"$0" "$@"; times >&2' "$load" --url "$(IFS=,; echo "${urls[*]}")" \
    --concurrency "$clients" --seconds "$seconds" 2>"/tmp/bench-scaleout-load.times")
  local cpu=$(($(ticks "${pids[@]}") - cpu0)) pg=$(($(ticks $(postgres_pids)) - pg0))
  local commits=$(($(commits "$database") - commits0)) load_ms
  load_ms=$(tail -1 /tmp/bench-scaleout-load.times | awk '{ total = 0; for (i = 1; i <= NF; i++) { split($i, t, /[ms]/); total += t[1] * 60000 + t[2] * 1000 } print int(total) }')
  kill -TERM "${pids[@]}"; wait "${pids[@]}" || true
  local verdict records
  verdict=$(RUST_LOG=warn "$server" verify --database-url "$url" --checkpoint-key bench-key 2>&1 || true)
  records=$(echo "$out" | tail -1 | grep -o '^[a-z: ]*[0-9]*' | grep -o '[0-9]*$')
  echo "$out" | sed "s/^/  /"
  printf '  cpu per record: servers %d us, postgres %d us, load generator %d us; %d records per commit; verify: %s\n' \
    $((cpu * 10000 / records)) $((pg * 10000 / records)) $((load_ms * 1000 / records)) $((records / commits)) "$verdict"
  psql -c "DROP DATABASE $database"
}

echo "== $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for attempt in $(seq "$runs"); do
  for clients in 64 128; do
    for instances in 1 2 3; do
      echo "run $attempt, $clients clients, $instances instance(s):"
      run "$instances" "$clients"
    done
  done
done

[ "${BENCH_CRASH:-1}" = 1 ] || exit 0
echo "== SIGKILL of one of three servers under load, a fourth joining (64 clients)"
database="bench_crash_$$"
psql -c "CREATE DATABASE $database"
"$load" --crash-after 4 --instances 3 --join-after 7 --seconds 12 --concurrency 64 \
  --server-bin "$server" --database-url "${admin%/*}/$database"
psql -c "DROP DATABASE $database"
