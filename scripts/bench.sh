#!/usr/bin/env bash
# Benchmarks Consent Widget beside vanilla-cookieconsent, Klaro and Orejime in Debian's headless
# Chromium and writes BENCHMARKS.md. Arguments go to bench/run.mjs: --runs N (default 9), or --check.
set -euo pipefail
cd "$(dirname "$0")/.."

# The build's tools, Chromium, and the peers from npm.
bash scripts/setup.sh bench
bash scripts/build-widget.sh
node bench/run.mjs "$@"
