#!/usr/bin/env bash
# Runs every test: formatting and lints, native unit and server tests, browser component
# tests in headless Chromium and Firefox, and end-to-end tests against the real server.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh test

step() { printf '\n== %s\n' "$*"; }

step "format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p consent-widget --target wasm32-unknown-unknown --all-targets -- -D warnings

step "native tests: the core, and the server on SQLite and PostgreSQL"
if CONSENT_TEST_POSTGRES=$(bash scripts/postgres.sh start); then
  export CONSENT_TEST_POSTGRES
  trap 'bash scripts/postgres.sh stop' EXIT
else
  echo "!!!!!!!!!!!!!!!! PostgreSQL could not start: its tests are SKIPPED (SQLite still runs) !!!!!!!!!!!!!!!!"
fi
cargo test --workspace

step "build: the widget and the server"
bash scripts/build-widget.sh
cargo build --release -p consent-server

step "browser component tests: Chromium"
CHROMEDRIVER=/usr/bin/chromedriver wasm-pack test --headless --chrome

step "browser component tests: Firefox"
GECKODRIVER="$(command -v geckodriver)" wasm-pack test --headless --firefox

step "end-to-end tests: Playwright, Chromium, the real consent-server"
npx playwright test --config tests/e2e/playwright.config.mjs
