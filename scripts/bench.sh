#!/usr/bin/env bash
# Benchmarks Consent Widget beside vanilla-cookieconsent, Klaro and Orejime in Debian's headless
# Chromium and writes BENCHMARKS.md. Arguments go to bench/run.mjs: --runs N (default 9), or --check.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the build needs (Rust target, wasm-bindgen, the root's npm packages with Playwright).
bash scripts/setup.sh
if ! command -v chromium >/dev/null; then
  printf 'bench: installing chromium\n'
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# The peers, from npm, pinned in bench/package-lock.json.
if [ ! -f bench/node_modules/.package-lock.json ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
  printf 'bench: installing npm packages\n'
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi

bash scripts/build-widget.sh
node bench/run.mjs "$@"
