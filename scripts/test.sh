#!/usr/bin/env bash
# Runs every test: formatting and lints, native unit and server tests, browser component
# tests in headless Chromium and Firefox, and end-to-end tests against the real server.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh test

step() { printf '\n== %s\n' "$*"; }
# What the test runners print also goes to a log, for the totals at the end.
log=$(mktemp)
counted() { "$@" 2>&1 | tee -a "$log"; }

step "format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p consent-widget --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo clippy -p consent-widget --features ssr --all-targets -- -D warnings

step "native tests: the core, and the server on SQLite and PostgreSQL"
# Without a PostgreSQL server its tests are built ignored (server/build.rs) and counted as
# skipped below; CI must run them, so there a server that cannot start fails the run.
if CONSENT_TEST_POSTGRES=$(bash scripts/postgres.sh start); then
  export CONSENT_TEST_POSTGRES
  trap 'bash scripts/postgres.sh stop' EXIT
elif [ -n "${CI:-}" ]; then
  echo "PostgreSQL could not start, and CI runs its tests: failing" >&2
  exit 1
else
  unset CONSENT_TEST_POSTGRES
  echo "!!!!!!!!!!!!!!!! PostgreSQL could not start: its tests are SKIPPED (SQLite still runs) !!!!!!!!!!!!!!!!"
fi
# The scanner's tests visit the built widget and the built server: they run after the build.
counted cargo test --workspace --exclude consent-scan
# The first layer rendered ahead of time (src/prerender.rs): the components, natively.
counted cargo test -p consent-widget --features ssr --lib prerender

step "documentation: the book in docs/ builds, every link leads somewhere, the reference is complete"
mdbook build docs
node scripts/check-docs.mjs

step "build: the widget, the server, the npm package, the Vite apps that install it, the release, wasm-pack"
bash scripts/build-widget.sh
cargo build --profile server -p consent-server -p consent-load
bash scripts/build-npm-app.sh
bash scripts/release.sh
wasm-pack build --release --target web --out-dir target/wasm-pack-pkg

step "API document: Schemathesis checks server/openapi.json against the running server"
bash scripts/api-contract.sh

step "consent-scan: the scanner in Chromium, on test sites, the demo and a vanilla-cookieconsent site"
counted cargo test -p consent-scan

step "size budget: what a visitor downloads before the banner shows"
node scripts/check-size.mjs

step "npm package contents"
counted node --test tests/npm/

step "the loader's blocking rules, against the catalogue the build wrote"
counted node --test tests/js/

step "browser component tests: Chromium"
counted env CHROMEDRIVER=/usr/bin/chromedriver wasm-pack test --headless --chrome

step "browser component tests: Firefox"
counted env GECKODRIVER="$(command -v geckodriver)" wasm-pack test --headless --firefox

step "end-to-end tests: Playwright, Chromium, the real consent-server"
counted npx playwright test --config tests/e2e/playwright.config.mjs

step "benchmark harness: each product shows its banner and holds its tracker until consent (no timings)"
node bench/run.mjs --check

# Totals over every runner: cargo and wasm-bindgen-test ("test result: ok. N passed; M failed;
# K ignored"), node ("# pass N", "# fail N", "# skipped N") and Playwright ("N passed", "N failed",
# "N skipped").
awk '
  /^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) passed += $i; if ($(i+1) ~ /^failed/) failed += $i; if ($(i+1) ~ /^ignored/) skipped += $i } }
  /^# pass [0-9]+$/ { passed += $3 }
  /^# fail [0-9]+$/ { failed += $3 }
  /^# skipped [0-9]+$/ { skipped += $3 }
  /^ +[0-9]+ passed \(/ { passed += $1 }
  /^ +[0-9]+ failed$/ { failed += $1 }
  /^ +[0-9]+ skipped$/ { skipped += $1 }
  END { printf "\ntests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }
' "$log"
