#!/usr/bin/env bash
# Benchmarks Consent Widget beside vanilla-cookieconsent, Klaro and Orejime in Debian's headless
# Chromium and writes BENCHMARKS.md. Arguments go to bench/run.mjs (by default --runs 9 --lighthouse 3),
# or --check.
set -euo pipefail
cd "$(dirname "$0")/.."

# The build's tools, Chromium, and the peers from npm.
bash scripts/setup.sh bench
bash scripts/build-widget.sh
if [ $# -eq 0 ]; then set -- --runs 9 --lighthouse 3; fi
node bench/run.mjs "$@"
