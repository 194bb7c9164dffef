#!/usr/bin/env bash
# Runs the test command N times (default 10), each on a fresh clone of this checkout's HEAD, while
# stress-ng keeps one core busy: what a flaky test would need to show itself. Prints each run's
# outcome and time, and keeps each run's output in the folder it names. The first clone builds
# from nothing; each later one starts from the build folder of the one before (moved, not copied:
# the registry's crates stay built, the project's own are rebuilt from the fresh checkout).
#   bash scripts/repeat-tests.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
command -v stress-ng >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq stress-ng >/dev/null; }
head=$(git rev-parse --short HEAD)
logs=$(mktemp -d /tmp/repeat-tests-XXXX)
# A sibling folder keeps ../shared in reach, as in CI.
clone=../repeat-tests-clone
warm=../repeat-tests-target
stress-ng --cpu 1 --quiet &
stress=$!
trap 'kill "$stress" 2>/dev/null || true' EXIT
echo "repeat-tests: $runs runs of $head with one core busy; logs in $logs"
passed=0
for run in $(seq "$runs"); do
  rm -rf "$clone"
  git clone -q . "$clone"
  [ -d "$warm" ] && mv "$warm" "$clone/target"
  start=$(date +%s)
  if (cd "$clone" && CI=true bash .ci/run) >"$logs/run-$run.log" 2>&1; then
    outcome=green
    passed=$((passed + 1))
  else
    outcome=RED
  fi
  minutes=$(( ($(date +%s) - start) / 60 ))
  seconds=$(( ($(date +%s) - start) % 60 ))
  totals=$(grep -E '^tests: ' "$logs/run-$run.log" | tail -n 1 || true)
  printf 'run %2d: %s in %dm%02ds  %s\n' "$run" "$outcome" "$minutes" "$seconds" "$totals"
  rm -rf "$warm"
  [ -d "$clone/target" ] && mv "$clone/target" "$warm"
done
rm -rf "$clone" "$warm"
echo "repeat-tests: $passed of $runs green ($head)"
[ "$passed" = "$runs" ]
