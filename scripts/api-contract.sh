#!/usr/bin/env bash
# Tests that server/openapi.json says exactly what consent-server accepts: Schemathesis (pinned
# in scripts/setup.sh) generates requests from it, valid and invalid, and runs every check against
# a server built with `--profile server`, on a SQLite file of its own. A fixed seed and a bounded
# number of examples keep the run the same each time; ST_SEED and ST_EXAMPLES vary them.
set -euo pipefail
cd "$(dirname "$0")/.."
st="$HOME/.cache/consent-widget/schemathesis-4.32.5/bin/st"
[ -x "$st" ] || { echo "api-contract: Schemathesis is missing: run bash scripts/setup.sh test" >&2; exit 1; }
server=target/server/consent-server
[ -x "$server" ] || { echo "api-contract: build the server first: cargo build --profile server -p consent-server" >&2; exit 1; }

dir=$(mktemp -d /tmp/api-contract-XXXX)
port=${ST_PORT:-8297}
origin="http://127.0.0.1:$port"
token=api-contract-token
"$server" --listen "127.0.0.1:$port" --database-url "sqlite:$dir/consents.db?mode=rwc" \
  --admin-token "$token" --allowed-origins "$origin" --rate-limit 0 --checkpoint-key api-contract-key \
  >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 100); do
  curl -fsS "$origin/readyz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  sleep 0.1
done
curl -fsS "$origin/readyz" >/dev/null || { echo "api-contract: the server did not become ready" >&2; cat "$dir/server.log" >&2; exit 1; }

SCHEMATHESIS_HOOKS=server.schemathesis.hooks "$st" --config-file server/schemathesis/schemathesis.toml \
  run server/openapi.json --url "$origin" --checks all --workers 1 \
  --max-examples "${ST_EXAMPLES:-100}" --seed "${ST_SEED:-1}" \
  -H "Authorization: Bearer $token" -H "Origin: $origin"
